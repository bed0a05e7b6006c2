/**
 * A parent reports that one or more children will be absent (docs/domain-rules.md §5).
 *
 * - Every report is committed before `submitAbsenceReport` returns (the confirmation is only
 *   shown for a stored report), and a multi-child report is one transaction: all or nothing.
 * - Idempotent: the client's key (per child: `${key}:${pupilId}`) never produces a second report,
 *   so offline retries from the service worker and webhook redeliveries are safe.
 * - A pupil id is only ever used together with the guardian's own pupil_guardians link.
 * - One report per child and day: a child already reported for a day the new report covers (by
 *   any channel, by either parent) gets this sending added to that first report, and the parent
 *   is told it was already reported; the school sees one report with its history.
 * - At the morning peak every report pays for its round trips and its commits: the link and key
 *   checks are one statement, the school's calendar is cached (school-context.ts), and a sending
 *   with nothing stored yet for its days is stored by one more statement that also counts the
 *   rate limit (new-reports.ts: one commit, one disk wait). The rest is one transaction.
 */
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { takeLimit } from '../../platform/limits';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { MAX_DETAILS_LENGTH, generateReference, planReportSessions, suggestedCode, type PlannedSession } from '../../../domain/absence';
import { compareDates, type IsoDate } from '../../../domain/calendar';
import { auditReport } from './report-audit';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { perDatabase } from '../../platform/db/prepared';
import { absenceReportAdditions, absenceReportSessions, absenceReports, pupilGuardians, pupils } from '../../platform/db/schema';
import { fieldError, submitSchema, zodErrors, type AbsenceChannel, type FieldError, type SubmitAbsenceInput, type SubmitResult, type SubmittedReport } from './report-input';
import { cachedSchoolContext } from './school-context';
import { insertNewReports } from './new-reports';

function cryptoRng(): number {
	return randomInt(0, 2 ** 32) / 2 ** 32;
}

/** Reports by id with their sessions, as a submission returns them (nothing new was stored). */
async function storedReports(db: Db, ids: { reportId: string; alreadyReported: boolean }[]): Promise<SubmittedReport[]> {
	if (ids.length === 0) return [];
	const reports = await db
		.select()
		.from(absenceReports)
		.where(
			inArray(
				absenceReports.id,
				ids.map((r) => r.reportId)
			)
		);
	const rows = await db
		.select()
		.from(absenceReportSessions)
		.where(
			inArray(
				absenceReportSessions.reportId,
				reports.map((r) => r.id)
			)
		)
		.orderBy(asc(absenceReportSessions.date), asc(absenceReportSessions.session));
	return reports.map((r) => ({
		reportId: r.id,
		reference: r.reference,
		pupilId: r.pupilId,
		sessions: rows
			.filter((s) => s.reportId === r.id)
			.map((s) => ({ date: s.date, session: s.session, late: s.late, suggestedCode: s.suggestedCode })),
		late: r.late,
		created: false,
		...(ids.find((x) => x.reportId === r.id)?.alreadyReported ? { alreadyReported: true } : {})
	}));
}

/** The guardian's own earlier sendings under these keys, as reports: another family's never come back. */
async function existingReports(db: Db, guardianId: string, keys: string[]): Promise<SubmittedReport[]> {
	if (keys.length === 0) return [];
	const own = await db
		.select({ reportId: absenceReports.id })
		.from(absenceReports)
		.where(and(eq(absenceReports.guardianId, guardianId), inArray(absenceReports.idempotencyKey, keys)));
	const added = await db
		.select({ reportId: absenceReportAdditions.reportId })
		.from(absenceReportAdditions)
		.where(and(eq(absenceReportAdditions.guardianId, guardianId), inArray(absenceReportAdditions.idempotencyKey, keys)));
	return storedReports(db, [...own.map((r) => ({ ...r, alreadyReported: false })), ...added.map((r) => ({ ...r, alreadyReported: true }))]);
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
	for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const x = e as { code?: string; constraint?: string; message?: string };
		if (x.code === '23505' && (x.constraint === constraint || x.message?.includes(constraint))) return true;
	}
	return false;
}

