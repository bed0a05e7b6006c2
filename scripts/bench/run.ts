/**
 * `npm run bench [-- options]`: register import and whole-school summary on a fictional
 * 2,000-pupil primary with a full year of marks (760,000), on PostgreSQL and on PGlite.
 *
 *   --engine=both|postgres|pglite   which engines (default both)
 *   --pupils=2000                   school size (marks = pupils × 380)
 *   --runs=20 --warmups=3           summary timings
 *   --explain                       print EXPLAIN (ANALYZE, BUFFERS) of the summary's aggregate
 *   --write-docs                    rewrite the measured section of docs/benchmarks.md
 *   --schools=1                     schools in the deployment: the others (2,000 pupils each, a
 *                                   year of marks, scripts/bench/deployment.ts) are there before the import
 *   --timeout-min=30                give up (and clean up) after this long
 *
 * PostgreSQL: a scratch database `everyday_bench_<random>` is created on BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test) and dropped afterwards. PGlite: a temporary
 * data directory, removed afterwards. Not a test: nothing is asserted about timings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase } from '../../tests/helpers/scratch-database';
import { writeDocsSection } from './cli';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { insertDemoCalendar, insertRoster } from '../../src/lib/server/demo/seed';
import { inTransaction } from '../../src/lib/server/demo/tx';
import { schoolAttendanceSummary } from '../../src/lib/server/features/attendance';
import { importRegisterCsv } from '../../src/lib/server/features/register-import';
import { BENCH_SCHOOL, YEAR_FROM, YEAR_TO, generateBenchData, type BenchData } from './generate';
import { addFillerSchools } from './deployment';

type EngineName = 'postgres' | 'pglite';

interface Args {
	engines: EngineName[];
	pupils: number;
	runs: number;
	warmups: number;
	explain: boolean;
	writeDocs: boolean;
	timeoutMin: number;
	schools: number;
}

function parseArgs(argv: string[]): Args {
	const get = (name: string): string | undefined => {
		const hit = argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
		if (!hit) return undefined;
		return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
	};
	const num = (name: string, dflt: number) => {
		const v = get(name);
		const n = v === undefined ? dflt : Number(v);
		if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
		return n;
	};
	const engine = get('engine') ?? 'both';
	if (!['both', 'postgres', 'pglite'].includes(engine)) throw new Error('--engine must be both, postgres or pglite');
	return {
		engines: engine === 'both' ? ['postgres', 'pglite'] : [engine as EngineName],
		pupils: Math.round(num('pupils', 2000)),
		runs: Math.round(num('runs', 20)),
		warmups: Math.round(get('warmups') === '0' ? 0 : num('warmups', 3)),
		explain: get('explain') === 'true',
		writeDocs: get('write-docs') === 'true',
		timeoutMin: num('timeout-min', 30),
		schools: Math.round(num('schools', 1))
	};
}

interface EngineResult {
	engine: EngineName;
	version: string;
	importMs: number;
	importStatus: string;
	marksInserted: number;
	reimportMs: number;
	/** The database's own rate for the same rows into a copy of the table (its indexes, no keys or triggers), same run. */
	baselineMarksPerSecond: number;
	reimportUnchanged: number;
	reimportChanged: number;
	/** Summary straight after the import (which analyses the table itself after a big change). */
	coldMedianMs: number;
	coldP95Ms: number;
	analyzeMs: number;
	summaryMedianMs: number;
	summaryP95Ms: number;
	summaryMinMs: number;
	aggregateMedianMs: number;
	pupilsInSummary: number;
	plan?: string;
}

const log = (msg: string) => console.error(`[bench] ${msg}`);

function percentile(sorted: readonly number[], p: number): number {
	// Nearest-rank percentile.
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1]!;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
	const t0 = performance.now();
	const value = await fn();
	return [value, performance.now() - t0];
}

const AGGREGATE_SQL = `select pupil_id, code, count(*)::int as n, coalesce(sum(minutes_late), 0)::int as minutes
	from attendance_marks where school_id = $1 and date >= $2::date and date <= $3::date group by pupil_id, code`;

