/**
 * The statutory notifications (domain/statutory-notifications.ts): pupils absent without
 * authorisation for 10 school days or more in a row, and pupils who meet the agreed criteria for
 * irregular attendance, listed for the LA officer across every school. These are the only named
 * pupils the officer sees without a referral or a notice.
 *
 * The database narrows the candidates from the maintained per-pupil year counts
 * (pupil_year_code_counts: a few rows per pupil, not a year of marks across every school); the
 * domain decides on the pupils' marks.
 */
import { tallyFromCodeCounts, type Mark } from '../../../domain/attendance';
import { academicYearOf, localDateOf, DEFAULT_TIME_ZONE, type IsoDate } from '../../../domain/calendar';
import { ATTENDANCE_CODES, countsAsAttended, isAttendanceCode, isPossibleSession, isUnauthorisedAbsence, type AttendanceCode } from '../../../domain/codes';
import { childDisplayName, yearGroupLabel } from '../../../domain/pupils';
import { isUuid } from '../../../domain/ids';
import { can } from '../../../domain/permissions';
import {
	statutoryNotificationReasons,
	CONTINUOUS_ABSENCE_SCHOOL_DAYS,
	type ContinuousAbsence,
	type StatutoryNotificationReason
} from '../../../domain/statutory-notifications';
import type { DatabaseHandle } from '../../platform/db/engine';
import type { StaffUser } from '../../platform/db/schema';

const UNAUTHORISED_CODES = ATTENDANCE_CODES.filter(isUnauthorisedAbsence);
const ATTENDED_CODES = ATTENDANCE_CODES.filter(countsAsAttended);
const POSSIBLE_CODES = ATTENDANCE_CODES.filter(isPossibleSession);

export interface StatutoryNotification {
	pupilId: string;
	pupilName: string;
	yearGroup: string;
	schoolId: string;
	schoolName: string;
	reasons: StatutoryNotificationReason[];
	continuous: ContinuousAbsence | null;
	possible: number;
	attended: number;
}

/** The academic year's first and last day, by the September-to-August rule. */
function yearRange(today: IsoDate): { from: IsoDate; to: IsoDate } {
	const start = Number(academicYearOf(today).slice(0, 4));
	return { from: `${start}-08-01`, to: today };
}

/** Every pupil who must be notified this academic year (up to `today`), optionally one pupil only. */
export async function statutoryNotifications(
	handle: DatabaseHandle,
	opts: { today?: IsoDate; pupilId?: string } = {}
): Promise<StatutoryNotification[]> {
	const today = opts.today ?? localDateOf(new Date(), DEFAULT_TIME_ZONE);
	const { from, to } = yearRange(today);
	// A superset of who the domain will list: pupils with at least 10 unauthorised sessions (a run
	// of 10 school days has at least that many), and pupils who attended 90% or less of their
	// possible sessions (the loosest agreed criterion, persistent absence). The counts cover the
	// whole school year; up to today they are the same thing, except for a pupil with marks after
	// today (a past `today`, or marks entered ahead), who is always a candidate and is judged on
	// the marks up to today below.
	const candidates = await handle.query<{ pupil_id: string }>(
		`select c.pupil_id::text as pupil_id from pupil_year_code_counts c
		  where c.year_start = $1::date and ($5::uuid is null or c.pupil_id = $5::uuid)
		  group by c.pupil_id
		 having sum(c.marks) filter (where c.code = any($2::text[])) >= ${CONTINUOUS_ABSENCE_SCHOOL_DAYS}
		     or 10 * coalesce(sum(c.marks) filter (where c.code = any($3::text[])), 0) <= 9 * coalesce(sum(c.marks) filter (where c.code = any($4::text[])), 0)
		 union
		 select distinct m.pupil_id::text from schools s
		  cross join lateral (select pupil_id from attendance_marks where school_id = s.id and date > $6::date and date < ($1::date + interval '1 year')) m
		  where ($5::uuid is null or m.pupil_id = $5::uuid)`,
		[from, UNAUTHORISED_CODES, ATTENDED_CODES, POSSIBLE_CODES, opts.pupilId ?? null, to]
	);
	const ids = candidates.map((c) => c.pupil_id);
	if (ids.length === 0) return [];
	const [marks, info] = await Promise.all([
		handle.query<{ pupil_id: string; date: string; session: 'AM' | 'PM'; code: string }>(
			`select pupil_id::text as pupil_id, date::text as date, session::text as session, code from attendance_marks
			  where pupil_id = any($1::uuid[]) and date between $2::date and $3::date`,
			[ids, from, to]
		),
		handle.query<{ id: string; first_name: string; last_name: string; preferred_name: string | null; year_group: number; school_id: string; school_name: string }>(
			`select p.id::text as id, p.first_name, p.last_name, p.preferred_name, p.year_group, s.id::text as school_id, s.name as school_name
			   from pupils p join schools s on s.id = p.school_id where p.id = any($1::uuid[])`,
			[ids]
		)
	]);
	const byPupil = new Map<string, Mark[]>();
	for (const r of marks) {
		if (!isAttendanceCode(r.code)) continue;
		const list = byPupil.get(r.pupil_id) ?? [];
		list.push({ date: r.date, session: r.session, code: r.code as AttendanceCode });
		byPupil.set(r.pupil_id, list);
	}
	const out: StatutoryNotification[] = [];
	for (const p of info) {
		const pupilMarks = byPupil.get(p.id) ?? [];
		const counts: Partial<Record<AttendanceCode, number>> = {};
		for (const mk of pupilMarks) counts[mk.code] = (counts[mk.code] ?? 0) + 1;
		const tally = tallyFromCodeCounts(counts);
		const { reasons, continuous } = statutoryNotificationReasons(pupilMarks, tally);
		if (reasons.length === 0) continue;
		out.push({
			pupilId: p.id,
			pupilName: childDisplayName({ firstName: p.first_name, lastName: p.last_name, preferredName: p.preferred_name }),
			yearGroup: yearGroupLabel(Number(p.year_group)),
			schoolId: p.school_id,
			schoolName: p.school_name,
			reasons,
			continuous,
			possible: tally.possible,
			attended: tally.attended
		});
	}
	return out.sort((a, b) => a.schoolName.localeCompare(b.schoolName) || a.pupilName.localeCompare(b.pupilName));
}

/** The notifications for the LA officer (nobody else). */
export async function laStatutoryNotifications(
	handle: DatabaseHandle,
	officer: Pick<StaffUser, 'role' | 'disabledAt'>,
	opts: { today?: IsoDate } = {}
): Promise<StatutoryNotification[]> {
	if (officer.disabledAt || !can(officer, 'la.attendance')) return [];
	return statutoryNotifications(handle, opts);
}

/** Whether this pupil is currently on the statutory notifications. */
export async function isStatutorilyNotified(handle: DatabaseHandle, pupilId: string, today?: IsoDate): Promise<boolean> {
	if (!isUuid(pupilId)) return false;
	return (await statutoryNotifications(handle, { pupilId, today })).length > 0;
}