type ParsedInput = z.output<typeof submitSchema>;

type Plan = { sessions: PlannedSession[]; startsOn: IsoDate; endsOn: IsoDate | null; coversThrough: IsoDate; late: boolean };

/** What a submission knows of each child, from one statement. */
interface LinkedChild {
	pupilId: string;
	schoolId: string;
	firstName: string;
	/** This sending was stored before (a retry): as its own report, or added to an earlier one. */
	storedAs: string | null;
	addedTo: string | null;
	/** The child's earliest report, not withdrawn, that reaches into the days this one starts with. */
	firstReportId: string | null;
}

/**
 * The guardian's own children among `pupilIds`, with what is stored for them, in one statement:
 * this sending's earlier copy (a retry) and the child's first report reaching into these days.
 * Every value is a placeholder, so the common case runs it as a prepared statement.
 */
function linkedChildrenQuery(db: Db) {
	const p = sql.placeholder;
	return db
		.select({
			pupilId: pupils.id,
			schoolId: pupils.schoolId,
			firstName: pupils.firstName,
			storedAs: sql<string | null>`(select r.id from ${absenceReports} r where r.idempotency_key = ${p('keyPrefix')}::text || ${pupils.id}::text and r.guardian_id = ${p('guardianId')}::uuid)`,
			addedTo: sql<string | null>`(select a.report_id from ${absenceReportAdditions} a where a.idempotency_key = ${p('keyPrefix')}::text || ${pupils.id}::text and a.guardian_id = ${p('guardianId')}::uuid)`,
			firstReportId: sql<string | null>`(select r.id from ${absenceReports} r where r.pupil_id = ${pupils.id} and r.status <> 'withdrawn'
				and r.starts_on::text <= ${p('windowEnd')}::text and r.covers_through::text >= ${p('windowStart')}::text order by r.submitted_at, r.id limit 1)`
		})
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.where(and(eq(pupilGuardians.guardianId, p('guardianId')), sql`${pupilGuardians.pupilId} = any(${p('pupilIds')}::uuid[])`));
}

const preparedLinkedChildren = perDatabase((db: Db) => linkedChildrenQuery(db).prepare('absence_report_linked_children'));

interface LinkedChildrenParams {
	guardianId: string;
	pupilIds: string[];
	keyPrefix: string;
	windowStart: IsoDate;
	windowEnd: IsoDate;
}

/** Outside a transaction, as a prepared statement kept per database handle. */
function linkedChildren(db: Db, params: LinkedChildrenParams): Promise<LinkedChild[]> {
	return preparedLinkedChildren(db).execute({ ...params });
}

/** Each child's sessions on their own school's calendar, or the problems (named per child when there are several). */
async function planChildren(db: Db, linked: LinkedChild[], v: ParsedInput, now: Date, via: Db): Promise<{ plans: Map<string, Plan>; errors: FieldError[] }> {
	const plans = new Map<string, Plan>();
	const errors: FieldError[] = [];
	for (const child of linked) {
		const ctx = await cachedSchoolContext(db, child.schoolId, Date.now(), via);
		const plan = planReportSessions(ctx.calendar, {
			from: v.from,
			to: v.to ?? null,
			untilFurtherNotice: v.untilFurtherNotice,
			sessions: v.sessions,
			partDay: v.partDay ?? null,
			now,
			registerTimes: ctx.registerTimes
		});
		if (!plan.ok) {
			for (const e of plan.errors) {
				const err = fieldError(e.field, e, linked.length > 1 ? child.firstName : undefined);
				if (!errors.some((x) => x.field === err.field && x.message === err.message)) errors.push(err);
			}
		} else {
			plans.set(child.pupilId, plan);
		}
	}
	return { plans, errors };
}

function tooManyReports(retryAfterSeconds: number): SubmitResult {
	return { errors: [fieldError('pupilIds', { code: 'too_many_reports', retryAfterSeconds })], retryAfterSeconds };
}

