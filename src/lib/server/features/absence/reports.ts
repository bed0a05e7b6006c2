/**
 * Absence reports (docs/domain-rules.md §5): a parent reports that one or more children will be
 * absent; staff see the reports by school day and acknowledge them.
 *
 * - Every report is committed before `submitAbsenceReport` returns (the confirmation is only
 *   shown for a stored report), and a multi-child report is one transaction: all or nothing.
 * - Idempotent: the client's key (per child: `${key}:${pupilId}`) never produces a second report,
 *   so offline retries from the service worker and webhook redeliveries are safe.
 * - A pupil id is only ever used together with the guardian's own pupil_guardians link.
 */
import { isUuid } from '../../../domain/ids';
import { randomInt } from 'node:crypto';
import { takeLimit } from '../../platform/limits';
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
	ABSENCE_REASONS,
	CHECK_IN_LOCAL_TIME,
	MAX_DETAILS_LENGTH,
	needsCheckIn,
	generateReference,
	planReportSessions,
	partDayFromRow,
	suggestedCode,
	type AbsenceReason,
	type PartDay,
	type Reporter,
	type PlannedSession,
	type ReportSessions
} from '../../../domain/absence';
import {
	compareDates,
	localDateOf,
	localTimeOf,
	type IsoDate,
	type RegisterTimes,
	type SchoolCalendar,
	type Session
} from '../../../domain/calendar';
import { writeAudit } from '../../platform/audit';
import { enqueueGuardianMessage, publicOrigin } from '../accounts';
import type { Locale } from '../../../domain/locale';
import { m } from '../../../paraglide/messages';
import { reportProblemText } from '../../../i18n-problems';
import { problemFromCode, type FieldProblem, type ReportProblem } from '../../../domain/report-problems';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import {
	absenceReportSessions,
	absenceReports,
	guardians,
	pupilGuardians,
	pupils,
	schools,
	staffUsers,
	type AbsenceReportRow
} from '../../platform/db/schema';
import { childFirstName } from '../../../domain/pupils';

export type AbsenceChannel = AbsenceReportRow['channel'];
export type AbsenceStatus = AbsenceReportRow['status'];

/**
 * A problem with a report, tied to its form field ('pupilIds', 'reason', 'details', 'from', 'to',
 * 'sessions'...): the code and values say what is wrong (pages and the bot put it in the
 * parent's language with reportProblemText); `message` is the English, for logs, staff and the API.
 */
export type FieldError = FieldProblem & { message: string };

/** `child`: the child's first name when a report for several children has a problem with one. */
export function fieldError(field: string, problem: ReportProblem, child?: string): FieldError {
	const english = reportProblemText(problem, 'en');
	return { ...problem, field, ...(child ? { child } : {}), message: child ? `${child}: ${english}` : english };
}

export interface SubmittedReport {
	reportId: string;
	reference: string;
	pupilId: string;
	sessions: { date: IsoDate; session: Session; late: boolean; suggestedCode: string }[];
	late: boolean;
	/** False when this came back from an earlier submission with the same idempotency key. */
	created: boolean;
}

/** `retryAfterSeconds`: refused because the parent has sent too many reports (rate limit). */
export type SubmitResult = { reports: SubmittedReport[] } | { errors: FieldError[]; retryAfterSeconds?: number };

const uuid = z.string().refine(isUuid);
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const submitSchema = z
	.object({
		guardianId: uuid,
		pupilIds: z.array(uuid, { error: 'choose_who' }).min(1, 'choose_who').max(20, 'choose_who'),
		reason: z.enum(ABSENCE_REASONS, { error: 'choose_reason' }),
		details: z
			.string()
			.trim()
			.max(MAX_DETAILS_LENGTH, 'details_too_long')
			.optional(),
		from: z.string({ error: 'enter_first_day' }),
		to: z.string().nullish(),
		untilFurtherNotice: z.boolean().optional(),
		sessions: z.enum(['AM', 'PM', 'BOTH']).optional(),
		/** Part of one day, local times 'HH:MM' (the bot and the web form both send this shape). */
		partDay: z
			.discriminatedUnion('kind', [
				z.object({ kind: z.literal('late_arrival'), arrivesBy: z.string().regex(HHMM, 'time_in') }),
				z.object({ kind: z.literal('leaving_early'), leavesAt: z.string().regex(HHMM, 'time_leave') }),
				z.object({
					kind: z.literal('appointment'),
					leavesAt: z.string().regex(HHMM, 'time_leave'),
					returnsAt: z.string().regex(HHMM, 'time_back')
				})
			])
			.nullish(),
		channel: z.enum(['web', 'sms', 'telegram']),
		idempotencyKey: z.string().trim().min(8, 'report_unreadable').max(200, 'report_unreadable'),
		now: z.date().optional()
	})
	.superRefine((v, ctx) => {
		if (v.reason === 'other' && !v.details) {
			ctx.addIssue({ code: 'custom', path: ['details'], message: 'tell_reason' });
		}
	});