/** Opens a scratch database for one engine; `drop` removes it again. */
async function openScratch(engine: EngineName): Promise<{ handle: DatabaseHandle; loader: DatabaseHandle; drop: () => Promise<void>; label: string }> {
	if (engine === 'pglite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-benchrun-pglite-'));
		const handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
		return {
			handle,
			loader: handle,
			label: dir,
			drop: async () => {
				await handle.close().catch(() => {});
				fs.rmSync(dir, { recursive: true, force: true });
			}
		};
	}
	const adminUrl = process.env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';
	const name = `everyday_bench_${randomBytes(5).toString('hex')}`;
	const url = await createDatabase(adminUrl, name);
	// The app's own pool size and timeouts, as a deployment runs them.
	const handle = await openDatabase({ engine: 'postgres', url });
	// Building the other schools runs statements of a million rows: past the app's timeouts.
	const loader = await openDatabase({ engine: 'postgres', url, poolSize: 2, timeouts: { statementMs: 3_600_000 } });
	return {
		handle,
		loader,
		label: name,
		drop: async () => {
			await handle.close().catch(() => {});
			await loader.close().catch(() => {});
			await dropDatabase(adminUrl, name);
		}
	};
}

const cleanups = new Set<() => Promise<void>>();

async function benchEngine(engine: EngineName, data: BenchData, args: Args): Promise<EngineResult> {
	const scratch = await openScratch(engine);
	cleanups.add(scratch.drop);
	try {
		const { handle, loader } = scratch;
		log(`${engine}: scratch database ${scratch.label}`);
		await runMigrations(handle);
		if (args.schools > 1) {
			log(`${engine}: adding ${args.schools - 1} other schools of 2,000 pupils with a year of marks each…`);
			await addFillerSchools(loader, {
				pupils: (args.schools - 1) * 2000,
				schoolSize: 2000,
				firstIndex: 0,
				onSchool: (s) => log(`${engine}: school ${s.index + 1}: ${s.marks.toLocaleString('en-GB')} marks`)
			});
		}
		const [{ version }] = (await handle.query<{ version: string }>(`select current_setting('server_version') as version`)) as [
			{ version: string }
		];

		const schoolId = await inTransaction(handle, async (q) => {
			const [school] = await q<{ id: string }>(
				`insert into schools (urn, slug, name) values ($1, $2, $3) returning id::text as id`,
				[BENCH_SCHOOL.urn, BENCH_SCHOOL.slug, BENCH_SCHOOL.name]
			);
			await insertDemoCalendar(q, school!.id);
			await insertRoster(q, school!.id, data.roster);
			return school!.id;
		});

		log(`${engine}: importing ${data.marks.toLocaleString('en-GB')} marks…`);
		const importFile = async () => {
			// Deterministic, so a file removed from under us (a tmp cleaner) is simply written again.
			if (!fs.existsSync(data.csvPath)) {
				log(`${data.csvPath} disappeared; generating it again`);
				fs.mkdirSync(path.dirname(data.csvPath), { recursive: true });
				await generateBenchData(args.pupils, data.csvPath);
			}
			return importRegisterCsv(handle, {
				schoolId,
				input: fs.createReadStream(data.csvPath),
				importedBy: 'bench',
				filename: path.basename(data.csvPath)
			});
		};
		const [first, importMs] = await timed(importFile);
		if (first.status !== 'applied') throw new Error(`Import rejected: ${JSON.stringify(first.errors.slice(0, 5))}`);
		log(`${engine}: import ${(importMs / 1000).toFixed(1)} s, inserted ${first.marksInserted}`);
		const [second, reimportMs] = await timed(importFile);
		log(`${engine}: re-import ${(reimportMs / 1000).toFixed(1)} s, unchanged ${second.marksUnchanged}`);

		// The baseline: how fast this database, on this machine, right now, inserts the same
		// marks into a table with the same indexes (no foreign key, no triggers, no parsing), so
		// the import's figure can be read against a loaded machine.
		const [, baselineMs] = await timed(() =>
			inTransaction(loader, async (q) => {
				await q('set local statement_timeout = 0');
				// A logged table like the real one (a temporary table would skip the WAL).
				await q('create table bench_baseline_marks (like attendance_marks including defaults including indexes)');
				await q('insert into bench_baseline_marks select * from attendance_marks where school_id = $1', [schoolId]);
				await q('drop table bench_baseline_marks');
			})
		);
		const baselineMarksPerSecond = first.marksInserted / (baselineMs / 1000);
		log(`${engine}: baseline insert of the same marks ${(baselineMs / 1000).toFixed(1)} s`);

		const range = { from: YEAR_FROM, to: YEAR_TO };
		let pupilsInSummary = 0;
		const summaryTimes = async (): Promise<number[]> => {
			for (let i = 0; i < args.warmups; i++) pupilsInSummary = (await schoolAttendanceSummary(handle, schoolId, range)).length;
			const times: number[] = [];
			for (let i = 0; i < args.runs; i++) {
				const [rows, ms] = await timed(() => schoolAttendanceSummary(handle, schoolId, range));
				pupilsInSummary = rows.length;
				times.push(ms);
			}
			return times.sort((a, b) => a - b);
		};
		// 1. As the import left the tables, which is what the staff see the morning after.
		const cold = await summaryTimes();
		log(`${engine}: summary straight after the import: median ${percentile(cold, 50).toFixed(1)} ms`);
		// 2. After another ANALYZE (what autovacuum would do later): it should change nothing.
		const [, analyzeMs] = await timed(() => handle.query('analyze attendance_marks'));
		const times = await summaryTimes();
		// The aggregate query alone, to show where the time goes.
		const aggTimes: number[] = [];
		for (let i = 0; i < Math.min(args.runs, 10); i++) {
			aggTimes.push((await timed(() => handle.query(AGGREGATE_SQL, [schoolId, YEAR_FROM, YEAR_TO])))[1]);
		}
		aggTimes.sort((a, b) => a - b);

		let plan: string | undefined;
		if (args.explain) {
			const rows = await handle.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${AGGREGATE_SQL}`, [
				schoolId,
				YEAR_FROM,
				YEAR_TO
			]);
			plan = rows.map((r) => r['QUERY PLAN']).join('\n');
		}
		log(`${engine}: summary median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);

		return {
			engine,
			version,
			importMs,
			importStatus: first.status,
			marksInserted: first.marksInserted,
			reimportMs,
			baselineMarksPerSecond,
			reimportUnchanged: second.marksUnchanged,
			reimportChanged: second.marksInserted + second.marksAmended,
			coldMedianMs: percentile(cold, 50),
			coldP95Ms: percentile(cold, 95),
			analyzeMs,
			summaryMedianMs: percentile(times, 50),
			summaryP95Ms: percentile(times, 95),
			summaryMinMs: times[0]!,
			aggregateMedianMs: percentile(aggTimes, 50),
			pupilsInSummary,
			plan
		};
	} finally {
		await scratch.drop();
		cleanups.delete(scratch.drop);
	}
}