/** A new report as the submission returns it. */
function createdReport(row: { reportId: string; reference: string; pupilId: string }, plan: Plan, code: string): SubmittedReport {
	return {
		...row,
		sessions: plan.sessions.map((s) => ({ date: s.date, session: s.session, late: s.timing === 'late', suggestedCode: code })),
		late: plan.late,
		created: true
	};
}

/** The common case's one statement (new-reports.ts), tried again on a reference collision. */
async function storeNewReports(
	handle: DatabaseHandle,
	a: { input: ParsedInput; linked: LinkedChild[]; plans: Map<string, Plan>; code: string; keyFor: (pupilId: string) => string; pupilIds: string[]; now: Date }
): Promise<SubmitResult> {
	const v = a.input;
	for (let i = 0; ; i++) {
		try {
			const { limit, written } = await insertNewReports(handle, {
				guardianId: v.guardianId,
				reason: v.reason,
				details: v.details ?? '',
				sessions: v.partDay ? 'BOTH' : (v.sessions ?? 'BOTH'),
				partDay: v.partDay ?? null,
				channel: v.channel,
				suggestedCode: a.code,
				now: a.now,
				reports: a.linked.map((child) => {
					const plan = a.plans.get(child.pupilId)!;
					return {
						pupilId: child.pupilId,
						schoolId: child.schoolId,
						reference: generateReference(cryptoRng),
						idempotencyKey: a.keyFor(child.pupilId),
						startsOn: plan.startsOn,
						endsOn: plan.endsOn,
						coversThrough: plan.coversThrough,
						late: plan.late,
						sessions: plan.sessions.map((s) => ({ date: s.date, session: s.session, late: s.timing === 'late' }))
					};
				})
			});
			if (!limit.allowed) return tooManyReports(limit.retryAfterSeconds);
			const out = written.map((w) => createdReport(w, a.plans.get(w.pupilId)!, a.code));
			// A concurrent retry of this sending stored a child first: its report, read back.
			const missing = a.pupilIds.filter((p) => !out.some((r) => r.pupilId === p));
			const raced = await existingReports(handle.db, v.guardianId, missing.map(a.keyFor));
			return { reports: orderLike([...out, ...raced], a.pupilIds) };
		} catch (err) {
			// A reference collision (about 1 in 10^9 per pair) wrote nothing: try again.
			if (!isUniqueViolation(err, 'absence_reports_reference_key') || i === 2) throw err;
		}
	}
}

/**
 * Stores one report per child, all or nothing, committed before it returns. Every pupil
 * must be linked to the guardian, and every child's dates must be valid for that child's school
 * calendar; otherwise `{ errors }` and nothing is stored.
 */
