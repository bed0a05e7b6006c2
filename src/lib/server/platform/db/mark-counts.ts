/**
 * The triggers that keep pupil_year_code_counts (schema-scale.ts) equal to counting
 * attendance_marks. Statement-level with transition tables: a 760,000-mark import runs the
 * trigger once, as one GROUP BY over the new rows, not 760,000 times. Installed after the
 * migrations on every start (idempotent, under the migrations' advisory lock on PostgreSQL);
 * the first time, the counts are built from the marks already there.
 */
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from './engine';

/** The 1 August that starts the school year `d` (a date expression) falls in. */
const YEAR_START = (d: string) => `make_date(extract(year from (${d} - interval '7 months'))::int, 8, 1)`;

const groupedRows = (rows: string) => `
	select school_id, ${YEAR_START('date')} as year_start, pupil_id, code,
	       count(*)::int as marks, coalesce(sum(minutes_late), 0)::int as minutes_late
	  from ${rows}
	 group by 1, 2, 3, 4`;

const ADD = (rows: string) => `
	insert into pupil_year_code_counts as c (school_id, year_start, pupil_id, code, marks, minutes_late)
	${groupedRows(rows)}
	order by 1, 2, 3, 4
	on conflict (school_id, year_start, pupil_id, code) do update
	   set marks = c.marks + excluded.marks, minutes_late = c.minutes_late + excluded.minutes_late;`;

// Two statements: a DELETE cannot see rows an UPDATE in the same statement's WITH changed.
const SUBTRACT = (rows: string) => `
	update pupil_year_code_counts c
	   set marks = c.marks - g.marks, minutes_late = c.minutes_late - g.minutes_late
	  from (${groupedRows(rows)}) g
	 where c.school_id = g.school_id and c.year_start = g.year_start and c.pupil_id = g.pupil_id and c.code = g.code;
	delete from pupil_year_code_counts c
	 using (select distinct school_id, pupil_id from ${rows}) g
	 where c.marks <= 0 and c.school_id = g.school_id and c.pupil_id = g.pupil_id;`;

/** One statement each: PGlite's extended protocol takes a single statement per query. */
export const MARK_COUNT_TRIGGERS_SQL: readonly string[] = [
	`create or replace function every_day_mark_counts_insert() returns trigger language plpgsql as $fn$
	begin
		${ADD('new_marks')}
		return null;
	end $fn$`,
	`create or replace function every_day_mark_counts_delete() returns trigger language plpgsql as $fn$
	begin
		${SUBTRACT('old_marks')}
		return null;
	end $fn$`,
	`create or replace function every_day_mark_counts_update() returns trigger language plpgsql as $fn$
	begin
		${SUBTRACT('old_marks')}
		${ADD('new_marks')}
		return null;
	end $fn$`,
	`create or replace trigger attendance_marks_counts_insert after insert on attendance_marks
		referencing new table as new_marks for each statement execute function every_day_mark_counts_insert()`,
	`create or replace trigger attendance_marks_counts_delete after delete on attendance_marks
		referencing old table as old_marks for each statement execute function every_day_mark_counts_delete()`,
	`create or replace trigger attendance_marks_counts_update after update on attendance_marks
		referencing old table as old_marks new table as new_marks for each statement execute function every_day_mark_counts_update()`
];

/**
 * Installs the triggers and, when the counts are empty but there are marks (the first start
 * after this table was added), builds them from the marks. The build runs with writers to
 * attendance_marks held off, so no mark is counted twice or missed.
 */
export async function installMarkCountTriggers(handle: DatabaseHandle): Promise<void> {
	await handle.db.transaction(async (tx) => {
		const run = (text: string) => tx.execute(sql.raw(text));
		await run(`select pg_advisory_xact_lock(hashtext('every-day:mark-counts'))`);
		for (const statement of MARK_COUNT_TRIGGERS_SQL) await run(statement);
		const empty = (await run(
			`select not exists (select 1 from pupil_year_code_counts) and exists (select 1 from attendance_marks) as build`
		)) as unknown as { rows: { build: boolean }[] };
		if (empty.rows[0]?.build) {
			await run('lock table attendance_marks in share mode');
			await run(`insert into pupil_year_code_counts (school_id, year_start, pupil_id, code, marks, minutes_late) ${groupedRows('attendance_marks')}`);
		}
	});
}