function machine(): Record<string, string> {
	let cpu = os.cpus()[0]?.model ?? 'unknown';
	try {
		const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
		if (m) cpu = m[1]!.trim();
	} catch {
		/* not Linux */
	}
	let pgliteVersion = 'unknown';
	try {
		const pkg = path.resolve('node_modules/@electric-sql/pglite/package.json');
		pgliteVersion = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
	} catch {
		/* not installed where expected */
	}
	return {
		cpus: String(os.availableParallelism()),
		cpu,
		memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		pglite: pgliteVersion
	};
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmtMs = (ms: number) => `${ms.toFixed(1)} ms`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-GB')}`;

function table(results: readonly EngineResult[], data: BenchData): string {
	const lines = [
		'| Engine | Import (wall) | Import marks/s | Baseline: the database alone, marks/s | Import ÷ baseline | Re-import (wall) | Re-import unchanged / changed | Summary straight after the import (median / p95) | ANALYZE again | Summary after it (median / p95) | Counting the marks instead (median) |',
		'|---|---|---|---|---|---|---|---|---|---|---|'
	];
	for (const r of results) {
		const name = r.engine === 'postgres' ? `PostgreSQL ${r.version}` : `PGlite (PostgreSQL ${r.version} in WASM)`;
		lines.push(
			`| ${name} | ${fmtS(r.importMs)} | ${rate(data.marks, r.importMs)} | ${Math.round(r.baselineMarksPerSecond).toLocaleString('en-GB')} | ` +
				`${(data.marks / (r.importMs / 1000) / r.baselineMarksPerSecond).toFixed(2)} | ${fmtS(r.reimportMs)} | ` +
				`${r.reimportUnchanged.toLocaleString('en-GB')} / ${r.reimportChanged} | ` +
				`${fmtMs(r.coldMedianMs)} / ${fmtMs(r.coldP95Ms)} | ${fmtMs(r.analyzeMs)} | ` +
				`${fmtMs(r.summaryMedianMs)} / ${fmtMs(r.summaryP95Ms)} | ${fmtMs(r.aggregateMedianMs)} |`
		);
	}
	return lines.join('\n');
}

const BEGIN = '<!-- bench:begin (written by `npm run bench:import -- --write-docs`) -->';
const END = '<!-- bench:end -->';

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const watchdog = setTimeout(() => {
		log(`giving up after ${args.timeoutMin} min; cleaning up`);
		void Promise.allSettled([...cleanups].map((c) => c())).finally(() => process.exit(2));
	}, args.timeoutMin * 60_000);
	watchdog.unref();

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-benchrun-'));
	try {
		const [data, genMs] = await timed(() => generateBenchData(args.pupils, path.join(dir, 'register-2026-27.csv')));
		log(
			`generated ${data.roster.pupils.length} pupils, ${data.rows.toLocaleString('en-GB')} rows, ` +
				`${data.marks.toLocaleString('en-GB')} marks, ${(data.csvBytes / 1024 ** 2).toFixed(1)} MiB CSV in ${fmtS(genMs)}`
		);
		const results: EngineResult[] = [];
		for (const engine of args.engines) results.push(await benchEngine(engine, data, args));

		const info = machine();
		const command = `npm run bench:import -- ${process.argv.slice(2).join(' ')}`.trim();
		const out = [
			`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\`.`,
			'',
			`School: ${data.roster.pupils.length.toLocaleString('en-GB')} fictional pupils, the demo 2026/27 calendar (190 days = 380 sessions), ` +
				`${data.marks.toLocaleString('en-GB')} marks in a ${data.rows.toLocaleString('en-GB')}-row CSV (${(data.csvBytes / 1024 ** 2).toFixed(1)} MiB). ` +
				`${args.schools > 1 ? `The deployment holds ${args.schools} schools: ${args.schools - 1} others of 2,000 pupils with a year of marks each, there before the import. ` : ''}` +
				`Summary: ${args.runs} runs after ${args.warmups} warm-ups, whole academic year.`,
			'',
			table(results, data),
			'',
			`Machine: ${info.cpus} CPUs (${info.cpu}), ${info.memory} RAM, ${info.os}; Node ${info.node}; PGlite ${info.pglite}.`
		].join('\n');
		const plans = results
			.filter((r) => r.plan)
			.map((r) => `\n\n${r.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}: plan of the summary's aggregate query (after ANALYZE):\n\n\`\`\`\n${r.plan}\n\`\`\``)
			.join('\n');
		console.log(out + plans);
		if (args.writeDocs) log(`wrote ${path.relative(process.cwd(), writeDocsSection(BEGIN, END, out + plans))}`);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
		clearTimeout(watchdog);
	}
}

async function fail(err: unknown): Promise<never> {
	console.error(err);
	await Promise.allSettled([...cleanups].map((c) => c()));
	process.exit(1);
}
// A stray stream error must not leave a scratch database behind.
process.on('uncaughtException', (err) => void fail(err));
process.on('unhandledRejection', (err) => void fail(err));
main().catch(fail);