export async function submitAbsenceReport(handle: DatabaseHandle, input: SubmitAbsenceInput): Promise<SubmitResult> {
	const parsed = submitSchema.safeParse(input);
	if (!parsed.success) return { errors: zodErrors(parsed.error) };
	const v = parsed.data;
	const now = v.now ?? new Date();
	const pupilIds = [...new Set(v.pupilIds.map((p) => p.toLowerCase()))];
	// The stored key belongs to the guardian who sent it: the same client key from another family
	// (guessed, copied or colliding) is a different key, never a way to read their report.
	const keyPrefix = `${v.guardianId}:${v.idempotencyKey}:`;
	const keyFor = (pupilId: string) => `${keyPrefix}${pupilId}`;
	const db = handle.db;
	const code = suggestedCode(v.reason);
	// Which days make it "the same day": the first day sent, through the last (or just the first
	// for until further notice). Compared as ISO text, so a malformed date matches nothing and is
	// refused by the calendar check below rather than by the database.
	const windowStart = v.from;
	const windowEnd = v.to ?? v.from;

	const plan = (linked: LinkedChild[], via: Db) => planChildren(db, linked, v, now, via);

	// The common case: every child linked, nothing stored for these days yet, every day valid.
	// One statement counts the rate limit and stores all of it (new-reports.ts). Anything else,
	// a retry, an addition to an earlier report or a refusal, is decided in the transaction below.
	const linkParams: LinkedChildrenParams = { guardianId: v.guardianId, pupilIds, keyPrefix, windowStart, windowEnd };
	const seen = await linkedChildren(db, linkParams);
	if (seen.length === pupilIds.length && seen.every((c) => !c.storedAs && !c.addedTo && !c.firstReportId)) {
		const planned = await plan(seen, db);
		if (planned.errors.length === 0) return storeNewReports(handle, { input: v, linked: seen, plans: planned.plans, code, keyFor, pupilIds, now });
	}

	const attempt = () =>
		db.transaction(async (tx): Promise<SubmitResult> => {
			const linked: LinkedChild[] = await linkedChildrenQuery(tx).execute({ ...linkParams });

			// A retry of a stored submission: the original reports, nothing new, not counted.
			if (linked.length === pupilIds.length && linked.every((c) => c.storedAs || c.addedTo)) {
				const stored = await storedReports(tx, linked.map((c) => (c.storedAs ? { reportId: c.storedAs, alreadyReported: false } : { reportId: c.addedTo!, alreadyReported: true })));
				return { reports: orderLike(stored, pupilIds) };
			}

			const limit = await takeLimit(tx, 'reportsPerGuardian', v.guardianId, now);
			if (!limit.allowed) return tooManyReports(limit.retryAfterSeconds);
			if (linked.length !== pupilIds.length) return { errors: [fieldError('pupilIds', { code: 'child_not_found' })] };

			const { plans, errors } = await plan(linked, tx);
			if (errors.length > 0) return { errors };

			const out: SubmittedReport[] = [];
			const again: { reportId: string; alreadyReported: boolean }[] = [];
			for (const child of linked) {
				const plan = plans.get(child.pupilId)!;
				if (child.storedAs || child.addedTo) {
					again.push(child.storedAs ? { reportId: child.storedAs, alreadyReported: false } : { reportId: child.addedTo!, alreadyReported: true });
					continue;
				}
				if (child.firstReportId) {
					const added = await addToFirstReport(tx, { reportId: child.firstReportId, child, plan, code, key: keyFor(child.pupilId), input: v, now });
					if (added) again.push({ reportId: child.firstReportId, alreadyReported: true });
					continue;
				}
				const [row] = await tx
					.insert(absenceReports)
					.values({
						reference: generateReference(cryptoRng),
						schoolId: child.schoolId,
						pupilId: child.pupilId,
						guardianId: v.guardianId,
						reason: v.reason,
						details: v.details ?? '',
						startsOn: plan.startsOn,
						endsOn: plan.endsOn,
						coversThrough: plan.coversThrough,
						sessions: v.partDay ? 'BOTH' : (v.sessions ?? 'BOTH'),
						partDay: v.partDay?.kind ?? null,
						arrivesBy: v.partDay?.kind === 'late_arrival' ? v.partDay.arrivesBy : null,
						leavesAt: v.partDay && v.partDay.kind !== 'late_arrival' ? v.partDay.leavesAt : null,
						returnsAt: v.partDay?.kind === 'appointment' ? v.partDay.returnsAt : null,
						channel: v.channel,
						idempotencyKey: keyFor(child.pupilId),
						submittedAt: now,
						late: plan.late,
						updatedAt: now
					})
					.onConflictDoNothing({ target: absenceReports.idempotencyKey })
					.returning({ id: absenceReports.id, reference: absenceReports.reference });
				if (!row) continue; // a concurrent retry stored it first; read back below
				// A part day that misses no session (back before the register closes) has no session rows.
				if (plan.sessions.length > 0) await tx.insert(absenceReportSessions).values(
					plan.sessions.map((s) => ({
						reportId: row.id,
						date: s.date,
						session: s.session,
						schoolId: child.schoolId,
						pupilId: child.pupilId,
						suggestedCode: code,
						late: s.timing === 'late'
					}))
				);
				await auditReport(tx, { actor: 'guardian', actorId: v.guardianId, action: 'submitted', report: { id: row.id, schoolId: child.schoolId }, details: { reference: row.reference, channel: v.channel, sessions: plan.sessions.length, late: plan.late }, at: now });
				out.push(createdReport({ reportId: row.id, reference: row.reference, pupilId: child.pupilId }, plan, code));
			}
			const reread = await storedReports(tx, again);
			const missing = pupilIds.filter((p) => ![...out, ...reread].some((r) => r.pupilId === p));
			const raced = await existingReports(tx, v.guardianId, missing.map(keyFor));
			return { reports: orderLike([...out, ...reread, ...raced], pupilIds) };
		});

	for (let i = 0; ; i++) {
		try {
			return await attempt();
		} catch (err) {
			// A reference collision (about 1 in 10^9 per pair) rolls back everything: try again.
			if (!isUniqueViolation(err, 'absence_reports_reference_key') || i === 2) throw err;
		}
	}
}

