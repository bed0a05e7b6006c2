/**
 * The view across schools: for each school and half term, attendance and the persistent and
 * severe absence rates, with the trend and the local authority's totals. No pupil names: the
 * figures are counts.
 *
 * A year of marks for a whole authority is millions of rows, so the view reads a rollup (each
 * pupil's possible and attended sessions per half term, `la_attendance_rollup`), rebuilt per
 * school when its register changes. The database only counts: which codes are possible and which
 * count as attended are passed in from the domain, and whether a pupil is persistently or
 * severely absent is decided by the domain's own functions, over distinct (possible, attended)
 * pairs with how many pupils share each.
 */
import { sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import { attendancePercent } from '../../../domain/attendance';
import { academicYearOf, localDateOf, DEFAULT_TIME_ZONE, type IsoDate } from '../../../domain/calendar';
import { ATTENDANCE_CODES, countsAsAttended, isPossibleSession } from '../../../domain/codes';
import { can } from '../../../domain/permissions';
import { spreadsheetSafe } from '../../platform/csv-safe';
import type { DatabaseHandle } from '../../platform/db/engine';
import type { StaffUser } from '../../platform/db/schema';

const POSSIBLE_CODES = ATTENDANCE_CODES.filter(isPossibleSession);
const ATTENDED_CODES = ATTENDANCE_CODES.filter(countsAsAttended);

/** Rebuilds one school's rollup from its marks, in one transaction (a reader sees the old rows or the new). */
export async function refreshSchoolRollup(handle: DatabaseHandle, schoolId: string, now: Date = new Date()): Promise<void> {
	await handle.db.transaction(async (tx) => {
		await tx.execute(sql`delete from la_attendance_rollup where school_id = ${schoolId}`);
		await tx.execute(sql`
			insert into la_attendance_rollup (pupil_id, school_id, academic_year, term_name, term_starts_on, possible, attended)
			select m.pupil_id, m.school_id, t.academic_year, t.name, t.starts_on,
			       (count(*) filter (where m.code = any(${sql.param(POSSIBLE_CODES)}::text[])))::int,
			       (count(*) filter (where m.code = any(${sql.param(ATTENDED_CODES)}::text[])))::int
			  from attendance_marks m
			  join school_terms t on t.school_id = m.school_id and m.date between t.starts_on and t.ends_on
			 where m.school_id = ${schoolId}
			 group by m.pupil_id, m.school_id, t.academic_year, t.name, t.starts_on`);
		await tx.execute(sql`
			insert into la_rollup_state (school_id, refreshed_at) values (${schoolId}, ${now})
			on conflict (school_id) do update set refreshed_at = excluded.refreshed_at`);
	});
}

/**
 * Rebuilds the rollup of every school whose register changed since its last rebuild (an applied
 * import after it), or that has none yet. Returns how many schools were rebuilt.
 */
export async function refreshStaleRollups(handle: DatabaseHandle, now: Date = new Date()): Promise<number> {
	const stale = await handle.query<{ id: string }>(
		`select s.id::text as id from schools s left join la_rollup_state r on r.school_id = s.id
		  where r.refreshed_at is null
		     or exists (select 1 from register_imports i where i.school_id = s.id and i.status = 'applied' and i.finished_at > r.refreshed_at)`
	);
	for (const s of stale) await refreshSchoolRollup(handle, s.id, now);
	return stale.length;
}

export interface PeriodFigures {
	termName: string;
	termStartsOn: IsoDate;
	pupils: number;
	possible: number;
	attended: number;
	/** Exact percentages; null with nothing to divide by. */
	attendancePercent: number | null;
	persistentPercent: number | null;
	severePercent: number | null;
	persistent: number;
	severe: number;
	/** Attendance change from the previous half term, in percentage points; null for the first. */
	trend: number | null;
}

export interface SchoolOverview {
	schoolId: string;
	name: string;
	halfTerms: PeriodFigures[];
	/** The year so far (every half term together; a pupil counted once per half term). */
	year: PeriodFigures;
}

export interface LaOverview {
	academicYear: string;
	schools: SchoolOverview[];
	totals: { halfTerms: PeriodFigures[]; year: PeriodFigures };
	refreshedAt: Date | null;
}

interface Bucket {
	termName: string;
	termStartsOn: string;
	pupils: number;
	possible: number;
	attended: number;
	persistent: number;
	severe: number;
}

const emptyBucket = (termName: string, termStartsOn: string): Bucket => ({ termName, termStartsOn, pupils: 0, possible: 0, attended: 0, persistent: 0, severe: 0 });

function finish(buckets: Bucket[]): PeriodFigures[] {
	const sorted = [...buckets].sort((a, b) => a.termStartsOn.localeCompare(b.termStartsOn));
	let previous: number | null = null;
	return sorted.map((b) => {
		const percent = attendancePercent(b.attended, b.possible);
		const trend = percent !== null && previous !== null ? percent - previous : null;
		if (percent !== null) previous = percent;
		return figuresOf(b, percent, trend);
	});
}

function figuresOf(b: Bucket, percent: number | null, trend: number | null): PeriodFigures {
	return {
		termName: b.termName,
		termStartsOn: b.termStartsOn,
		pupils: b.pupils,
		possible: b.possible,
		attended: b.attended,
		attendancePercent: percent,
		persistentPercent: b.pupils ? (100 * b.persistent) / b.pupils : null,
		severePercent: b.pupils ? (100 * b.severe) / b.pupils : null,
		persistent: b.persistent,
		severe: b.severe,
		trend
	};
}

/** The overview for the LA officer (null for anyone else). */
export async function laOverview(
	handle: DatabaseHandle,
	officer: Pick<StaffUser, 'role' | 'disabledAt'>,
	opts: { academicYear?: string; today?: IsoDate } = {}
): Promise<LaOverview | null> {
	if (officer.disabledAt || !can(officer, 'la.attendance')) return null;
	const given = opts.academicYear && /^\d{4}\/\d{2}$/.test(opts.academicYear) ? opts.academicYear : null;
	const academicYear = given ?? academicYearOf(opts.today ?? localDateOf(new Date(), DEFAULT_TIME_ZONE));
	return crossSchoolFigures(handle, academicYear);
}

/** The figures themselves (the benchmark calls this directly). */
export async function crossSchoolFigures(handle: DatabaseHandle, academicYear: string): Promise<LaOverview> {
	// Persistent (10% or more missed) and severe (50% or more) are counted in SQL, with the same
	// integer comparisons as isPersistentAbsence and isSevereAbsence (the LA tests check the two
	// agree): a few hundred rows come back instead of a row per distinct pair of figures.
	type Counted = { school_id: string; possible: number | string; attended: number | string; pupils: number; persistent: number; severe: number };
	const counts = `count(*)::int as pupils, sum(possible)::bigint as possible, sum(attended)::bigint as attended,
	                count(*) filter (where possible > 0 and 10 * (possible - attended) >= possible)::int as persistent,
	                count(*) filter (where possible > 0 and 2 * (possible - attended) >= possible)::int as severe`;
	const [schoolRows, termRows, yearRows, state] = await Promise.all([
		handle.query<{ id: string; name: string }>('select id::text as id, name from schools order by name'),
		handle.query<Counted & { term_name: string; term_starts_on: string }>(
			`select school_id::text as school_id, term_name, term_starts_on::text as term_starts_on, ${counts}
			   from la_attendance_rollup where academic_year = $1
			  group by school_id, term_name, term_starts_on`,
			[academicYear]
		),
		// The year's persistent and severe absence are over the whole year's sessions per pupil.
		handle.query<Counted>(
			`select school_id::text as school_id, ${counts}
			   from (select school_id, pupil_id, sum(possible)::int as possible, sum(attended)::int as attended
			           from la_attendance_rollup where academic_year = $1 group by school_id, pupil_id) p
			  group by school_id`,
			[academicYear]
		),
		handle.query<{ at: Date | string | null }>('select min(refreshed_at) as at from la_rollup_state')
	]);

	const bySchool = new Map<string, Map<string, Bucket>>();
	const totals = new Map<string, Bucket>();
	const add = (b: Bucket, r: Counted) => {
		b.pupils += Number(r.pupils);
		b.possible += Number(r.possible);
		b.attended += Number(r.attended);
		b.persistent += Number(r.persistent);
		b.severe += Number(r.severe);
	};
	for (const r of termRows) {
		const terms = bySchool.get(r.school_id) ?? new Map<string, Bucket>();
		bySchool.set(r.school_id, terms);
		const bucket = terms.get(r.term_starts_on) ?? emptyBucket(r.term_name, r.term_starts_on);
		terms.set(r.term_starts_on, bucket);
		add(bucket, r);
		// LA totals by half term name: schools' half terms can start on different days.
		const total = totals.get(r.term_name) ?? emptyBucket(r.term_name, r.term_starts_on);
		if (r.term_starts_on < total.termStartsOn) total.termStartsOn = r.term_starts_on;
		totals.set(r.term_name, total);
		add(total, r);
	}
	const yearBySchool = new Map<string, Bucket>();
	const yearTotal = emptyBucket('Year to date', '');
	for (const r of yearRows) {
		const bucket = yearBySchool.get(r.school_id) ?? emptyBucket('Year to date', '');
		yearBySchool.set(r.school_id, bucket);
		add(bucket, r);
		add(yearTotal, r);
	}

	const schools: SchoolOverview[] = schoolRows.map((s) => {
		const terms = [...(bySchool.get(s.id)?.values() ?? [])];
		const y = yearBySchool.get(s.id) ?? emptyBucket('Year to date', '');
		return { schoolId: s.id, name: s.name, halfTerms: finish(terms), year: figuresOf(y, attendancePercent(y.attended, y.possible), null) };
	});
	const at = state[0]?.at;
	return {
		academicYear,
		schools,
		totals: { halfTerms: finish([...totals.values()]), year: figuresOf(yearTotal, attendancePercent(yearTotal.attended, yearTotal.possible), null) },
		refreshedAt: at ? new Date(at) : null
	};
}

const pct = (p: number | null) => (p === null ? '' : p.toFixed(1));

/** The overview as CSV: one row per school and half term, then the year, then the LA's totals. */
export function overviewCsv(overview: LaOverview): string {
	const rows: (string | number)[][] = [];
	const line = (school: string, f: PeriodFigures) =>
		rows.push([spreadsheetSafe(school), spreadsheetSafe(f.termName), f.pupils, f.possible, f.attended, pct(f.attendancePercent), f.persistent, pct(f.persistentPercent), f.severe, pct(f.severePercent), f.trend === null ? '' : f.trend.toFixed(1)]);
	for (const s of overview.schools) {
		for (const f of s.halfTerms) line(s.name, f);
		line(s.name, s.year);
	}
	for (const f of overview.totals.halfTerms) line('All schools', f);
	line('All schools', overview.totals.year);
	return stringify(rows, {
		header: true,
		columns: ['School', 'Period', 'Pupils', 'Possible sessions', 'Attended sessions', 'Attendance %', 'Persistently absent', 'Persistent absence %', 'Severely absent', 'Severe absence %', 'Change from previous half term (points)']
	});
}
