/**
 * `npm run bench:scale [-- options]`: what one family's and one school's pages cost as the
 * deployment grows from one school to a local authority (200 → 100,000 pupils), on PostgreSQL
 * and PGlite. The work of each measured request is always the same — Harbourside's 203 pupils,
 * the demo parent's child, a 2,000-pupil school's summary — so its cost should stay flat while
 * other schools' data piles up around it.
 *
 *   --engine=both|postgres|pglite       which engines (default both)
 *   --sizes=200,2000,20000,100000       deployment sizes in pupils (PGlite stops at --pglite-max)
 *   --pglite-max=20000                  PGlite is one process in WASM: 38 million marks are not its job
 *   --runs=30 --warmups=5               timings per request kind and size
 *   --explain                           print the EXPLAIN (ANALYZE, BUFFERS) of the summary's aggregate
 *                                       and the child page's marks at the largest size
 *   --write-docs                        rewrite the measured section of docs/benchmarks.md
 *
 * The deployment grows in place: the demo seed (Harbourside, Northgate), then a 2,000-pupil
 * school, then schools of 1,700 pupils (about what a Portsmouth-sized authority averages) with
 * a whole year of marks each (scripts/bench/deployment.ts). Not a test: nothing is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase } from '../../tests/helpers/scratch-database';
import { ADMIN_URL, arg, enginesArg, writeDocsSection, type EngineName } from './cli';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { DEMO_SHARED_GUARDIAN } from '../../src/lib/server/demo/staff';
import { childAttendanceDetail, schoolAttendanceSummary, staffPupilFigures } from '../../src/lib/server/features/attendance';
import { schoolDayBoard } from '../../src/lib/server/features/school-day';
import { parseBoardView } from '../../src/lib/domain/board-view';
import { localDateOf } from '../../src/lib/domain/calendar';
import { addFillerSchool, addFillerSchools } from './deployment';
import { YEAR_FROM, YEAR_TO } from './generate';

const log = (msg: string) => console.error(`[bench:scale] ${msg}`);
const num = (name: string, dflt: number) => {
	const v = arg(name);
	const n = v === undefined ? dflt : Number(v);
	if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
	return n;
};

const SIZES = (arg('sizes') ?? '200,2000,20000,100000').split(',').map((s) => Number(s.trim()));
const PGLITE_MAX = num('pglite-max', 20_000);
const RUNS = Math.max(1, Math.round(num('runs', 30)));
const WARMUPS = Math.round(num('warmups', 5));
const EXPLAIN = arg('explain') === 'true';
const LARGE_SCHOOL = 2000;
const FILLER_SIZE = 1700;

interface Timing {
	median: number;
	p95: number;
}
interface SizeResult {
	pupils: number;
	schools: number;
	marks: number;
	growMs: number;
	requests: Record<RequestKind, Timing | null>;
}
type RequestKind = 'roundTrip' | 'board' | 'child' | 'staffPupil' | 'overview' | 'summary2000';

const REQUESTS: { kind: RequestKind; label: string }[] = [
	{ kind: 'roundTrip', label: 'Baseline: one `select 1` round trip (how loaded the machine is)' },
	{ kind: 'board', label: "Staff board (today's reports and absences, Harbourside)" },
	{ kind: 'child', label: "Child attendance page (the demo parent's child)" },
	{ kind: 'staffPupil', label: "Staff pupil page (one pupil's figures, with its audit row)" },
	{ kind: 'overview', label: 'Staff overview (/staff: whole-school summary, Harbourside, 203 pupils)' },
	{ kind: 'summary2000', label: 'Whole-school summary, 2,000-pupil school, whole year' }
];

function percentile(sorted: readonly number[], p: number): number {
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1]!;
}

async function time(fn: () => Promise<unknown>): Promise<Timing> {
	for (let i = 0; i < WARMUPS; i++) await fn();
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		await fn();
		times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	return { median: percentile(times, 50), p95: percentile(times, 95) };
}

async function openScratch(engine: EngineName): Promise<{ handle: DatabaseHandle; loader: DatabaseHandle; drop: () => Promise<void> }> {
	if (engine === 'pglite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-benchscale-'));
		const handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
		return {
			handle,
			loader: handle,
			drop: async () => {
				await handle.close().catch(() => {});
				fs.rmSync(dir, { recursive: true, force: true });
			}
		};
	}
	const name = `everyday_benchscale_${randomBytes(5).toString('hex')}`;
	const url = await createDatabase(ADMIN_URL, name);
	// The app's own pool size (config.ts: DATABASE_POOL_SIZE default).
	const handle = await openDatabase({ engine: 'postgres', url, poolSize: 10 });
	// Building the deployment runs statements of a million rows: past the app's timeouts.
	const loader = await openDatabase({ engine: 'postgres', url, poolSize: 2, timeouts: { statementMs: 3_600_000 } });
	return {
		handle,
		loader,
		drop: async () => {
			await handle.close().catch(() => {});
			await loader.close().catch(() => {});
			await dropDatabase(ADMIN_URL, name);
		}
	};
}

const cleanups = new Set<() => Promise<void>>();

async function one<T>(handle: DatabaseHandle, text: string, params: unknown[] = []): Promise<T> {
	const [row] = await handle.query<T>(text, params);
	if (!row) throw new Error(`No row for: ${text}`);
	return row;
}

async function benchEngine(engine: EngineName): Promise<{ engine: EngineName; version: string; sizes: SizeResult[]; plans: string[] }> {
	const scratch = await openScratch(engine);
	cleanups.add(scratch.drop);
	const { handle, loader } = scratch;
	try {
		await runMigrations(handle);
		const { version } = await one<{ version: string }>(handle, `select current_setting('server_version') as version`);
		const today = localDateOf(new Date(), 'Europe/London');
		await seedDemoData(handle, { today });
		const { id: harbourside } = await one<{ id: string }>(handle, `select id::text as id from schools where slug = 'harbourside'`);
		const { id: guardianId } = await one<{ id: string }>(handle, `select id::text as id from guardians where phone = $1`, [DEMO_SHARED_GUARDIAN.phone]);
		const child = DEMO_SHARED_GUARDIAN.children[0];
		const { id: childId } = await one<{ id: string }>(
			handle,
			`select id::text as id from pupils where school_id = $1 and first_name = $2 and last_name = $3`,
			[harbourside, child.firstName, child.lastName]
		);
		const { id: staffId } = await one<{ id: string }>(handle, `select id::text as id from staff_users where school_id = $1 order by email limit 1`, [harbourside]);
		const boardView = parseBoardView(new URLSearchParams());

		let largeSchool: string | null = null;
		let nextIndex = 0;
		const sizes: SizeResult[] = [];
		const plans: string[] = [];
		const max = engine === 'pglite' ? Math.min(PGLITE_MAX, Math.max(...SIZES)) : Math.max(...SIZES);
		for (const target of SIZES.filter((s) => s <= max)) {
			const t0 = performance.now();
			let { n: have } = await one<{ n: number }>(handle, 'select count(*)::int as n from pupils');
			if (!largeSchool && target - have >= LARGE_SCHOOL) {
				const s = await addFillerSchool(loader, nextIndex++, LARGE_SCHOOL);
				largeSchool = s.schoolId;
				have += s.pupils;
				log(`${engine}: added the 2,000-pupil school (${s.marks.toLocaleString('en-GB')} marks)`);
			}
			if (target > have) {
				const added = await addFillerSchools(loader, {
					pupils: target - have,
					schoolSize: FILLER_SIZE,
					firstIndex: nextIndex,
					onSchool: (s) => log(`${engine}: school ${s.index + 1}: ${s.pupils} pupils, ${s.marks.toLocaleString('en-GB')} marks`)
				});
				nextIndex += added.length;
			} else {
				await loader.query('analyze schools, pupils, attendance_marks');
			}
			const growMs = performance.now() - t0;
			const counts = await one<{ pupils: number; schools: number; marks: number }>(
				handle,
				`select (select count(*) from pupils)::int as pupils, (select count(*) from schools)::int as schools,
				        (select count(*) from attendance_marks)::int as marks`
			);
			log(`${engine}: ${counts.pupils.toLocaleString('en-GB')} pupils in ${counts.schools} schools, ${counts.marks.toLocaleString('en-GB')} marks`);

			const requests: SizeResult['requests'] = {
				roundTrip: await time(() => handle.query('select 1')),
				board: await time(() => schoolDayBoard(handle, harbourside, today, boardView)),
				child: await time(() => childAttendanceDetail(handle, guardianId, childId)),
				staffPupil: await time(() => staffPupilFigures(handle, harbourside, childId, staffId)),
				overview: await time(() => schoolAttendanceSummary(handle, harbourside)),
				summary2000: largeSchool ? await time(() => schoolAttendanceSummary(handle, largeSchool!, { from: YEAR_FROM, to: YEAR_TO })) : null
			};
			for (const r of REQUESTS) {
				const t = requests[r.kind];
				if (t) log(`${engine} @ ${counts.pupils}: ${r.kind} median ${t.median.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`);
			}
			sizes.push({ ...counts, growMs, requests });
		}
		if (EXPLAIN) {
			const explain = async (title: string, text: string, params: unknown[]) => {
				const rows = await handle.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, params);
				plans.push(`${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${sizes.at(-1)!.pupils.toLocaleString('en-GB')} pupils: ${title}\n\n\`\`\`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
			};
			if (largeSchool) {
				await explain(
					"the 2,000-pupil school's summary aggregate",
					`select pupil_id, code, count(*)::int as n, coalesce(sum(minutes_late), 0)::int as minutes
					   from attendance_marks where school_id = $1 and date >= $2::date and date <= $3::date group by pupil_id, code`,
					[largeSchool, YEAR_FROM, YEAR_TO]
				);
			}
			await explain("one child's marks (the child page)", `select date, session, code from attendance_marks where pupil_id = $1 and date >= $2::date and date <= $3::date`, [
				childId,
				YEAR_FROM,
				YEAR_TO
			]);
		}
		return { engine, version, sizes, plans };
	} finally {
		await scratch.drop();
		cleanups.delete(scratch.drop);
	}
}

const fmt = (t: Timing | null) => (t ? `${t.median.toFixed(1)} / ${t.p95.toFixed(1)}` : '–');

function table(result: { engine: EngineName; version: string; sizes: SizeResult[] }): string {
	const head = `| ${result.engine === 'postgres' ? `PostgreSQL ${result.version}` : `PGlite (PostgreSQL ${result.version} in WASM)`}, ms median / p95 | ${result.sizes
		.map((s) => `${s.pupils.toLocaleString('en-GB')} pupils (${s.schools} schools, ${(s.marks / 1e6).toFixed(1)} M marks)`)
		.join(' | ')} |`;
	const rule = `|---|${result.sizes.map(() => '---').join('|')}|`;
	const rows = REQUESTS.map((r) => `| ${r.label} | ${result.sizes.map((s) => fmt(s.requests[r.kind])).join(' | ')} |`);
	const grow = `| (building the deployment up to this size) | ${result.sizes.map((s) => `${(s.growMs / 1000).toFixed(0)} s`).join(' | ')} |`;
	return [head, rule, ...rows, grow].join('\n');
}

const BEGIN = '<!-- bench-scale:begin (written by `npm run bench:scale -- --write-docs`) -->';
const END = '<!-- bench-scale:end -->';

async function main() {
	const results = [];
	for (const engine of enginesArg()) results.push(await benchEngine(engine));
	const command = `npm run bench:scale -- ${process.argv.slice(2).join(' ')}`.trim();
	const out = [
		`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\`; ${RUNS} runs after ${WARMUPS} warm-ups per cell.`,
		'',
		...results.flatMap((r) => [table(r), '']),
		`Machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, load average at the end ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}; Node ${process.version}.`,
		...results.flatMap((r) => r.plans.map((p) => `\n${p}`))
	].join('\n');
	console.log(out);
	if (arg('write-docs') === 'true') log(`wrote ${path.relative(process.cwd(), writeDocsSection(BEGIN, END, out))}`);
}

async function fail(err: unknown): Promise<never> {
	console.error(err);
	await Promise.allSettled([...cleanups].map((c) => c()));
	process.exit(1);
}
process.on('uncaughtException', (err) => void fail(err));
process.on('unhandledRejection', (err) => void fail(err));
main().then(
	() => process.exit(0),
	(err) => fail(err)
);
