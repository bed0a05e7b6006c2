/**
 * Writing a validated import, set-based: the marks go into a temporary staging table in large
 * unnest() batches, then three statements do the work for the whole file (amendments for
 * changed codes, one upsert, the import record). Everything runs inside one drizzle transaction,
 * which drizzle pins to a single pooled connection on PostgreSQL — the temporary table and the
 * transaction would otherwise be split across connections.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import { registerImports } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import type { MarkCollector, StagedMarks } from './validate';
import type { ImportActorType, ImportError, ImportResult, ImportSource } from './types';

/** Rows per unnest() batch: large enough to amortise round trips, small enough for one message. */
const BATCH_SIZE = 50_000;

/**
 * The amendments and the upsert run one calendar month of the file at a time (one transaction
 * still). A whole year of a large school in one statement (760,000 marks) ran past the
 * statement timeout on a busy server; by month, each statement joins only that month's marks
 * (the (school_id, date) index), so the slices add up to the same work as one statement.
 */
export function monthSlices(from: string, to: string): { from: string; to: string }[] {
	const slices: { from: string; to: string }[] = [];
	for (let start = from; start <= to; ) {
		const y = Number(start.slice(0, 4));
		const m = Number(start.slice(5, 7));
		const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
		const end = monthEnd < to ? monthEnd : to;
		slices.push({ from: start, to: end });
		start = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
	}
	return slices;
}

export interface RecordOptions {
	handle: DatabaseHandle;
	importId: string;
	schoolId: string;
	source: ImportSource;
	actorType: ImportActorType;
	importedBy: string;
	filename?: string;
	startedAt: Date;
	rowsRead: number;
}

type Tx = Parameters<Parameters<DatabaseHandle['db']['transaction']>[0]>[0];

/** Both drivers put result rows on `.rows` (node-postgres QueryResult, PGlite Results). */
async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
	const result = (await tx.execute(query)) as unknown as { rows: T[] };
	return result.rows;
}

export async function applyMarks(
	opts: RecordOptions & { marks: StagedMarks; amendmentReason: string }
): Promise<ImportResult> {
	const result = await applyMarksInTransaction(opts);
	// Bulk changes leave the planner's statistics stale (PGlite never autovacuums, and a busy
	// server may not get to it before the morning): without them the whole-school summary
	// sorts on disk instead of hash-aggregating. ~0.1 s for a year of marks.
	if (result.marksInserted + result.marksAmended >= ANALYZE_AFTER_CHANGED_MARKS) {
		await opts.handle.db.execute(sql`analyze attendance_marks`);
	}
	return result;
}

const ANALYZE_AFTER_CHANGED_MARKS = 10_000;

