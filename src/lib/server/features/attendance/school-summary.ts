/**
 * Attendance figures for every pupil in a school (staff overview, band lists, campaign audiences).
 *
 * The database only counts. When the range lies inside one school year (1 August – 31 July) and
 * the school has no marks in that year outside the range — an academic year, or the year so far
 * — the counts come from pupil_year_code_counts, which triggers keep equal to counting the
 * marks (about 10,000 rows for a 2,000-pupil school instead of 760,000 marks). Otherwise one
 * `count(*) … group by pupil_id, code` over the school's marks in the range (the
 * attendance_marks (school_id, date) index). Every rule — what is possible,
 * what counts as attended, the bands, persistent and severe absence — comes from the domain
 * (`tallyFromCodeCounts`, `attendancePercent`, `bandFor`, `isPersistentAbsence`,
 * `isSevereAbsence`), so the SQL never re-implements them.
 */
import {
	attendancePercent,
	bandFor,
	isPersistentAbsence,
	isSevereAbsence,
	tallyFromCodeCounts,
	type Band,
	type Tally
} from '../../../domain/attendance';
import { academicYearBounds, localDateOf, type IsoDate } from '../../../domain/calendar';
import type { AttendanceCode } from '../../../domain/codes';
import { countYearCovering } from '../../../domain/count-years';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import type { DatabaseHandle } from '../../platform/db/engine';

export interface PupilAttendanceSummary {
	pupilId: string;
	misId: string;
	firstName: string;
	lastName: string;
	preferredName: string | null;
	yearGroup: number;
	className: string | null;
	/** Possible sessions (every mark except the "not possible" codes). */
	possible: number;
	/** Present + approved educational activity. */
	attended: number;
	authorisedAbsence: number;
	unauthorisedAbsence: number;
	/** `L`: arrived late before the register closed (present). */
	lateBeforeClose: number;
	/** `U`: arrived after the register closed (unauthorised absence). */
	lateAfterClose: number;
	/** Total minutes late recorded. */
	minutesLate: number;
	/** Exact attended ÷ possible × 100; null with no possible sessions. */
	percent: number | null;
	/** Null with no possible sessions. */
	band: Band | null;
	persistent: boolean;
	severe: boolean;
	/** Per-code counts, in register order. */
	byCode: Tally['byCode'];
}

export interface SummaryRange {
	from?: IsoDate;
	to?: IsoDate;
}

interface PupilRow {
	id: string;
	mis_id: string;
	first_name: string;
	last_name: string;
	preferred_name: string | null;
	year_group: number;
	class_name: string | null;
	joined_on: string | null;
	left_on: string | null;
}

interface CountRow {
	pupil_id: string;
	code: string;
	n: number;
	minutes: number;
}

/**
 * The date range a summary covers: `from`/`to` as given, otherwise the academic year (from the
 * school's calendar) that contains today in the school's time zone.
 */
export async function resolveSummaryRange(
	handle: DatabaseHandle,
	schoolId: string,
	range: SummaryRange = {}
): Promise<{ from: IsoDate; to: IsoDate }> {
	if (range.from && range.to) return { from: range.from, to: range.to };
	const calendar = await loadSchoolCalendar(handle.db, schoolId);
	const year = academicYearBounds(calendar, range.to ?? range.from ?? localDateOf(new Date(), calendar.timeZone));
	return { from: range.from ?? year.startsOn, to: range.to ?? year.endsOn };
}

/**
 * Per pupil and code, the marks in `from`..`to` and their minutes late: from the maintained
 * counts when they are exactly the range's (the year holds no marks outside it), else counted.
 */
export async function schoolCodeCounts(handle: DatabaseHandle, schoolId: string, from: IsoDate, to: IsoDate): Promise<CountRow[]> {
	const year = countYearCovering(from, to);
	if (year) {
		const [outside] = await handle.query<{ outside: boolean }>(
			`select exists (
			   select 1 from attendance_marks
			    where school_id = $1 and ((date >= $2::date and date < $3::date) or (date > $4::date and date <= $5::date))
			 ) as outside`,
			[schoolId, year.start, from, to, year.end]
		);
		if (!outside?.outside) {
			return handle.query<CountRow>(
				`select pupil_id::text as pupil_id, code, marks as n, minutes_late as minutes
				   from pupil_year_code_counts
				  where school_id = $1 and year_start = $2::date`,
				[schoolId, year.start]
			);
		}
	}
	return handle.query<CountRow>(
		`select pupil_id::text as pupil_id, code, count(*)::int as n, coalesce(sum(minutes_late), 0)::int as minutes
		   from attendance_marks
		  where school_id = $1 and date >= $2::date and date <= $3::date
		  group by pupil_id, code`,
		[schoolId, from, to]
	);
}

/**
 * One row per pupil of the school (ordered by year group, class and name), including pupils
 * with no marks in the range. Pupils who had left before `from` or joined after `to` are left
 * out unless they have marks in the range.
 */
export async function schoolAttendanceSummary(
	handle: DatabaseHandle,
	schoolId: string,
	range?: SummaryRange
): Promise<PupilAttendanceSummary[]> {
	const { from, to } = await resolveSummaryRange(handle, schoolId, range);

	const [pupils, counts] = await Promise.all([
		handle.query<PupilRow>(
			`select id::text as id, mis_id, first_name, last_name, preferred_name, year_group, class_name,
			        joined_on::text as joined_on, left_on::text as left_on
			   from pupils
			  where school_id = $1
			  order by year_group, class_name nulls last, last_name, first_name, mis_id`,
			[schoolId]
		),
		schoolCodeCounts(handle, schoolId, from, to)
	]);

	const byPupil = new Map<string, { counts: Partial<Record<AttendanceCode, number>>; minutes: number }>();
	for (const row of counts) {
		let entry = byPupil.get(row.pupil_id);
		if (!entry) {
			entry = { counts: {}, minutes: 0 };
			byPupil.set(row.pupil_id, entry);
		}
		// An unknown code (which imports never write) makes tallyFromCodeCounts throw, by design.
		entry.counts[row.code as AttendanceCode] = Number(row.n);
		entry.minutes += Number(row.minutes);
	}

	const out: PupilAttendanceSummary[] = [];
	for (const p of pupils) {
		const marks = byPupil.get(p.id);
		const onRoll = (!p.joined_on || p.joined_on <= to) && (!p.left_on || p.left_on >= from);
		if (!marks && !onRoll) continue;
		const tally = tallyFromCodeCounts(marks?.counts ?? {}, marks?.minutes ?? 0);
		out.push({
			pupilId: p.id,
			misId: p.mis_id,
			firstName: p.first_name,
			lastName: p.last_name,
			preferredName: p.preferred_name,
			yearGroup: Number(p.year_group),
			className: p.class_name,
			possible: tally.possible,
			attended: tally.attended,
			authorisedAbsence: tally.authorisedAbsence,
			unauthorisedAbsence: tally.unauthorisedAbsence,
			lateBeforeClose: tally.lateBeforeClose,
			lateAfterClose: tally.lateAfterClose,
			minutesLate: tally.minutesLate,
			percent: attendancePercent(tally.attended, tally.possible),
			band: bandFor(tally.attended, tally.possible),
			persistent: isPersistentAbsence(tally),
			severe: isSevereAbsence(tally),
			byCode: tally.byCode
		});
	}
	return out;
}
