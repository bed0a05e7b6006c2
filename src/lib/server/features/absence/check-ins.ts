/**
 * The daily check-in on an open-ended report: the morning message asking whether the child is
 * still off, and the parent's answer.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { CHECK_IN_LOCAL_TIME, needsCheckIn, planReportSessions, suggestedCode } from '../../../domain/absence';
import { compareDates, localDateOf, localTimeOf, type SchoolCalendar } from '../../../domain/calendar';
import { auditReport } from './report-audit';
import { enqueueGuardianMessage, publicOrigin } from '../accounts';
import type { Locale } from '../../../domain/locale';
import { m } from '../../../paraglide/messages';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import type { DatabaseHandle } from '../../platform/db/engine';
import { absenceReportSessions, absenceReports, pupils, schools } from '../../platform/db/schema';
import { childFirstName } from '../../../domain/pupils';
import { NOT_FOUND, WITHDRAWN, invalid, reportForGuardian, type ChangeResult } from './changes';
import { guardianReportColumns } from './guardian-reports';
import { fieldError } from './report-input';
import { loadSchoolContext } from './school-context';

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
			await auditReport(tx, { actor: 'guardian', actorId: opts.guardianId, action: 'ended', report, at: now });
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
		await auditReport(tx, { actor: 'guardian', actorId: opts.guardianId, action: 'extended', report, details: { date: today, sessions: plan.sessions.length }, at: now });
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