export type SubmitAbsenceInput = z.input<typeof submitSchema>;

/** The schema's issues carry problem codes as their messages; anything else is an unreadable report. */
function zodErrors(error: z.ZodError): FieldError[] {
	return error.issues.map((i) => {
		const field = String(i.path[0] ?? 'form');
		if (i.message === 'details_too_long') return fieldError(field, { code: 'details_too_long', max: MAX_DETAILS_LENGTH });
		return fieldError(field, problemFromCode(i.message) ?? { code: 'report_unreadable' });
	});
}

interface SchoolContext {
	calendar: SchoolCalendar;
	registerTimes: RegisterTimes;
}

async function loadSchoolContext(db: Db, schoolId: string): Promise<SchoolContext> {
	const [s] = await db
		.select({
			amOpens: schools.amRegisterOpens,
			amCloses: schools.amRegisterCloses,
			pmOpens: schools.pmRegisterOpens,
			pmCloses: schools.pmRegisterCloses
		})
		.from(schools)
		.where(eq(schools.id, schoolId));
	if (!s) throw new Error(`No school with id ${schoolId}`);
	return {
		calendar: await loadSchoolCalendar(db, schoolId),
		registerTimes: { AM: { opens: s.amOpens, closes: s.amCloses }, PM: { opens: s.pmOpens, closes: s.pmCloses } }
	};
}

/**
 * Calendars and register times change a few times a year, but every report needs them: at the
 * morning peak, reading them once per school per half minute instead of on every report saves
 * four queries per report. A change made by staff is seen within SCHOOL_CONTEXT_TTL_MS on every
 * instance. Only used for new reports (amendments and check-ins read fresh, in their transaction).
 */
const SCHOOL_CONTEXT_TTL_MS = 30_000;
const schoolContextCache = new WeakMap<object, Map<string, { at: number; ctx: Promise<SchoolContext> }>>();

function cachedSchoolContext(db: Db, schoolId: string, now = Date.now()): Promise<SchoolContext> {
	let perDb = schoolContextCache.get(db);
	if (!perDb) {
		perDb = new Map();
		schoolContextCache.set(db, perDb);
	}
	const hit = perDb.get(schoolId);
	if (hit && now - hit.at < SCHOOL_CONTEXT_TTL_MS) return hit.ctx;
	const ctx = loadSchoolContext(db, schoolId);
	perDb.set(schoolId, { at: now, ctx });
	ctx.catch(() => perDb.delete(schoolId));
	return ctx;
}

function cryptoRng(): number {
	return randomInt(0, 2 ** 32) / 2 ** 32;
}

/** The guardian's own earlier reports under these keys: another family's never come back. */
async function existingReports(db: Db, guardianId: string, keys: string[]): Promise<SubmittedReport[]> {
	if (keys.length === 0) return [];
	const reports = await db
		.select()
		.from(absenceReports)
		.where(and(eq(absenceReports.guardianId, guardianId), inArray(absenceReports.idempotencyKey, keys)));
	if (reports.length === 0) return [];
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
		created: false
	}));
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
	for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const x = e as { code?: string; constraint?: string; message?: string };
		if (x.code === '23505' && (x.constraint === constraint || x.message?.includes(constraint))) return true;
	}
	return false;
}

