/**
 * Which children a parent or carer may see, and what they see about each.
 *
 * Every read starts from the guardian's own pupil_guardians links: a pupil id from a URL is only
 * ever looked up together with the signed-in guardian's id, so another family's child gives
 * "not found", never their data. A guardian linked at several schools sees every child.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import {
	attendancePercent,
	BAND_INFO,
	bandFor,
	daysFromSessions,
	formatPercent,
	missedSessions,
	tallyFromCodeCounts,
	type Band
} from '../../../domain/attendance';
import { academicYearBounds, compareDates, localDateOf, type IsoDate } from '../../../domain/calendar';
import type { AttendanceCode } from '../../../domain/codes';
import { isUuid } from '../../../domain/ids';
import type { PupilPlace } from '../../../domain/pupils';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import type { DatabaseHandle, Db } from '../../platform/db/engine';
import { attendanceMarks, pupilGuardians, pupils, schools } from '../../platform/db/schema';
import { pupilPlaceColumns } from '../../platform/db/columns';

export interface GuardianChild extends PupilPlace {
	relationship: string;
	schoolId: string;
	schoolName: string;
}

const childColumns = {
	...pupilPlaceColumns,
	relationship: pupilGuardians.relationship,
	schoolId: schools.id,
	schoolName: schools.name
};

/**
 * The dates of birth of the guardian's children that the school gave. They only tell twins
 * apart when a parent writes "the twins are ill"; they are never shown.
 */
export async function birthDatesOfChildren(db: Db, guardianId: string): Promise<Map<string, IsoDate>> {
	if (!isUuid(guardianId)) return new Map();
	const rows = await db
		.select({ id: pupils.id, born: pupils.dateOfBirth })
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.where(eq(pupilGuardians.guardianId, guardianId));
	return new Map(rows.filter((r) => r.born).map((r) => [r.id, r.born!]));
}

/** Every child linked to the guardian, at every school in the deployment. */
export async function childrenOfGuardian(db: Db, guardianId: string): Promise<GuardianChild[]> {
	return db
		.select(childColumns)
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.innerJoin(schools, eq(schools.id, pupils.schoolId))
		.where(eq(pupilGuardians.guardianId, guardianId))
		.orderBy(asc(schools.name), sql`${pupils.yearGroup} desc`, asc(pupils.firstName));
}

export async function linkedChild(db: Db, guardianId: string, pupilId: string): Promise<GuardianChild | null> {
	// A malformed id would make PostgreSQL raise on the uuid cast; it is simply not a child of theirs.
	if (!isUuid(pupilId) || !isUuid(guardianId)) return null;
	const [row] = await db
		.select(childColumns)
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.innerJoin(schools, eq(schools.id, pupils.schoolId))
		.where(and(eq(pupilGuardians.guardianId, guardianId), eq(pupilGuardians.pupilId, pupilId)))
		.limit(1);
	return row ?? null;
}

export async function guardianCanSeePupil(db: Db, guardianId: string, pupilId: string): Promise<boolean> {
	return (await linkedChild(db, guardianId, pupilId)) !== null;
}

export interface ChildAttendanceOverview {
	child: GuardianChild;
	academicYear: string;
	from: IsoDate;
	to: IsoDate;
	possibleSessions: number;
	attendedSessions: number;
	/** Exact percentage; null before any possible session. */
	percent: number | null;
	/** e.g. '95.3%', or '—'. */
	percentText: string;
	daysMissed: number;
	authorisedDays: number;
	unauthorisedDays: number;
	band: Band | null;
	/** Supportive parent wording for the band (never the staff band names). */
	parentLabel: string | null;
	parentMessage: string | null;
	parentNextSteps: string[];
}

/**
 * This academic year's attendance for one of the guardian's children, up to today in the
 * school's time zone. Null when the pupil is not linked to the guardian (callers answer 404).
 */
export async function childAttendanceOverview(
	handle: DatabaseHandle | Db,
	guardianId: string,
	pupilId: string,
	now: Date = new Date()
): Promise<ChildAttendanceOverview | null> {
	const db = 'db' in handle ? handle.db : handle;
	const child = await linkedChild(db, guardianId, pupilId);
	if (!child) return null;

	const calendar = await loadSchoolCalendar(db, child.schoolId);
	const today = localDateOf(now, calendar.timeZone);
	const year = academicYearBounds(calendar, today);
	const to = compareDates(today, year.endsOn) < 0 ? today : year.endsOn;

	const rows = await db
		.select({
			code: attendanceMarks.code,
			n: sql<number>`count(*)::int`,
			minutes: sql<number>`coalesce(sum(${attendanceMarks.minutesLate}), 0)::int`
		})
		.from(attendanceMarks)
		.where(
			and(
				eq(attendanceMarks.pupilId, pupilId),
				sql`${attendanceMarks.date} >= ${year.startsOn}::date`,
				sql`${attendanceMarks.date} <= ${to}::date`
			)
		)
		.groupBy(attendanceMarks.code);

	const counts: Partial<Record<AttendanceCode, number>> = {};
	let minutes = 0;
	for (const r of rows) {
		counts[r.code as AttendanceCode] = Number(r.n);
		minutes += Number(r.minutes);
	}
	const tally = tallyFromCodeCounts(counts, minutes);
	const percent = attendancePercent(tally.attended, tally.possible);
	const band = bandFor(tally.attended, tally.possible);
	const info = band ? BAND_INFO[band] : null;
	return {
		child,
		academicYear: year.academicYear,
		from: year.startsOn,
		to,
		possibleSessions: tally.possible,
		attendedSessions: tally.attended,
		percent,
		percentText: formatPercent(percent),
		daysMissed: daysFromSessions(missedSessions(tally)),
		authorisedDays: daysFromSessions(tally.authorisedAbsence),
		unauthorisedDays: daysFromSessions(tally.unauthorisedAbsence),
		band,
		parentLabel: info?.parentLabel ?? null,
		parentMessage: info?.parentMessage ?? null,
		parentNextSteps: info ? [...info.parentNextSteps] : []
	};
}

export { yearGroupLabel } from '../../../domain/pupils';
