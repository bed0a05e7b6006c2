/**
 * What the parent's report pages show around the form: each school's register deadline (with a
 * countdown on a school day) before they report, and the confirmations after.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import { absenceReportSessions, absenceReports, pupils, schools } from '../../platform/db/schema';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { childrenOfGuardian, type GuardianChild } from '../attendance';
import { schoolContacts } from '../schools';
import { DEFAULT_TIME_ZONE, isSchoolDay, localDateOf, zonedInstant } from '../../../domain/calendar';
import type { AbsenceReason } from '../../../domain/absence';

/** '09:15:00' → '9:15'. */
function clockTime(t: string): string {
	const [h = '0', m = '00'] = t.split(':');
	return `${Number(h)}:${m}`;
}

export interface ReportFormContext {
	children: GuardianChild[];
	schools: { name: string; closes: string; closesAt: string | null }[];
	/** Today in the children's school's time zone (the first school's, when there are several). */
	today: string;
}

export async function reportFormContext(handle: DatabaseHandle, guardianId: string, now: Date = new Date()): Promise<ReportFormContext> {
	const children = await childrenOfGuardian(handle.db, guardianId);
	const contacts = await schoolContacts(handle.db, [...new Set(children.map((c) => c.schoolId))]);
	const schoolInfo = await Promise.all(
		contacts.map(async (s) => {
			// The countdown: only on a school day, before the morning register closes.
			const cal = await loadSchoolCalendar(handle.db, s.id);
			const today = localDateOf(now, s.timeZone);
			const closesAt = isSchoolDay(cal, today) ? zonedInstant(s.timeZone, today, s.amRegisterCloses) : null;
			return { name: s.name, closes: clockTime(s.amRegisterCloses), closesAt: closesAt && closesAt > now ? closesAt.toISOString() : null };
		})
	);
	const timeZone = contacts[0]?.timeZone ?? DEFAULT_TIME_ZONE;
	return { children, schools: schoolInfo, today: localDateOf(now, timeZone) };
}

export interface ReportConfirmation {
	reference: string;
	reason: AbsenceReason;
	details: string;
	schoolId: string;
	startsOn: string;
	endsOn: string | null;
	late: boolean;
	/** A part of the day (late arrival, leaving early, an appointment), or null for whole sessions. */
	partDay: 'late_arrival' | 'leaving_early' | 'appointment' | null;
	firstName: string;
	preferredName: string | null;
	lastName: string;
	schoolName: string;
	medicalEvidenceAfterDays: number;
	/** How many school days the report covers. */
	schoolDays: number;
}

/** This guardian's own reports with these references (looked up by reference AND guardian), in the order given. */
export async function reportConfirmations(handle: DatabaseHandle, guardianId: string, references: readonly string[]): Promise<ReportConfirmation[]> {
	if (references.length === 0) return [];
	const rows = await handle.db
		.select({
			reference: absenceReports.reference,
			reason: absenceReports.reason,
			details: absenceReports.details,
			schoolId: absenceReports.schoolId,
			startsOn: absenceReports.startsOn,
			endsOn: absenceReports.endsOn,
			late: absenceReports.late,
			partDay: absenceReports.partDay,
			firstName: pupils.firstName,
			preferredName: pupils.preferredName,
			lastName: pupils.lastName,
			schoolName: schools.name,
			medicalEvidenceAfterDays: schools.medicalEvidenceAfterDays,
			schoolDays: sql<number>`(select count(distinct ${absenceReportSessions.date})::int from ${absenceReportSessions} where ${absenceReportSessions.reportId} = ${absenceReports.id})`
		})
		.from(absenceReports)
		.innerJoin(pupils, eq(pupils.id, absenceReports.pupilId))
		.innerJoin(schools, eq(schools.id, absenceReports.schoolId))
		.where(and(inArray(absenceReports.reference, [...references]), eq(absenceReports.guardianId, guardianId)));
	return rows.sort((a, b) => references.indexOf(a.reference) - references.indexOf(b.reference));
}