/**
 * Stores one report per child, all in one transaction, committed before it returns. Every pupil
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
	const keyFor = (pupilId: string) => `${v.guardianId}:${v.idempotencyKey}:${pupilId}`;
	const db = handle.db;

	// A retry of a stored submission: the original reports, nothing new.
	const earlier = await existingReports(db, v.guardianId, pupilIds.map(keyFor));
	if (earlier.length === pupilIds.length) return { reports: orderLike(earlier, pupilIds) };

	// A retry of the same submission (above) is never counted; a new one is.
	const limit = await takeLimit(db, 'reportsPerGuardian', v.guardianId, now);
	if (!limit.allowed) {
		return {
			errors: [fieldError('pupilIds', { code: 'too_many_reports', retryAfterSeconds: limit.retryAfterSeconds })],
			retryAfterSeconds: limit.retryAfterSeconds
		};
	}

	const linked = await db
		.select({ pupilId: pupils.id, schoolId: pupils.schoolId, firstName: pupils.firstName })
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.where(and(eq(pupilGuardians.guardianId, v.guardianId), inArray(pupilGuardians.pupilId, pupilIds)));
	if (linked.length !== pupilIds.length) {
		return {
			errors: [fieldError('pupilIds', { code: 'child_not_found' })]
		};
	}

	const contexts = new Map<string, SchoolContext>();
	const plans = new Map<string, { sessions: PlannedSession[]; startsOn: IsoDate; endsOn: IsoDate | null; coversThrough: IsoDate; late: boolean }>();
	const errors: FieldError[] = [];
	for (const child of linked) {
		let ctx = contexts.get(child.schoolId);
		if (!ctx) {
			ctx = await cachedSchoolContext(db, child.schoolId);
			contexts.set(child.schoolId, ctx);
		}
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
	if (errors.length > 0) return { errors };

	const code = suggestedCode(v.reason);
	const attempt = () =>
		db.transaction(async (tx) => {
			const out: SubmittedReport[] = [];
			for (const child of linked) {
				const plan = plans.get(child.pupilId)!;
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
				await writeAudit(tx, {
					actorType: 'guardian',
					actorId: v.guardianId,
					action: 'absence_report.submitted',
					schoolId: child.schoolId,
					subjectType: 'absence_report',
					subjectId: row.id,
					details: { reference: row.reference, channel: v.channel, sessions: plan.sessions.length, late: plan.late },
					at: now
				});
				out.push({
					reportId: row.id,
					reference: row.reference,
					pupilId: child.pupilId,
					sessions: plan.sessions.map((s) => ({
						date: s.date,
						session: s.session,
						late: s.timing === 'late',
						suggestedCode: code
					})),
					late: plan.late,
					created: true
				});
			}
			return out;
		});

	let created: SubmittedReport[] | undefined;
	for (let i = 0; i < 3 && !created; i++) {
		try {
			created = await attempt();
		} catch (err) {
			// A reference collision (about 1 in 10^9 per pair) rolls back everything: try again.
			if (!isUniqueViolation(err, 'absence_reports_reference_key') || i === 2) throw err;
		}
	}
	const missing = pupilIds.filter((p) => !created!.some((r) => r.pupilId === p));
	const reread = await existingReports(db, v.guardianId, missing.map(keyFor));
	return { reports: orderLike([...created!, ...reread], pupilIds) };
}

function orderLike(reports: SubmittedReport[], pupilIds: string[]): SubmittedReport[] {
	return [...reports].sort((a, b) => pupilIds.indexOf(a.pupilId) - pupilIds.indexOf(b.pupilId));
}

// ---------------------------------------------------------------------------------------------
// Withdraw and amend (parents), acknowledge (staff)
// ---------------------------------------------------------------------------------------------

export type ChangeResult =
	| { ok: true }
	| { ok: false; error: 'not_found' | 'acknowledged' | 'withdrawn'; problem: ReportProblem; message: string }
	| { ok: false; error: 'invalid'; errors: FieldError[]; problem: ReportProblem; message: string };

function refused(error: 'not_found' | 'acknowledged' | 'withdrawn', problem: ReportProblem) {
	return { ok: false, error, problem, message: reportProblemText(problem, 'en') } as const;
}
function invalid(errors: FieldError[]) {
	return { ok: false, error: 'invalid', errors, problem: errors[0]!, message: errors[0]!.message } as const;
}
const NOT_FOUND = refused('not_found', { code: 'report_not_found' });
const ACKNOWLEDGED = refused('acknowledged', { code: 'report_acknowledged' });
const WITHDRAWN = refused('withdrawn', { code: 'report_withdrawn' });

/** The report, locked for update, if the guardian reported it or is a guardian of the child. */
async function reportForGuardian(tx: Db, guardianId: string, reportId: string): Promise<AbsenceReportRow | null> {
	if (!isUuid(guardianId) || !isUuid(reportId)) return null;
	const [row] = await tx
		.select()
		.from(absenceReports)
		.where(
			and(
				eq(absenceReports.id, reportId),
				sql`(${absenceReports.guardianId} = ${guardianId} or exists (select 1 from ${pupilGuardians}
				      where ${pupilGuardians.pupilId} = ${absenceReports.pupilId} and ${pupilGuardians.guardianId} = ${guardianId}))`
			)
		)
		.for('update');
	return row ?? null;
}

