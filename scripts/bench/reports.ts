/**
 * `npm run bench:reports [-- options]`: the morning peak. Parents report absences through the
 * real HTTP endpoint (POST /api/reports, as the report page and service worker send them) of
 * the built app, on PostgreSQL and on PGlite; reports per second and p50/p99 latency.
 *
 *   --engine=both|postgres|pglite   which engines (default both)
 *   --requests=6000                 reports sent per engine (after 300 warm-up reports)
 *   --concurrency=32                requests in flight at once (keep-alive connections)
 *   --pupils=2000                   school size; every report is a different family's child
 *   --form                          post the web form (POST /report, urlencoded) instead of the JSON API
 *   --instances=1                   PostgreSQL: app instances on the same database (the README's
 *                                   several-instance deployment); connections spread over them
 *   --profile                       also: the server's CPU profile (node --cpu-prof, top functions
 *                                   printed), statements and transactions per report, event-loop delay
 *   --write-docs                    rewrite the reports section of docs/benchmarks.md
 *
 * The baseline is measured in the same run, at the same concurrency, just before and just after
 * the app's run: on PostgreSQL, pgbench inserting single rows into an indexed table (when
 * `pgbench` is on the PATH), otherwise the same inserts from a loop through the app's own driver;
 * on PGlite, that insert loop through PGlite. The ratio app/baseline is what to compare between
 * runs on a shared, noisy machine.
 *
 * Each report is one child, one school day ahead, with a fresh idempotency key, from a signed-in
 * parent's session cookie: the full path of session check, validation, calendar, and the
 * transaction that stores the report, its sessions and the audit row. Afterwards the stored
 * reports are counted: every 200 must be exactly one report. The server runs with production
 * settings: rate limits on, the outbox worker's defaults (it is off here because a report queues
 * nothing). Not a test: nothing is asserted
 * about timings. PostgreSQL: a scratch database on BENCH_DATABASE_URL, dropped afterwards.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { insertDemoCalendar, insertRoster } from '../../src/lib/server/demo/seed';
import { inTransaction } from '../../src/lib/server/demo/tx';
import { createSession } from '../../src/lib/server/features/accounts';
import { SESSION_COOKIE } from '../../src/lib/server/features/accounts';
import { demoCalendar } from '../../src/lib/server/demo/calendar';
import { buildRoster, largeSchoolClasses } from '../../src/lib/server/demo/people';
import { createDatabase, dropDatabase } from '../../tests/helpers/scratch-database';
import { ADMIN_URL, arg, enginesArg, writeDocsSection, type EngineName } from './cli';
import { freePort, startBuiltApp } from './server';
import { addSchoolDays, localDateOf, nextSchoolDay, termContaining } from '../../src/lib/domain/calendar';

const log = (msg: string) => console.error(`[bench:reports] ${msg}`);

const ENGINES = enginesArg();
const REQUESTS = Number(arg('requests') ?? 6000);
const CONCURRENCY = Number(arg('concurrency') ?? 32);
const PUPILS = Number(arg('pupils') ?? 2000);
const WARMUP = 300;
const FORM = arg('form') === 'true';
const PROFILE = arg('profile') === 'true';
const INSTANCES = Math.max(1, Number(arg('instances') ?? 1));
/** Rows each baseline client inserts; at 32 clients about as many rows as the app's run stores. */
const BASELINE_SECONDS = 8;

interface Family {
	cookie: string;
	pupilId: string;
}

interface Probe {
	statements: number;
	loopDelayMs: { p50: number; p99: number; max: number };
	rssMiB: number;
	cpuMs: number;
	/** Of cpuMs, the time in the kernel (socket reads and writes). */
	systemCpuMs: number;
}

interface Result {
	engine: EngineName;
	/** Single-row inserts a second into an indexed table at the same concurrency: before, after. */
	baseline: { tool: string; before: number; after: number };
	probe?: Probe & { commitsPerReport?: number; profile: string[] };
	ok: number;
	errors: number;
	stored: number;
	wallMs: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
}

/**
 * School days from the next one (or the first of the demo year), so reports are never in the
 * past: each pass over the families reports the next day, because a second report for the same
 * child and day is added to the first rather than stored beside it.
 */
