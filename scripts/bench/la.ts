/**
 * `npm run bench:la [-- options]`: the local authority's view across schools at LA scale, on
 * PostgreSQL. 60 schools of 500 pupils (30,000) with a year of marks each (the demo 2026/27
 * calendar: 380 sessions, 11.4 million marks), then:
 *
 *   1. the database's own insert rate for those marks (the baseline: this machine is shared and
 *      noisy, so the view's time is also given as a multiple of inserting 100,000 marks),
 *   2. building the per-half-term rollup for every school (what the scheduler does after imports),
 *      and for one school (what one school's import costs),
 *   3. the view itself (`crossSchoolFigures`: every school by half term, the LA's totals), run
 *      --runs times after one warm-up: median and slowest.
 *
 *   --schools=60 --pupils=500 --runs=10 --write-docs
 *
 * Not a test: nothing is asserted about timings. A scratch database on BENCH_DATABASE_URL, dropped
 * afterwards.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { openDatabase, runMigrations } from '../../src/lib/server/platform/db/engine';
import { insertDemoCalendar } from '../../src/lib/server/demo/seed';
import { inTransaction } from '../../src/lib/server/demo/tx';
import { demoCalendar, DEMO_ACADEMIC_YEAR } from '../../src/lib/server/demo/calendar';
import { schoolSessionsBetween } from '../../src/lib/domain/calendar';
import { crossSchoolFigures, refreshSchoolRollup, refreshStaleRollups } from '../../src/lib/server/features/local-authority';
import { createDatabase, dropDatabase } from '../../tests/helpers/scratch-database';
import { ADMIN_URL, arg, writeDocsSection } from './cli';

const log = (msg: string) => console.error(`[bench:la] ${msg}`);
const SCHOOLS = Number(arg('schools') ?? 60);
const PUPILS = Number(arg('pupils') ?? 500);
const RUNS = Number(arg('runs') ?? 10);

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
	const name = `everyday_bench_la_${randomBytes(4).toString('hex')}`;
	const url = await createDatabase(ADMIN_URL, name);
	// Loading 11 million marks takes minutes: the app's statement timeout is for requests, not this.
	const handle = await openDatabase({ engine: 'postgres', url, poolSize: 4, timeouts: { statementMs: 600_000, queryMs: 610_000 } });
	try {
		await runMigrations(handle);
		const cal = demoCalendar();
		const sessions = schoolSessionsBetween(cal, cal.terms[0]!.startsOn, cal.terms[cal.terms.length - 1]!.endsOn);
		log(`${SCHOOLS} schools × ${PUPILS} pupils × ${sessions.length} sessions`);
		const schoolIds: string[] = [];
		await inTransaction(handle, async (q) => {
			for (let i = 0; i < SCHOOLS; i++) {
				const [s] = await q<{ id: string }>(`insert into schools (urn, slug, name) values ($1, $2, $3) returning id`, [
					String(800000 + i),
					`bench-${i}`,
					`Benchmark School ${String(i + 1).padStart(2, '0')} (fictional)`
				]);
				await insertDemoCalendar(q, s!.id);
				await q(
					`insert into pupils (school_id, mis_id, first_name, last_name, year_group)
					 select $1, 'B' || $2 || '-' || n, 'Bench', 'Pupil', n % 7 from generate_series(1, $3::int) as n`,
					[s!.id, i, PUPILS]
				);
				schoolIds.push(s!.id);
			}
		});

		// The marks, school by school, in SQL: each pupil has an absence propensity (0–19%), each
		// session a deterministic draw, so some pupils are persistently and a few severely absent.
		const dates = sessions.map((s) => s.date);
		const halves = sessions.map((s) => s.session);
		let inserted = 0;
		const insertStart = process.hrtime.bigint();
		for (const schoolId of schoolIds) {
			await handle.query(
				`insert into attendance_marks (pupil_id, date, session, school_id, code, source)
				 select p.id, s.d, s.h::register_session, p.school_id,
				        case when r.x < (abs(hashtext(p.id::text)) % 20) * (case when abs(hashtext(p.mis_id)) % 50 = 0 then 4 else 1 end)
				             then (array['I', 'I', 'I', 'M', 'O', 'G', 'N', 'U'])[1 + abs(hashtext(p.id::text || s.d::text || s.h)) % 8]
				             else '/' end,
				        'seed'
				   from pupils p
				  cross join unnest($2::date[], $3::text[]) as s(d, h)
				  cross join lateral (select abs(hashtext(s.d::text || s.h || p.mis_id)) % 100 as x) r
				  where p.school_id = $1`,
				[schoolId, dates, halves]
			);
			inserted += PUPILS * sessions.length;
		}
		const insertMs = ms(insertStart);
		const insertRate = inserted / (insertMs / 1000);
		log(`inserted ${inserted.toLocaleString('en-GB')} marks in ${(insertMs / 1000).toFixed(1)} s (${Math.round(insertRate).toLocaleString('en-GB')}/s)`);
		await handle.query('analyze');

		const rollStart = process.hrtime.bigint();
		const built = await refreshStaleRollups(handle);
		const rollupAllMs = ms(rollStart);
		const oneStart = process.hrtime.bigint();
		await refreshSchoolRollup(handle, schoolIds[0]!);
		const rollupOneMs = ms(oneStart);
		await handle.query('analyze la_attendance_rollup');
		log(`rollup: all ${built} schools ${(rollupAllMs / 1000).toFixed(1)} s; one school ${rollupOneMs.toFixed(0)} ms`);

		const warm = await crossSchoolFigures(handle, DEMO_ACADEMIC_YEAR);
		const times: number[] = [];
		for (let i = 0; i < RUNS; i++) {
			const t = process.hrtime.bigint();
			await crossSchoolFigures(handle, DEMO_ACADEMIC_YEAR);
			times.push(ms(t));
		}
		times.sort((a, b) => a - b);
		const median = times[Math.floor(times.length / 2)]!;
		const slowest = times[times.length - 1]!;
		const per100k = 100_000 / insertRate * 1000;
		const [pg] = await handle.query<{ v: string }>('select version() as v');
		const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
		const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
		const section = [
			`Measured ${when} UTC: ${SCHOOLS} schools, ${(SCHOOLS * PUPILS).toLocaleString('en-GB')} pupils, ${inserted.toLocaleString('en-GB')} marks (a year: ${sessions.length} sessions), ${warm.schools.length} schools and ${warm.totals.halfTerms.length} half terms in the view.`,
			'',
			'| Step | Time |',
			'|---|---|',
			`| Baseline: inserting the marks (the database's own rate) | ${(insertMs / 1000).toFixed(1)} s, ${Math.round(insertRate).toLocaleString('en-GB')} marks/s (100,000 marks: ${per100k.toFixed(0)} ms) |`,
			`| Rollup, every school (after a first load) | ${(rollupAllMs / 1000).toFixed(1)} s |`,
			`| Rollup, one school (after its import) | ${rollupOneMs.toFixed(0)} ms |`,
			`| **The view across schools** (median of ${RUNS}) | **${median.toFixed(0)} ms** (slowest ${slowest.toFixed(0)} ms) = ${(median / per100k).toPrecision(2)} × inserting 100,000 marks |`,
			'',
			`Machine: ${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}; Node ${process.version}; ${pg?.v.split(' on ')[0] ?? 'PostgreSQL'}. Command: \`npm run bench:la -- --schools=${SCHOOLS} --pupils=${PUPILS} --runs=${RUNS}\`.`
		].join('\n');
		console.log(section);
		if (arg('write-docs')) log(`wrote ${writeDocsSection('<!-- bench-la:begin -->', '<!-- bench-la:end -->', section)}`);
	} finally {
		await handle.close();
		await dropDatabase(ADMIN_URL, name);
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