/** A guardian withdraws a report while it is still open (not yet acknowledged by staff). */
export async function withdrawAbsenceReport(
	handle: DatabaseHandle,
	opts: { guardianId: string; reportId: string; now?: Date }
): Promise<ChangeResult> {
	const now = opts.now ?? new Date();
	return handle.db.transaction(async (tx) => {
		const report = await reportForGuardian(tx, opts.guardianId, opts.reportId);
		if (!report) return NOT_FOUND;
		if (report.status === 'acknowledged') return ACKNOWLEDGED;
		if (report.status === 'withdrawn') return { ok: true };
		await tx
			.update(absenceReports)
			.set({ status: 'withdrawn', withdrawnAt: now, updatedAt: now })
			.where(eq(absenceReports.id, report.id));
		await writeAudit(tx, {
			actorType: 'guardian',
			actorId: opts.guardianId,
			action: 'absence_report.withdrawn',
			schoolId: report.schoolId,
			subjectType: 'absence_report',
			subjectId: report.id,
			at: now
		});
		return { ok: true };
	});
}

export interface AmendAbsenceInput {
	guardianId: string;
	reportId: string;
	reason?: AbsenceReason;
	details?: string;
	from?: IsoDate;
	to?: IsoDate | null;
	untilFurtherNotice?: boolean;
	sessions?: ReportSessions;
	now?: Date;
}

/**
 * A guardian corrects a report while it is open. Sessions already covered keep their original
 * on-time/late flag (a correction does not make a report late); new sessions are timed now.
 */
export async function amendAbsenceReport(handle: DatabaseHandle, input: AmendAbsenceInput): Promise<ChangeResult> {
	const now = input.now ?? new Date();
	const fieldErrors: FieldError[] = [];
	if (input.reason !== undefined && !(ABSENCE_REASONS as readonly string[]).includes(input.reason)) {
		fieldErrors.push(fieldError('reason', { code: 'choose_reason' }));
	}
	const details = input.details?.trim();
	if (details !== undefined && details.length > MAX_DETAILS_LENGTH) {
		fieldErrors.push(fieldError('details', { code: 'details_too_long', max: MAX_DETAILS_LENGTH }));
	}
	if (fieldErrors.length) return invalid(fieldErrors);

	return handle.db.transaction(async (tx) => {
		const report = await reportForGuardian(tx, input.guardianId, input.reportId);
		if (!report) return NOT_FOUND;
		if (report.status === 'acknowledged') return ACKNOWLEDGED;
		if (report.status === 'withdrawn') return WITHDRAWN;

		const reason = input.reason ?? report.reason;
		const newDetails = details ?? report.details;
		if (reason === 'other' && !newDetails) {
			return invalid([fieldError('details', { code: 'tell_reason' })]);
		}
		const ctx = await loadSchoolContext(tx, report.schoolId);
		const untilFurtherNotice = input.untilFurtherNotice ?? (input.to === undefined ? report.endsOn === null : false);
		const from = input.from ?? report.startsOn;
		const plan = planReportSessions(ctx.calendar, {
			from,
			to: untilFurtherNotice ? null : input.to !== undefined ? input.to : report.endsOn,
			untilFurtherNotice,
			sessions: input.sessions ?? report.sessions,
			now,
			registerTimes: ctx.registerTimes,
			// An open report whose first day has passed may still be corrected for the days reported.
			...(input.from === undefined && compareDates(from, localDateOf(now, ctx.calendar.timeZone)) < 0
				? { today: from }
				: {})
		});
		if (!plan.ok) return invalid(plan.errors.map((e) => fieldError(e.field, e)));

		const previous = await tx
			.select()
			.from(absenceReportSessions)
			.where(eq(absenceReportSessions.reportId, report.id));
		const wasLate = new Map(previous.map((p) => [`${p.date}|${p.session}`, p.late]));
		const code = suggestedCode(reason);
		const rows = plan.sessions.map((s) => ({
			reportId: report.id,
			date: s.date,
			session: s.session,
			schoolId: report.schoolId,
			pupilId: report.pupilId,
			suggestedCode: code,
			late: wasLate.get(`${s.date}|${s.session}`) ?? s.timing === 'late'
		}));
		await tx.delete(absenceReportSessions).where(eq(absenceReportSessions.reportId, report.id));
		await tx.insert(absenceReportSessions).values(rows);
		await tx
			.update(absenceReports)
			.set({
				reason,
				details: newDetails,
				startsOn: plan.startsOn,
				endsOn: plan.endsOn,
				coversThrough: plan.coversThrough,
				sessions: input.sessions ?? report.sessions,
				late: rows.some((r) => r.late),
				updatedAt: now
			})
			.where(eq(absenceReports.id, report.id));
		await writeAudit(tx, {
			actorType: 'guardian',
			actorId: input.guardianId,
			action: 'absence_report.amended',
			schoolId: report.schoolId,
			subjectType: 'absence_report',
			subjectId: report.id,
			details: { sessions: rows.length },
			at: now
		});
		return { ok: true };
	});
}