function reportDates(count: number): string[] {
	const cal = demoCalendar();
	const today = localDateOf(new Date(), cal.timeZone);
	const start = termContaining(cal, today) ? today : cal.terms[0]!.startsOn;
	const first = nextSchoolDay(cal, start) ?? addSchoolDays(cal, start, 1)!;
	return Array.from({ length: count }, (_, i) => (i === 0 ? first : addSchoolDays(cal, first, i)!));
}

async function prepare(handle: DatabaseHandle): Promise<Family[]> {
	await runMigrations(handle);
	const roster = buildRoster({ seed: 424242, classes: largeSchoolClasses(PUPILS), academicYearStart: 2026, establishment: '9003' });
	await inTransaction(handle, async (q) => {
		const [school] = await q<{ id: string }>(
			`insert into schools (urn, slug, name) values ('999003', 'peak-primary', 'Peak Primary (fictional)') returning id`
		);
		await insertDemoCalendar(q, school!.id);
		await insertRoster(q, school!.id, roster);
	});
	// One (guardian, child) per child: each report is a different family's.
	const pairs = await handle.query<{ guardian_id: string; pupil_id: string }>(
		`select distinct on (pupil_id) guardian_id, pupil_id from pupil_guardians order by pupil_id, contact_priority`
	);
	const families: Family[] = [];
	const sessions = new Map<string, string>();
	for (const p of pairs) {
		let cookie = sessions.get(p.guardian_id);
		if (!cookie) {
			const s = await createSession(handle.db, { kind: 'guardian', guardianId: p.guardian_id });
			cookie = `${SESSION_COOKIE}=${s.token}`;
			sessions.set(p.guardian_id, cookie);
		}
		families.push({ cookie, pupilId: p.pupil_id });
	}
	return families;
}

function post(agent: http.Agent, port: number, family: Family, date: string, idempotencyKey: string): Promise<{ status: number; ms: number }> {
	const answers = { idempotencyKey, when: 'day', date, reason: 'illness', details: 'Temperature' };
	const body = FORM
		? new URLSearchParams({ pupilId: family.pupilId, ...answers }).toString()
		: JSON.stringify({ ...answers, pupilIds: [family.pupilId] });
	const started = process.hrtime.bigint();
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				path: FORM ? '/report' : '/api/reports',
				method: 'POST',
				agent,
				headers: {
					'content-type': FORM ? 'application/x-www-form-urlencoded' : 'application/json',
					'content-length': Buffer.byteLength(body),
					cookie: family.cookie,
					origin: `http://127.0.0.1:${port}`
				}
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

async function load(ports: number[], families: Family[], count: number, dates: string[], offset: number) {
	const agents = ports.map(() => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
	const latencies: number[] = [];
	let ok = 0;
	let errors = 0;
	let resets = 0;
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async (_, worker) => {
			// Each connection stays with one instance, as behind a load balancer with keep-alive.
			const port = ports[worker % ports.length]!;
			const agent = agents[worker % ports.length]!;
			while (next < count) {
				const i = next++;
				const n = offset + i;
				const key = randomUUID();
				const r = await post(agent, port, families[n % families.length]!, dates[Math.floor(n / families.length)]!, key).catch((err: NodeJS.ErrnoException) => {
					// A keep-alive socket the server closed as this request went out: sent again
					// on a fresh one, with the same idempotency key, as the page would.
					if (err.code !== 'ECONNRESET') throw err;
					resets++;
					return post(agent, port, families[n % families.length]!, dates[Math.floor(n / families.length)]!, key);
				});
				latencies.push(r.ms);
				// The form answers a stored report with a redirect to its confirmation.
				if (r.status === (FORM ? 303 : 200)) ok++;
				else errors++;
			}
		})
	);
	const wallMs = performance.now() - started;
	for (const agent of agents) agent.destroy();
	latencies.sort((a, b) => a - b);
	const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
	if (resets) log(`${resets} requests sent again after a connection reset`);
	return { ok, errors, wallMs, p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.at(-1)! };
}

/** What pgbench or the insert loops write: one row at a time into an indexed table, like a report's rows. */
const BASELINE_TABLE = `create table if not exists bench_baseline (id bigserial primary key, pupil_id uuid not null, date date not null, note text not null);
create index if not exists bench_baseline_pupil_date on bench_baseline (pupil_id, date)`;
const BASELINE_INSERT = `insert into bench_baseline (pupil_id, date, note) values (gen_random_uuid(), current_date, 'Temperature')`;

