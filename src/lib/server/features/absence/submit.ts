/**
 * A parent reports that one or more children will be absent (docs/domain-rules.md §5).
 *
 * - Every report is committed before `submitAbsenceReport` returns (the confirmation is only
 *   shown for a stored report), and a multi-child report is one transaction: all or nothing.
 * - Idempotent: the client's key (per child: `${key}:${pupilId}`) never produces a second report,
 *   so offline retries from the service worker and webhook redeliveries are safe.
 * - A pupil id is only ever used together with the guardian's own pupil_guardians link.
 */
import { randomInt } from 'node:crypto';
import { takeLimit } from '../../platform/limits';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { generateReference, planReportSessions, suggestedCode, type PlannedSession } from '../../../domain/absence';
import { type IsoDate } from '../../../domain/calendar';
import { auditReport } from './report-audit';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { absenceReportSessions, absenceReports, pupilGuardians, pupils } from '../../platform/db/schema';
import { fieldError, submitSchema, zodErrors, type FieldError, type SubmitAbsenceInput, type SubmitResult, type SubmittedReport } from './report-input';
import { cachedSchoolContext, type SchoolContext } from './school-context';

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
				await auditReport(tx, { actor: 'guardian', actorId: v.guardianId, action: 'submitted', report: { id: row.id, schoolId: child.schoolId }, details: { reference: row.reference, channel: v.channel, sessions: plan.sessions.length, late: plan.late }, at: now });
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