/**
 * A member of staff acknowledges a report at their own school. Acknowledging twice is harmless;
 * a withdrawn report cannot be acknowledged; a report at another school is "not found".
 */
export async function acknowledgeAbsenceReport(
	handle: DatabaseHandle,
	opts: { staffUserId: string; schoolId: string; reportId: string; now?: Date }
): Promise<ChangeResult> {
	const now = opts.now ?? new Date();
	if (![opts.staffUserId, opts.schoolId, opts.reportId].every((x) => isUuid(x))) return NOT_FOUND;
	return handle.db.transaction(async (tx) => {
		const [staff] = await tx
			.select({ id: staffUsers.id })
			.from(staffUsers)
			.where(
				and(eq(staffUsers.id, opts.staffUserId), eq(staffUsers.schoolId, opts.schoolId), sql`${staffUsers.disabledAt} is null`)
			);
		if (!staff) return NOT_FOUND;
		const [report] = await tx
			.select()
			.from(absenceReports)
			.where(and(eq(absenceReports.id, opts.reportId), eq(absenceReports.schoolId, opts.schoolId)))
			.for('update');
		if (!report) return NOT_FOUND;
		if (report.status === 'withdrawn') return WITHDRAWN;
		if (report.status === 'acknowledged') return { ok: true };
		await tx
			.update(absenceReports)
			.set({ status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: staff.id, updatedAt: now })
			.where(eq(absenceReports.id, report.id));
		await writeAudit(tx, {
			actorType: 'staff',
			actorId: staff.id,
			action: 'absence_report.acknowledged',
			schoolId: report.schoolId,
			subjectType: 'absence_report',
			subjectId: report.id,
			at: now
		});
		return { ok: true };
	});
}

// ---------------------------------------------------------------------------------------------
// Staff board
// ---------------------------------------------------------------------------------------------

export interface BoardReport {
	reportId: string;
	reference: string;
	pupilId: string;
	firstName: string;
	lastName: string;
	preferredName: string | null;
	yearGroup: number;
	className: string | null;
	reason: AbsenceReason;
	details: string;
	status: AbsenceStatus;
	channel: AbsenceChannel;
	submittedAt: Date;
	startsOn: IsoDate;
	endsOn: IsoDate | null;
	/** This day's sessions covered by the report (none for a part day that misses no session). */
	sessions: { session: Session; suggestedCode: string; late: boolean }[];
	/** Any of this day's sessions was reported after its register closed. */
	late: boolean;
	/** Part of the day, with its local times ('HH:MM'), or null for whole sessions. */
	partDay: PartDay | null;
	/** Who reported, and how they are linked to the child (staff see this, as they would on the phone). */
	reporter: Reporter | null;
}