function hasPgbench(): boolean {
	return spawnSync('pgbench', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** pgbench's own rate: CONCURRENCY clients, each inserting single rows (autocommit) for a few seconds. */
function pgbenchRate(url: string): number {
	const script = path.join(os.tmpdir(), `everyday-bench-insert-${process.pid}.sql`);
	fs.writeFileSync(script, `${BASELINE_INSERT};\n`);
	try {
		const r = spawnSync('pgbench', ['-n', '-c', String(CONCURRENCY), '-j', '2', '-T', String(BASELINE_SECONDS), '-f', script, url], { encoding: 'utf8' });
		const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(r.stdout ?? '');
		if (r.status !== 0 || !m) throw new Error(`pgbench failed: ${r.stderr || r.stdout}`);
		return Number(m[1]);
	} finally {
		fs.rmSync(script, { force: true });
	}
}

/** The same inserts from CONCURRENCY loops through the app's own driver (pg, or PGlite). */
async function driverLoopRate(handle: DatabaseHandle): Promise<number> {
	let rows = 0;
	const until = performance.now() + BASELINE_SECONDS * 1000;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (performance.now() < until) {
				await handle.query(BASELINE_INSERT);
				rows++;
			}
		})
	);
	return (rows / (performance.now() - started)) * 1000;
}

async function postgresBaseline(url: string): Promise<{ tool: string; rate: () => Promise<number> }> {
	const handle = await openDatabase({ engine: 'postgres', url, poolSize: CONCURRENCY });
	for (const statement of BASELINE_TABLE.split(';')) await handle.query(statement);
	if (hasPgbench()) {
		await handle.close();
		return { tool: 'pgbench', rate: async () => pgbenchRate(url) };
	}
	// No pgbench: the loop's pool stays open for both measurements and closes with the process.
	return { tool: 'insert loop (pg)', rate: () => driverLoopRate(handle) };
}

async function pgliteBaseline(): Promise<number> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-bench-baseline-'));
	const handle = await openDatabase({ engine: 'pglite', dataDir: dir });
	try {
		for (const statement of BASELINE_TABLE.split(';')) await handle.query(statement);
		return await driverLoopRate(handle);
	} finally {
		await handle.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Asks each server's probe for its counts since the last ask (and resets them), summed over the instances. */
async function probe(servers: ChildProcess[], dirs: string[]): Promise<Probe> {
	const each = await Promise.all(
		servers.map(async (server, i) => {
			const file = path.join(dirs[i]!, 'probe.json');
			fs.rmSync(file, { force: true });
			server.kill('SIGUSR2');
			for (let n = 0; n < 100 && !fs.existsSync(file); n++) await new Promise((r) => setTimeout(r, 50));
			return JSON.parse(fs.readFileSync(file, 'utf8')) as Probe;
		})
	);
	const sum = (f: (p: Probe) => number) => each.reduce((n, p) => n + f(p), 0);
	const worst = (f: (p: Probe) => number) => Math.max(...each.map(f));
	return {
		statements: sum((p) => p.statements),
		cpuMs: sum((p) => p.cpuMs),
		systemCpuMs: sum((p) => p.systemCpuMs),
		rssMiB: sum((p) => p.rssMiB),
		loopDelayMs: { p50: worst((p) => p.loopDelayMs.p50), p99: worst((p) => p.loopDelayMs.p99), max: worst((p) => p.loopDelayMs.max) }
	};
}

/** The CPU profile's heaviest functions by self time, and the share of each package. */
function summariseProfile(dir: string): string[] {
	const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
	if (!file) return ['(no CPU profile was written)'];
	const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
		nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
	};
	const total = prof.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
	const byFunction = new Map<string, number>();
	const byPlace = new Map<string, number>();
	for (const n of prof.nodes) {
		const hits = n.hitCount ?? 0;
		if (!hits) continue;
		const url = n.callFrame.url;
		const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
		const place = pkg ?? (url.includes('/build/') ? 'the app (build/)' : url.startsWith('node:') ? 'Node internals' : n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : 'other');
		byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
		const name = `${n.callFrame.functionName || '(anonymous)'} ${pkg ?? path.basename(url)}`;
		byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
	}
	const pct = (h: number) => `${((h / total) * 100).toFixed(1)}%`;
	const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
	return [
		`Self time by place: ${top(byPlace, 8).map(([k, h]) => `${k} ${pct(h)}`).join(', ')}`,
		`Heaviest functions (self): ${top(byFunction, 12).map(([k, h]) => `${k} ${pct(h)}`).join('; ')}`
	];
}