async function applyMarksInTransaction(
	opts: RecordOptions & { marks: StagedMarks; amendmentReason: string }
): Promise<ImportResult> {
	const { handle, schoolId, marks } = opts;
	const total = marks.pupilIds.length;
	return handle.db.transaction(async (tx) => {
		// Imports for one school run one at a time (a nightly CSV and an hourly API push may
		// overlap); otherwise two could both see the old code and write duplicate amendments.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'every-day:register-import:' + schoolId}))`);

		let inserted = 0;
		let amended = 0;
		if (total > 0) {
			await tx.execute(sql`
				create temp table register_import_staging (
					pupil_id uuid not null,
					date date not null,
					session register_session not null,
					code text not null,
					minutes_late smallint,
					code_detail text,
					detail_given boolean not null,
					amended_by_name text,
					amended_by_role text
				) on commit drop`);
			for (let start = 0; start < total; start += BATCH_SIZE) {
				const end = Math.min(start + BATCH_SIZE, total);
				// Sessions travel as text[]: PGlite cannot serialise an array of a custom enum.
				await tx.execute(sql`
					insert into register_import_staging (pupil_id, date, session, code, minutes_late, code_detail, detail_given, amended_by_name, amended_by_role)
					select p, d, s::register_session, c, m, cd, dg, ab, ar
					from unnest(
						${sql.param(marks.pupilIds.slice(start, end))}::uuid[],
						${sql.param(marks.dates.slice(start, end))}::date[],
						${sql.param(marks.sessions.slice(start, end))}::text[],
						${sql.param(marks.codes.slice(start, end))}::text[],
						${sql.param(marks.minutesLate.slice(start, end))}::smallint[],
						${sql.param(marks.codeDetails.slice(start, end))}::text[],
						${sql.param(marks.detailGiven.slice(start, end))}::boolean[],
						${sql.param(marks.amendedBy.slice(start, end))}::text[],
						${sql.param(marks.amendedByRole.slice(start, end))}::text[]
					) as u(p, d, s, c, m, cd, dg, ab, ar)`);
			}
			// Each month's statements read only that month of the staging table.
			await tx.execute(sql`create index on register_import_staging (date)`);
			// Temporary tables are never auto-analysed; without statistics the planner guesses
			// a tiny table and may pick a nested loop over hundreds of thousands of rows.
			await tx.execute(sql`analyze register_import_staging`);

			for (const month of monthSlices(marks.minDate!, marks.maxDate!)) {
				// The date range lets the join use attendance_marks_school_date_idx instead of
				// scanning every school's marks.
				const range = sql`m.school_id = ${schoolId} and m.date between ${month.from}::date and ${month.to}::date`;
				const slice = sql`s.date between ${month.from}::date and ${month.to}::date`;
				await tx.execute(sql`
					insert into attendance_mark_amendments
						(pupil_id, school_id, date, session, previous_code, new_code, reason, amended_by, amended_by_name, amended_by_role)
					select m.pupil_id, m.school_id, m.date, m.session, m.code, s.code, ${opts.amendmentReason}, ${opts.importedBy}, s.amended_by_name, s.amended_by_role
					from register_import_staging s
					join attendance_marks m on m.pupil_id = s.pupil_id and m.date = s.date and m.session = s.session
					where ${range} and m.code <> s.code and ${slice}`);

				// xmax = 0 only on a freshly inserted row version, which tells inserts from updates.
				// The WHERE on DO UPDATE leaves identical marks untouched (no new row version, same
				// updated_at), which is what makes a re-import a no-op.
				const [counts] = await rows<{ inserted: number; updated: number }>(
					tx,
					sql`
					with upserted as (
						insert into attendance_marks (pupil_id, date, session, school_id, code, minutes_late, code_detail, source)
						select s.pupil_id, s.date, s.session, ${schoolId}::uuid, s.code, s.minutes_late,
							-- An input that does not say keeps the detail held, but only while the code stays the same.
							case when s.detail_given then s.code_detail when m.code = s.code then m.code_detail end,
							${opts.source}::mark_source
						from register_import_staging s
						left join attendance_marks m on m.pupil_id = s.pupil_id and m.date = s.date and m.session = s.session and ${range}
						where ${slice}
						on conflict (pupil_id, date, session) do update
							set code = excluded.code,
								minutes_late = excluded.minutes_late,
								code_detail = excluded.code_detail,
								source = excluded.source,
								updated_at = now()
							where attendance_marks.code is distinct from excluded.code
								or attendance_marks.minutes_late is distinct from excluded.minutes_late
								or attendance_marks.code_detail is distinct from excluded.code_detail
						returning (xmax = 0) as inserted
					)
					select (count(*) filter (where inserted))::int as inserted,
						(count(*) filter (where not inserted))::int as updated
					from upserted`
				);
				inserted += counts?.inserted ?? 0;
				amended += counts?.updated ?? 0;
			}
		}

		const result: ImportResult = {
			importId: opts.importId,
			status: 'applied',
			rowsRead: opts.rowsRead,
			marksInserted: inserted,
			marksAmended: amended,
			marksUnchanged: total - inserted - amended,
			errorCount: 0,
			errors: []
		};
		await recordImport(tx, opts, result);
		return result;
	});
}

/** Records a rejected import (nothing applied) with its error report. */
export async function recordRejected(
	opts: RecordOptions & { errorCount: number; errors: ImportError[] }
): Promise<ImportResult> {
	const result: ImportResult = {
		importId: opts.importId,
		status: 'rejected',
		rowsRead: opts.rowsRead,
		marksInserted: 0,
		marksAmended: 0,
		marksUnchanged: 0,
		errorCount: opts.errorCount,
		errors: opts.errors
	};
	await opts.handle.db.transaction(async (tx) => recordImport(tx, opts, result));
	return result;
}

async function recordImport(tx: Tx, opts: RecordOptions, result: ImportResult): Promise<void> {
	await tx.insert(registerImports).values({
		id: result.importId,
		schoolId: opts.schoolId,
		source: opts.source,
		filename: opts.filename ?? null,
		status: result.status,
		rowsRead: result.rowsRead,
		marksInserted: result.marksInserted,
		marksAmended: result.marksAmended,
		marksUnchanged: result.marksUnchanged,
		errorCount: result.errorCount,
		errors: result.errors,
		importedBy: opts.importedBy,
		startedAt: opts.startedAt
	});
	// Counts only: the error messages quote pupil identifiers, and the audit log outlives them.
	await writeAudit(tx, {
		actorType: opts.actorType,
		actorId: opts.importedBy,
		action: 'register.import',
		schoolId: opts.schoolId,
		subjectType: 'register_import',
		subjectId: result.importId,
		details: {
			status: result.status,
			source: opts.source,
			rowsRead: result.rowsRead,
			marksInserted: result.marksInserted,
			marksAmended: result.marksAmended,
			marksUnchanged: result.marksUnchanged,
			errorCount: result.errorCount
		}
	});
}

/** The end of every import, whatever its source: any error rejects the whole of it. */
export function finishImport(
	common: RecordOptions,
	collector: MarkCollector,
	amendmentReason = 'Register import'
): Promise<ImportResult> {
	if (collector.hasErrors) {
		return recordRejected({ ...common, errorCount: collector.errorCount, errors: collector.errors });
	}
	return applyMarks({ ...common, marks: collector.marks, amendmentReason });
}