/** The reports covering `date` at a school, by class then name. Withdrawn reports are left out unless asked for. */
export async function reportsForSchoolDay(
	handle: DatabaseHandle,
	schoolId: string,
	date: IsoDate,
	opts: { includeWithdrawn?: boolean } = {}
): Promise<BoardReport[]> {
	if (!isUuid(schoolId)) return [];
	const columns = {
		reportId: absenceReports.id,
		reference: absenceReports.reference,
		pupilId: pupils.id,
		firstName: pupils.firstName,
		lastName: pupils.lastName,
		preferredName: pupils.preferredName,
		yearGroup: pupils.yearGroup,
		className: pupils.className,
		reason: absenceReports.reason,
		details: absenceReports.details,
		status: absenceReports.status,
		channel: absenceReports.channel,
		submittedAt: absenceReports.submittedAt,
		startsOn: absenceReports.startsOn,
		endsOn: absenceReports.endsOn,
		partDayKind: absenceReports.partDay,
		arrivesBy: absenceReports.arrivesBy,
		leavesAt: absenceReports.leavesAt,
		returnsAt: absenceReports.returnsAt,
		reporterFirstName: guardians.firstName,
		reporterLastName: guardians.lastName,
		relationship: pupilGuardians.relationship,
		livesWith: pupilGuardians.livesWith,
		parentalResponsibility: pupilGuardians.parentalResponsibility
	};
	const notWithdrawn = opts.includeWithdrawn ? undefined : ne(absenceReports.status, 'withdrawn');
	const reporterLink = and(eq(pupilGuardians.guardianId, absenceReports.guardianId), eq(pupilGuardians.pupilId, absenceReports.pupilId));
	const withSessions = await handle.db
		.select({ ...columns, session: absenceReportSessions.session, suggestedCode: absenceReportSessions.suggestedCode, late: absenceReportSessions.late })
		.from(absenceReportSessions)
		.innerJoin(absenceReports, eq(absenceReports.id, absenceReportSessions.reportId))
		.innerJoin(pupils, eq(pupils.id, absenceReportSessions.pupilId))
		.leftJoin(guardians, eq(guardians.id, absenceReports.guardianId))
		.leftJoin(pupilGuardians, reporterLink)
		.where(and(eq(absenceReportSessions.schoolId, schoolId), eq(absenceReportSessions.date, date), notWithdrawn))
		.orderBy(asc(absenceReportSessions.session));
	// A part day that misses no session (present at registration) still belongs on the board.
	const partDaysOnly = await handle.db
		.select(columns)
		.from(absenceReports)
		.innerJoin(pupils, eq(pupils.id, absenceReports.pupilId))
		.leftJoin(guardians, eq(guardians.id, absenceReports.guardianId))
		.leftJoin(pupilGuardians, reporterLink)
		.where(
			and(
				eq(absenceReports.schoolId, schoolId),
				eq(absenceReports.startsOn, date),
				sql`${absenceReports.partDay} is not null`,
				sql`not exists (select 1 from ${absenceReportSessions} where ${absenceReportSessions.reportId} = ${absenceReports.id})`,
				notWithdrawn
			)
		);
	const rows = [...withSessions, ...partDaysOnly.map((r) => ({ ...r, session: null, suggestedCode: null, late: null }))].sort(
		(a, b) =>
			a.yearGroup - b.yearGroup ||
			(a.className ?? '').localeCompare(b.className ?? '') ||
			a.lastName.localeCompare(b.lastName) ||
			a.firstName.localeCompare(b.firstName) ||
			a.submittedAt.getTime() - b.submittedAt.getTime() ||
			(a.session ?? '').localeCompare(b.session ?? '')
	);
	const byReport = new Map<string, BoardReport>();
	for (const r of rows) {
		let b = byReport.get(r.reportId);
		if (!b) {
			const {
				session: _s,
				suggestedCode: _c,
				late: _l,
				partDayKind,
				arrivesBy,
				leavesAt,
				returnsAt,
				reporterFirstName,
				reporterLastName,
				relationship,
				livesWith,
				parentalResponsibility,
				...rest
			} = r;
			b = {
				...rest,
				sessions: [],
				late: false,
				partDay: partDayFromRow({ partDay: partDayKind, arrivesBy, leavesAt, returnsAt }),
				reporter:
					reporterFirstName !== null
						? {
								name: `${reporterFirstName} ${reporterLastName ?? ''}`.trim(),
								relationship: relationship ?? null,
								livesWith: livesWith ?? null,
								parentalResponsibility: parentalResponsibility ?? null
							}
						: null
			};
			byReport.set(r.reportId, b);
		}
		if (r.session) {
			b.sessions.push({ session: r.session, suggestedCode: r.suggestedCode!, late: r.late! });
			b.late ||= r.late!;
		}
	}
	return [...byReport.values()];
}

// ---------------------------------------------------------------------------------------------
// The parent's own reports, and open-ended reports with daily check-ins
// ---------------------------------------------------------------------------------------------

export interface GuardianReport {
	reportId: string;
	reference: string;
	pupilId: string;
	childName: string;
	schoolName: string;
	reason: AbsenceReason;
	details: string;
	startsOn: IsoDate;
	endsOn: IsoDate | null;
	coversThrough: IsoDate;
	sessions: ReportSessions;
	status: AbsenceStatus;
	late: boolean;
	submittedAt: Date;
}

