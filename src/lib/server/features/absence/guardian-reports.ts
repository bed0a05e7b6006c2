/** A parent's own reports: only about their own children, whoever of the child's guardians made them. */
import { isUuid } from '../../../domain/ids';
import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { type AbsenceReason, type ReportSessions } from '../../../domain/absence';
import { type IsoDate } from '../../../domain/calendar';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { absenceReports, pupilGuardians, pupils, schools } from '../../platform/db/schema';
import { childFirstName } from '../../../domain/pupils';
import type { AbsenceStatus } from './report-input';


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

export const guardianReportColumns = {
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