const laterOf = (a: IsoDate, b: IsoDate) => (compareDates(a, b) >= 0 ? a : b);
const earlierOf = (a: IsoDate, b: IsoDate) => (compareDates(a, b) <= 0 ? a : b);

/**
 * The child was already reported for one of these days: the days not yet covered and any new
 * words are added to that first report, and this sending is kept as its history. If staff had
 * acknowledged it and something was added, it is open again so they see what is new. False when
 * a concurrent retry of this sending already added it.
 */
async function addToFirstReport(
	tx: Db,
	a: { reportId: string; child: LinkedChild; plan: Plan; code: string; key: string; input: { guardianId: string; reason: string; details?: string; channel: AbsenceChannel }; now: Date }
): Promise<boolean> {
	const [first] = await tx.select().from(absenceReports).where(eq(absenceReports.id, a.reportId)).for('update');
	if (!first) return false;
	const [history] = await tx
		.insert(absenceReportAdditions)
		.values({ reportId: first.id, guardianId: a.input.guardianId, channel: a.input.channel, reason: a.input.reason, details: a.input.details ?? '', idempotencyKey: a.key, receivedAt: a.now })
		.onConflictDoNothing({ target: absenceReportAdditions.idempotencyKey })
		.returning({ id: absenceReportAdditions.id });
	if (!history) return false;
	const added =
		a.plan.sessions.length > 0
			? await tx
					.insert(absenceReportSessions)
					.values(
						a.plan.sessions.map((s) => ({
							reportId: first.id,
							date: s.date,
							session: s.session,
							schoolId: first.schoolId,
							pupilId: first.pupilId,
							suggestedCode: a.code,
							late: s.timing === 'late'
						}))
					)
					.onConflictDoNothing()
					.returning({ late: absenceReportSessions.late })
			: [];
	const words = a.input.details?.trim() ?? '';
	const details = words && !first.details.includes(words) ? (first.details ? `${first.details}\n${words}` : words).slice(0, MAX_DETAILS_LENGTH) : first.details;
	const endsOn = first.endsOn === null || a.plan.endsOn === null ? null : laterOf(first.endsOn, a.plan.endsOn);
	const changed = added.length > 0 || details !== first.details || endsOn !== first.endsOn;
	const reopen = changed && first.status === 'acknowledged';
	await tx
		.update(absenceReports)
		.set({
			details,
			startsOn: earlierOf(first.startsOn, a.plan.startsOn),
			endsOn,
			coversThrough: laterOf(first.coversThrough, a.plan.coversThrough),
			late: first.late || added.some((s) => s.late),
			updatedAt: a.now,
			...(reopen ? { status: 'open' as const, acknowledgedAt: null, acknowledgedBy: null } : {})
		})
		.where(eq(absenceReports.id, first.id));
	await tx.update(absenceReportAdditions).set({ sessionsAdded: added.length }).where(eq(absenceReportAdditions.id, history.id));
	await auditReport(tx, { actor: 'guardian', actorId: a.input.guardianId, action: 'reported_again', report: first, details: { channel: a.input.channel, sessionsAdded: added.length, reopened: reopen }, at: a.now });
	return true;
}

function orderLike(reports: SubmittedReport[], pupilIds: string[]): SubmittedReport[] {
	return [...reports].sort((a, b) => pupilIds.indexOf(a.pupilId) - pupilIds.indexOf(b.pupilId));
}
