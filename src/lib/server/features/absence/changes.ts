/** Changes to a report after it was made: the parent withdraws or corrects it; staff acknowledge it. */
import { isUuid } from '../../../domain/ids';
import { and, eq, sql } from 'drizzle-orm';
import { ABSENCE_REASONS, MAX_DETAILS_LENGTH, planReportSessions, suggestedCode, type AbsenceReason, type ReportSessions } from '../../../domain/absence';
import { compareDates, localDateOf, type IsoDate } from '../../../domain/calendar';
import { auditReport } from './report-audit';
import { reportProblemText } from '../../../i18n-problems';
import { type ReportProblem } from '../../../domain/report-problems';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { absenceReportSessions, absenceReports, pupilGuardians, staffUsers, type AbsenceReportRow } from '../../platform/db/schema';
import { fieldError, type FieldError } from './report-input';
import { loadSchoolContext } from './school-context';


export type ChangeResult =
	| { ok: true }
	| { ok: false; error: 'not_found' | 'acknowledged' | 'withdrawn'; problem: ReportProblem; message: string }
	| { ok: false; error: 'invalid'; errors: FieldError[]; problem: ReportProblem; message: string };

export function refused(error: 'not_found' | 'acknowledged' | 'withdrawn', problem: ReportProblem) {
	return { ok: false, error, problem, message: reportProblemText(problem, 'en') } as const;
}
export function invalid(errors: FieldError[]) {
	return { ok: false, error: 'invalid', errors, problem: errors[0]!, message: errors[0]!.message } as const;
}
export const NOT_FOUND = refused('not_found', { code: 'report_not_found' });
const ACKNOWLEDGED = refused('acknowledged', { code: 'report_acknowledged' });
export const WITHDRAWN = refused('withdrawn', { code: 'report_withdrawn' });

/** The report, locked for update, if the guardian reported it or is a guardian of the child. */
export async function reportForGuardian(tx: Db, guardianId: string, reportId: string): Promise<AbsenceReportRow | null> {
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
		await auditReport(tx, { actor: 'guardian', actorId: opts.guardianId, action: 'withdrawn', report, at: now });
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
		await auditReport(tx, { actor: 'guardian', actorId: input.guardianId, action: 'amended', report, details: { sessions: rows.length }, at: now });
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
		await auditReport(tx, { actor: 'staff', actorId: staff.id, action: 'acknowledged', report, at: now });
		return { ok: true };
	});
}
