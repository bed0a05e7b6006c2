/**
 * A school's day from the staff side (issue 4, DESIGN §3 and §5): pupils marked `N` with no
 * parent report (first day contact), `N` marks past the 5-school-day limit, and the day's
 * reports as CSV for entry into the MIS. Every query is scoped to one school.
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { ABSENCE_REASON_LABELS } from '../domain/absence';
import { isOverdueN, nResolutionDeadline, schoolDaysSince, type IsoDate, type Session } from '../domain/calendar';
import { reportsForSchoolDay } from './absence-reports';
import { loadSchoolCalendar } from './calendar';
import type { DatabaseHandle } from './db/engine';
import { absenceReportSessions, absenceReports, attendanceMarks, guardians, pupilGuardians, pupils } from './db/schema';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GuardianContact {
	name: string;
	relationship: string;
	channel: 'sms' | 'telegram' | 'push' | 'email';
	phone: string | null;
	email: string | null;
}

export interface UnexplainedAbsence {
	pupilId: string;
	firstName: string;
	lastName: string;
	preferredName: string | null;
	yearGroup: number;
	className: string | null;
	sessions: Session[];
	guardians: GuardianContact[];
}

async function guardiansOf(handle: DatabaseHandle, pupilIds: string[]): Promise<Map<string, GuardianContact[]>> {
	const out = new Map<string, GuardianContact[]>();
	if (pupilIds.length === 0) return out;
	const rows = await handle.db
		.select({
			pupilId: pupilGuardians.pupilId,
			firstName: guardians.firstName,
			lastName: guardians.lastName,
			relationship: pupilGuardians.relationship,
			channel: guardians.preferredChannel,
			phone: guardians.phone,
			email: guardians.email
		})
		.from(pupilGuardians)
		.innerJoin(guardians, eq(guardians.id, pupilGuardians.guardianId))
		.where(inArray(pupilGuardians.pupilId, pupilIds))
		.orderBy(asc(pupilGuardians.contactPriority), asc(guardians.lastName), asc(guardians.firstName));
	for (const r of rows) {
		const list = out.get(r.pupilId) ?? [];
		list.push({
			name: `${r.firstName} ${r.lastName}`,
			relationship: r.relationship,
			channel: r.channel,
			phone: r.phone,
			email: r.email
		});
		out.set(r.pupilId, list);
	}
	return out;
}

/**
 * Pupils with an `N` mark on `date` (either session) for which no (non-withdrawn) absence report
 * covers that session: the first day contact list, with the guardians to contact.
 */
export async function unexplainedAbsences(
	handle: DatabaseHandle,
	schoolId: string,
	date: IsoDate
): Promise<UnexplainedAbsence[]> {
	if (!UUID_RE.test(schoolId)) return [];
	const rows = await handle.db
		.select({
			pupilId: pupils.id,
			firstName: pupils.firstName,
			lastName: pupils.lastName,
			preferredName: pupils.preferredName,
			yearGroup: pupils.yearGroup,
			className: pupils.className,
			session: attendanceMarks.session
		})
		.from(attendanceMarks)
		.innerJoin(pupils, eq(pupils.id, attendanceMarks.pupilId))
		.where(
			and(
				eq(attendanceMarks.schoolId, schoolId),
				eq(attendanceMarks.date, date),
				eq(attendanceMarks.code, 'N'),
				sql`not exists (select 1 from ${absenceReportSessions}
					inner join ${absenceReports} on ${absenceReports.id} = ${absenceReportSessions.reportId}
					where ${absenceReportSessions.pupilId} = ${attendanceMarks.pupilId}
					  and ${absenceReportSessions.date} = ${attendanceMarks.date}
					  and ${absenceReportSessions.session} = ${attendanceMarks.session}
					  and ${absenceReports.status} <> 'withdrawn')`
			)
		)
		.orderBy(asc(pupils.yearGroup), asc(pupils.className), asc(pupils.lastName), asc(pupils.firstName), asc(attendanceMarks.session));
	const byPupil = new Map<string, UnexplainedAbsence>();
	for (const r of rows) {
		let p = byPupil.get(r.pupilId);
		if (!p) {
			const { session: _s, ...rest } = r;
			p = { ...rest, sessions: [], guardians: [] };
			byPupil.set(r.pupilId, p);
		}
		p.sessions.push(r.session);
	}
	const contacts = await guardiansOf(handle, [...byPupil.keys()]);
	for (const p of byPupil.values()) p.guardians = contacts.get(p.pupilId) ?? [];
	return [...byPupil.values()];
}