const guardianReportColumns = {
	reportId: absenceReports.id,
	reference: absenceReports.reference,
	pupilId: absenceReports.pupilId,
	firstName: pupils.firstName,
	preferredName: pupils.preferredName,
	schoolName: schools.name,
	reason: absenceReports.reason,
	details: absenceReports.details,
	startsOn: absenceReports.startsOn,
	endsOn: absenceReports.endsOn,
	coversThrough: absenceReports.coversThrough,
	sessions: absenceReports.sessions,
	status: absenceReports.status,
	late: absenceReports.late,
	submittedAt: absenceReports.submittedAt
};

/** Reports about the guardian's own children only (by them or by another of the child's guardians). */
const visibleToGuardian = (guardianId: string) =>
	sql`exists (select 1 from ${pupilGuardians} where ${pupilGuardians.pupilId} = ${absenceReports.pupilId} and ${pupilGuardians.guardianId} = ${guardianId})`;

function toGuardianReport(r: { firstName: string; preferredName: string | null } & Omit<GuardianReport, 'childName'>): GuardianReport {
	const { firstName, preferredName, ...rest } = r;
	return { ...rest, childName: childFirstName({ firstName, preferredName }) };
}

/** The guardian's reports that reach `since` or later (and every open-ended one), newest first. */
export async function guardianReports(handle: DatabaseHandle, guardianId: string, since: IsoDate): Promise<GuardianReport[]> {
	if (!isUuid(guardianId)) return [];
	const rows = await handle.db
		.select(guardianReportColumns)
		.from(absenceReports)
		.innerJoin(pupils, eq(pupils.id, absenceReports.pupilId))
		.innerJoin(schools, eq(schools.id, absenceReports.schoolId))
		.where(and(visibleToGuardian(guardianId), sql`(${absenceReports.coversThrough} >= ${since} or ${absenceReports.endsOn} is null)`))
		.orderBy(sql`${absenceReports.submittedAt} desc`)
		.limit(100);
	return rows.map(toGuardianReport);
}

/** One of the guardian's reports by its reference; null for anyone else's. */
export async function guardianReportByReference(
	handle: DatabaseHandle,
	guardianId: string,
	reference: string
): Promise<GuardianReport | null> {
	if (!isUuid(guardianId)) return null;
	const [row] = await handle.db
		.select(guardianReportColumns)
		.from(absenceReports)
		.innerJoin(pupils, eq(pupils.id, absenceReports.pupilId))
		.innerJoin(schools, eq(schools.id, absenceReports.schoolId))
		.where(and(eq(absenceReports.reference, reference), visibleToGuardian(guardianId)));
	return row ? toGuardianReport(row) : null;
}

/** The state of some of the guardian's reports, by id (a conversation remembers the ids it made). */
export async function guardianReportStates(db: Db, guardianId: string, reportIds: readonly string[]) {
	const ids = reportIds.filter(isUuid);
	if (!isUuid(guardianId) || ids.length === 0) return [];
	return db
		.select({ id: absenceReports.id, pupilId: absenceReports.pupilId, reference: absenceReports.reference, status: absenceReports.status, startsOn: absenceReports.startsOn, endsOn: absenceReports.endsOn, sessions: absenceReports.sessions, reason: absenceReports.reason })
		.from(absenceReports)
		.where(and(inArray(absenceReports.id, ids), visibleToGuardian(guardianId)));
}

/** The guardian's most recent open-ended report that is not withdrawn (what a check-in answer is about). */
export async function latestOpenEndedReport(db: Db, guardianId: string): Promise<{ id: string } | null> {
	if (!isUuid(guardianId)) return null;
	const [row] = await db
		.select({ id: absenceReports.id })
		.from(absenceReports)
		.where(and(isNull(absenceReports.endsOn), ne(absenceReports.status, 'withdrawn'), visibleToGuardian(guardianId)))
		.orderBy(desc(absenceReports.submittedAt))
		.limit(1);
	return row ?? null;
}

export type CheckInAnswer = 'still_off' | 'back';

/**
 * The parent's answer to the daily check-in on an open-ended report: still off today (the
 * report now covers today, timed against today's registers), or back at school (the report
 * ends on the last day it covers). Works after staff acknowledged the report: the school still
 * needs to know. Answering twice is harmless.
 */