async function commits(handle: DatabaseHandle): Promise<number> {
	const [row] = await handle.query<{ n: string }>(`select xact_commit::text as n from pg_stat_database where datname = current_database()`);
	return Number(row!.n);
}

async function benchEngine(engine: EngineName): Promise<Result> {
	// PGlite is one process by design: several instances are a PostgreSQL deployment.
	const instances = engine === 'postgres' ? INSTANCES : 1;
	const ports: number[] = [];
	for (let i = 0; i < instances; i++) ports.push(await freePort());
	const appSecret = randomBytes(32).toString('base64');
	// Production settings: nothing here turns a rate limit off or resizes a pool or batch.
	const common = { SCHEDULER: '0', OUTBOX_WORKER: '0', SEED_DEMO: '0', AUTO_MIGRATE: '0', DEV_TOOLS: '0', APP_SECRET: appSecret };
	const profileDirs = PROFILE ? ports.map(() => fs.mkdtempSync(path.join(os.tmpdir(), `everyday-bench-profile-${engine}-`))) : undefined;
	let servers: ChildProcess[] = [];
	const stopServers = async () => {
		const running = servers;
		servers = [];
		await Promise.all(running.map((server) => new Promise((r) => {
			server.once('exit', r);
			server.kill('SIGTERM');
		})));
	};
	let cleanup: () => Promise<void>;
	let families: Family[];
	let countStored: () => Promise<number>;
	let baselineTool: string;
	let baselineRate: () => Promise<number>;
	let commitCount: (() => Promise<number>) | undefined;
	let before: number;
	if (engine === 'postgres') {
		const name = `everyday_bench_${randomBytes(4).toString('hex')}`;
		const url = await createDatabase(ADMIN_URL, name);
		const handle = await openDatabase({ engine: 'postgres', url });
		families = await prepare(handle);
		const baseline = await postgresBaseline(url);
		baselineTool = baseline.tool;
		baselineRate = baseline.rate;
		commitCount = () => commits(handle);
		countStored = async () => (await handle.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n;
		before = await baselineRate();
		servers = await Promise.all(ports.map((port, i) => startBuiltApp({ ...common, DATABASE_URL: url }, port, profileDirs?.[i])));
		cleanup = async () => {
			await stopServers();
			await handle.close();
			await dropDatabase(ADMIN_URL, name);
		};
	} else {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-bench-reports-'));
		const handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
		families = await prepare(handle);
		await handle.close(); // PGlite is single-process: the server opens it next.
		baselineTool = 'insert loop (PGlite)';
		baselineRate = pgliteBaseline;
		before = await baselineRate();
		servers = [await startBuiltApp({ ...common, DATABASE_URL: '', DATA_DIR: dir }, ports[0]!, profileDirs?.[0])];
		countStored = async () => {
			await stopServers();
			const h = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
			const n = (await h.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n;
			await h.close();
			return n;
		};
		cleanup = async () => {
			await stopServers();
			fs.rmSync(dir, { recursive: true, force: true });
		};
	}
	try {
		const dates = reportDates(Math.ceil((WARMUP + REQUESTS) / families.length));
		log(`${engine}: ${families.length} families, reports for ${dates.join(', ')}, ${WARMUP} warm-up then ${REQUESTS} at concurrency ${CONCURRENCY} (${FORM ? 'web form' : 'JSON API'})`);
		const warm = await load(ports, families, WARMUP, dates, 0);
		if (profileDirs) await probe(servers, profileDirs);
		const commitsBefore = await commitCount?.();
		const run = await load(ports, families, REQUESTS, dates, WARMUP);
		const probed = profileDirs ? await probe(servers, profileDirs) : undefined;
		// Other backends publish their counts within a second or so.
		if (commitCount) await new Promise((r) => setTimeout(r, 1500));
		const commitsAfter = await commitCount?.();
		if (engine === 'postgres') await stopServers();
		const stored = await countStored();
		const after = await baselineRate();
		log(`${engine}: ${run.ok} ok, ${run.errors} errors, ${stored} stored in all (incl. ${warm.ok} warm-up); baseline ${Math.round(before)}/s before, ${Math.round(after)}/s after`);
		return {
			engine,
			...run,
			stored: stored - warm.ok,
			baseline: { tool: baselineTool, before, after },
			...(probed && profileDirs
				? {
						probe: {
							...probed,
							...(commitsBefore !== undefined && commitsAfter !== undefined ? { commitsPerReport: (commitsAfter - commitsBefore) / REQUESTS } : {}),
							profile: summariseProfile(profileDirs[0]!)
						}
					}
				: {})
		};
	} finally {
		await cleanup();
		// BENCH_PROFILE_OUT=dir keeps the raw profile (for Chrome DevTools or speedscope).
		for (const [i, dir] of (profileDirs ?? []).entries()) {
			if (process.env.BENCH_PROFILE_OUT) fs.cpSync(dir, path.join(process.env.BENCH_PROFILE_OUT, `${engine}${i ? `-${i + 1}` : ''}`), { recursive: true });
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
}

function machine(): string {
	const cpus = os.cpus();
	return `${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}; Node ${process.version}`;
}

const BEGIN = '<!-- bench-reports:begin (written by `npm run bench:reports -- --write-docs`) -->';
const END = '<!-- bench-reports:end -->';

async function main() {
	if (!fs.existsSync('build/index.js')) {
		log('building the app first');
		const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
		if (r.status !== 0) process.exit(r.status ?? 1);
	}
	const results: Result[] = [];
	for (const engine of ENGINES) results.push(await benchEngine(engine));
	const ms = (n: number) => `${n.toFixed(1)} ms`;
	const lines = [
		`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:reports -- ${process.argv.slice(2).join(' ')}\`.`,
		'',
		`${REQUESTS.toLocaleString('en-GB')} reports per engine (after ${WARMUP} warm-up), ${CONCURRENCY} in flight, each a different family's child at a ${PUPILS.toLocaleString('en-GB')}-pupil school, over keep-alive HTTP to the built app (${INSTANCES === 1 ? 'one instance' : `on PostgreSQL ${INSTANCES} instances on the same database, the connections spread over them; PGlite one`}).`,
		'',
		'| Engine | Reports/s | p50 | p90 | p99 | max | stored | errors | stored = answered | Baseline inserts/s (before / after) | Reports/s ÷ baseline |',
		'|---|---|---|---|---|---|---|---|---|---|---|',
		...results.map((r) => {
			const rate = (r.ok / r.wallMs) * 1000;
			const baseline = (r.baseline.before + r.baseline.after) / 2;
			return `| ${r.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} | ${Math.round(rate)} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.ok} | ${r.errors} | ${r.stored === r.ok ? 'yes' : `NO (${r.stored})`} | ${Math.round(r.baseline.before)} / ${Math.round(r.baseline.after)} (${r.baseline.tool}) | ${(rate / baseline).toFixed(3)} |`;
		}),
		'',
		...results.flatMap((r) =>
			r.probe
				? [
						`${r.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} profile: ${r.engine === 'postgres' ? `${(r.probe.statements / REQUESTS).toFixed(1)} statements and ${r.probe.commitsPerReport?.toFixed(2) ?? '?'} commits per report (BEGIN/COMMIT counted as statements); ` : ''}server CPU ${(r.probe.cpuMs / r.ok).toFixed(2)} ms per report (${(r.probe.systemCpuMs / r.ok).toFixed(2)} ms of it in the kernel); event-loop delay p50 ${r.probe.loopDelayMs.p50.toFixed(1)} ms, p99 ${r.probe.loopDelayMs.p99.toFixed(1)} ms, max ${r.probe.loopDelayMs.max.toFixed(1)} ms; server RSS ${Math.round(r.probe.rssMiB)} MiB.`,
						...r.probe.profile.map((l) => `- ${l}`),
						''
					]
				: []
		),
		`Machine: ${machine()}. The load generator runs on the same 2 cores as the server and the database.`
	].join('\n');
	console.log(lines);
	if (arg('write-docs') === 'true') writeDocsSection(BEGIN, END, lines);
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