export interface OverdueNMark {
	pupilId: string;
	firstName: string;
	lastName: string;
	preferredName: string | null;
	yearGroup: number;
	className: string | null;
	date: IsoDate;
	sessions: Session[];
	/** School days since the mark (more than 5). */
	schoolDays: number;
	/** The last school day it could have been resolved on. */
	deadline: IsoDate | null;
}

/** `N` marks before `today` that have gone more than 5 school days unresolved (DESIGN §3), oldest first. */
export async function overdueNMarks(handle: DatabaseHandle, schoolId: string, today: IsoDate): Promise<OverdueNMark[]> {
	if (!UUID_RE.test(schoolId)) return [];
	const cal = await loadSchoolCalendar(handle.db, schoolId);
	const rows = await handle.db
		.select({
			pupilId: pupils.id,
			firstName: pupils.firstName,
			lastName: pupils.lastName,
			preferredName: pupils.preferredName,
			yearGroup: pupils.yearGroup,
			className: pupils.className,
			date: attendanceMarks.date,
			session: attendanceMarks.session
		})
		.from(attendanceMarks)
		.innerJoin(pupils, eq(pupils.id, attendanceMarks.pupilId))
		.where(and(eq(attendanceMarks.schoolId, schoolId), eq(attendanceMarks.code, 'N'), lt(attendanceMarks.date, today)))
		.orderBy(asc(attendanceMarks.date), asc(pupils.yearGroup), asc(pupils.className), asc(pupils.lastName), asc(pupils.firstName), asc(attendanceMarks.session));
	const out = new Map<string, OverdueNMark>();
	for (const r of rows) {
		if (!isOverdueN(cal, r.date, today)) continue;
		const key = `${r.pupilId}|${r.date}`;
		let m = out.get(key);
		if (!m) {
			const { session: _s, ...rest } = r;
			m = { ...rest, sessions: [], schoolDays: schoolDaysSince(cal, r.date, today), deadline: nResolutionDeadline(cal, r.date) ?? null };
			out.set(key, m);
		}
		m.sessions.push(r.session);
	}
	return [...out.values()];
}

export const REPORTS_CSV_HEADER = [
	'Reference',
	'UPN',
	'Surname',
	'Forename',
	'Class',
	'Date',
	'Session',
	'Reason',
	'Suggested code',
	'Late',
	'Status'
] as const;

/**
 * The reports covering `date` at one school, one row per session, as CSV for entry into the MIS.
 * Withdrawn reports are left out. Fields are quoted and escaped by csv-stringify; a leading
 * `=`, `+`, `-` or `@` in free text is prefixed with `'` so a spreadsheet never runs it as a formula.
 */
export async function reportsCsv(handle: DatabaseHandle, schoolId: string, date: IsoDate): Promise<string> {
	const reports = await reportsForSchoolDay(handle, schoolId, date);
	const ids = [...new Set(reports.map((r) => r.pupilId))];
	const upns = new Map<string, string>();
	if (ids.length > 0) {
		const rows = await handle.db
			.select({ id: pupils.id, misId: pupils.misId })
			.from(pupils)
			.where(and(eq(pupils.schoolId, schoolId), inArray(pupils.id, ids)));
		for (const r of rows) upns.set(r.id, r.misId);
	}
	const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
	const records: string[][] = [];
	for (const r of reports) {
		for (const s of r.sessions) {
			records.push(
				[
					r.reference,
					upns.get(r.pupilId) ?? '',
					r.lastName,
					r.firstName,
					r.className ?? '',
					date,
					s.session,
					r.details ? `${ABSENCE_REASON_LABELS[r.reason]}: ${r.details}` : ABSENCE_REASON_LABELS[r.reason],
					s.suggestedCode,
					s.late ? 'Yes' : 'No',
					r.status
				].map(safe)
			);
		}
	}
	return stringify(records, { header: true, columns: [...REPORTS_CSV_HEADER], record_delimiter: 'windows' });
}