export async function answerCheckIn(
	handle: DatabaseHandle,
	opts: { guardianId: string; reportId: string; answer: CheckInAnswer; now?: Date }
): Promise<ChangeResult & { addedSessions?: number }> {
	const now = opts.now ?? new Date();
	return handle.db.transaction(async (tx) => {
		const report = await reportForGuardian(tx, opts.guardianId, opts.reportId);
		if (!report) return NOT_FOUND;
		if (report.status === 'withdrawn') return WITHDRAWN;
		if (report.endsOn !== null) {
			return invalid([fieldError('answer', { code: 'report_has_end' })]);
		}
		if (opts.answer === 'back') {
			await tx.update(absenceReports).set({ endsOn: report.coversThrough, updatedAt: now }).where(eq(absenceReports.id, report.id));
			await writeAudit(tx, {
				actorType: 'guardian',
				actorId: opts.guardianId,
				action: 'absence_report.ended',
				schoolId: report.schoolId,
				subjectType: 'absence_report',
				subjectId: report.id,
				at: now
			});
			return { ok: true as const, addedSessions: 0 };
		}
		const ctx = await loadSchoolContext(tx, report.schoolId);
		const today = localDateOf(now, ctx.calendar.timeZone);
		if (compareDates(report.coversThrough, today) >= 0) return { ok: true as const, addedSessions: 0 };
		const plan = planReportSessions(ctx.calendar, {
			from: today,
			to: today,
			sessions: report.sessions,
			now,
			registerTimes: ctx.registerTimes
		});
		if (!plan.ok) return invalid(plan.errors.map((e) => fieldError(e.field, e)));
		const code = suggestedCode(report.reason);
		await tx
			.insert(absenceReportSessions)
			.values(
				plan.sessions.map((s) => ({
					reportId: report.id,
					date: s.date,
					session: s.session,
					schoolId: report.schoolId,
					pupilId: report.pupilId,
					suggestedCode: code,
					late: s.timing === 'late'
				}))
			)
			.onConflictDoNothing();
		await tx
			.update(absenceReports)
			.set({ coversThrough: plan.coversThrough, late: report.late || plan.late, updatedAt: now })
			.where(eq(absenceReports.id, report.id));
		await writeAudit(tx, {
			actorType: 'guardian',
			actorId: opts.guardianId,
			action: 'absence_report.extended',
			schoolId: report.schoolId,
			subjectType: 'absence_report',
			subjectId: report.id,
			details: { date: today, sessions: plan.sessions.length },
			at: now
		});
		return { ok: true as const, addedSessions: plan.sessions.length };
	});
}

/**
 * Queues today's check-in ("Is Sam still unwell?") to the parent who made each open-ended
 * report that does not cover today yet, once the school's local time reaches
 * CHECK_IN_LOCAL_TIME on a school day. Keyed per report per day: repeats queue nothing.
 */
export async function sendDueCheckIns(
	handle: DatabaseHandle,
	opts: { now?: Date; origin?: string } = {}
): Promise<number> {
	const now = opts.now ?? new Date();
	const origin = opts.origin ?? publicOrigin();
	const open = await handle.db
		.select({
			...guardianReportColumns,
			schoolId: absenceReports.schoolId,
			guardianId: absenceReports.guardianId,
			timeZone: schools.timeZone
		})
		.from(absenceReports)
		.innerJoin(pupils, eq(pupils.id, absenceReports.pupilId))
		.innerJoin(schools, eq(schools.id, absenceReports.schoolId))
		.where(and(sql`${absenceReports.endsOn} is null`, ne(absenceReports.status, 'withdrawn')));
	const calendars = new Map<string, SchoolCalendar>();
	let queued = 0;
	for (const r of open) {
		if (!r.guardianId) continue;
		const today = localDateOf(now, r.timeZone);
		if (localTimeOf(now, r.timeZone) < CHECK_IN_LOCAL_TIME) continue;
		let cal = calendars.get(r.schoolId);
		if (!cal) {
			cal = await loadSchoolCalendar(handle.db, r.schoolId);
			calendars.set(r.schoolId, cal);
		}
		if (!needsCheckIn(cal, r, today)) continue;
		const name = childFirstName(r);
		const unwell = r.reason === 'illness' || r.reason === 'mental_health';
		// In the guardian's language; YES and BACK stay English (the words the bot understands).
		const body = (locale: Locale) =>
			(unwell ? m.msg_checkin_unwell : m.msg_checkin_off)({ school: r.schoolName, name, link: `${origin}/reports/${r.reference}` }, { locale });
		const route = await enqueueGuardianMessage(handle.db, {
			guardianId: r.guardianId,
			schoolId: r.schoolId,
			purpose: 'absence_check_in',
			body,
			idempotencyKey: `check-in:${r.reportId}:${today}`
		});
		if (route) queued++;
	}
	return queued;
}
