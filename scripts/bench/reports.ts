/**
 * `npm run bench:reports [-- options]`: the morning peak. Parents report absences through the
 * real HTTP endpoint (POST /api/reports, as the report page and service worker send them) of
 * the built app, on PostgreSQL and on PGlite; reports per second and p50/p99 latency.
 *
 *   --engine=both|postgres|pglite   which engines (default both)
 *   --requests=6000                 reports sent per engine (after 300 warm-up reports)
 *   --concurrency=32                requests in flight at once (keep-alive connections)
 *   --pupils=2000                   school size; every report is a different family's child
 *   --write-docs                    rewrite the reports section of docs/benchmarks.md
 *
 * Each report is one child, one school day ahead, with a fresh idempotency key, from a signed-in
 * parent's session cookie: the full path of session check, validation, calendar, and the
 * transaction that stores the report, its sessions and the audit row. Afterwards the stored
 * reports are counted: every 200 must be exactly one report. Not a test: nothing is asserted
 * about timings. PostgreSQL: a scratch database on BENCH_DATABASE_URL, dropped afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
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
import { addSchoolDays, localDateOf, nextSchoolDay, termContaining } from '../../src/lib/domain/calendar';

const log = (msg: string) => console.error(`[bench:reports] ${msg}`);

const ENGINES = enginesArg();
const REQUESTS = Number(arg('requests') ?? 6000);
const CONCURRENCY = Number(arg('concurrency') ?? 32);
const PUPILS = Number(arg('pupils') ?? 2000);
const WARMUP = 300;

interface Family {
	cookie: string;
	pupilId: string;
}

interface Result {
	engine: EngineName;
	ok: number;
	errors: number;
	stored: number;
	wallMs: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

/** The first school day from today (or the first of the demo year), so reports are never in the past. */
function reportDate(): string {
	const cal = demoCalendar();
	const today = localDateOf(new Date(), cal.timeZone);
	const start = termContaining(cal, today) ? today : cal.terms[0]!.startsOn;
	return nextSchoolDay(cal, start) ?? addSchoolDays(cal, start, 1)!;
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

function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['build/index.js'], {
		env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${port}` },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const poll = () => {
			const req = http.get(`http://127.0.0.1:${port}/health`, (res) => {
				res.resume();
				if (res.statusCode === 200) resolve(child);
				else setTimeout(poll, 200);
			});
			req.on('error', () => {
				if (Date.now() - started > 120_000) reject(new Error('server did not start'));
				else setTimeout(poll, 200);
			});
		};
		child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
		poll();
	});
}

function post(agent: http.Agent, port: number, family: Family, date: string): Promise<{ status: number; ms: number }> {
	const body = JSON.stringify({
		idempotencyKey: randomUUID(),
		pupilIds: [family.pupilId],
		when: 'day',
		date,
		reason: 'illness',
		details: 'Temperature'
	});
	const started = process.hrtime.bigint();
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				path: '/api/reports',
				method: 'POST',
				agent,
				headers: {
					'content-type': 'application/json',
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

async function load(port: number, families: Family[], count: number, date: string, offset: number) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	const latencies: number[] = [];
	let ok = 0;
	let errors = 0;
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < count) {
				const i = next++;
				const r = await post(agent, port, families[(offset + i) % families.length]!, date);
				latencies.push(r.ms);
				if (r.status === 200) ok++;
				else errors++;
			}
		})
	);
	const wallMs = performance.now() - started;
	agent.destroy();
	latencies.sort((a, b) => a - b);
	const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
	return { ok, errors, wallMs, p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.at(-1)! };
}

async function benchEngine(engine: EngineName): Promise<Result> {
	const port = await freePort();
	const appSecret = randomBytes(32).toString('base64');
	const common = { SCHEDULER: '0', OUTBOX_WORKER: '0', SEED_DEMO: '0', AUTO_MIGRATE: '0', DEV_TOOLS: '0', APP_SECRET: appSecret };
	let server: ChildProcess | undefined;
	let cleanup: () => Promise<void>;
	let families: Family[];
	let countStored: () => Promise<number>;
	if (engine === 'postgres') {
		const name = `everyday_bench_${randomBytes(4).toString('hex')}`;
		const url = await createDatabase(ADMIN_URL, name);
		const handle = await openDatabase({ engine: 'postgres', url });
		families = await prepare(handle);
		countStored = async () => (await handle.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n;
		server = await startServer({ ...common, DATABASE_URL: url, DATABASE_POOL_SIZE: '10' }, port);
		cleanup = async () => {
			server?.kill('SIGTERM');
			await handle.close();
			await dropDatabase(ADMIN_URL, name);
		};
	} else {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-bench-reports-'));
		const handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
		families = await prepare(handle);
		await handle.close(); // PGlite is single-process: the server opens it next.
		server = await startServer({ ...common, DATABASE_URL: '', DATA_DIR: dir }, port);
		countStored = async () => {
			server?.kill('SIGTERM');
			await new Promise((r) => server!.once('exit', r));
			server = undefined;
			const h = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
			const n = (await h.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n;
			await h.close();
			return n;
		};
		cleanup = async () => {
			server?.kill('SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		};
	}
	try {
		const date = reportDate();
		log(`${engine}: ${families.length} families, reports for ${date}, ${WARMUP} warm-up then ${REQUESTS} at concurrency ${CONCURRENCY}`);
		const warm = await load(port, families, WARMUP, date, 0);
		const run = await load(port, families, REQUESTS, date, WARMUP);
		const stored = await countStored();
		log(`${engine}: ${run.ok} ok, ${run.errors} errors, ${stored} stored in all (incl. ${warm.ok} warm-up)`);
		return { engine, ...run, stored: stored - warm.ok };
	} finally {
		await cleanup();
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
		`${REQUESTS.toLocaleString('en-GB')} reports per engine (after ${WARMUP} warm-up), ${CONCURRENCY} in flight, each a different family's child at a ${PUPILS.toLocaleString('en-GB')}-pupil school, over keep-alive HTTP to the built app (one instance).`,
		'',
		'| Engine | Reports/s | p50 | p90 | p99 | max | 200s | errors | stored = 200s |',
		'|---|---|---|---|---|---|---|---|---|',
		...results.map(
			(r) =>
				`| ${r.engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} | ${Math.round((r.ok / r.wallMs) * 1000)} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.ok} | ${r.errors} | ${r.stored === r.ok ? 'yes' : `NO (${r.stored})`} |`
		),
		'',
		`Machine: ${machine()}. The load generator runs on the same 2 cores as the server and the database.`
	].join('\n');
	console.log(lines);
	if (arg('write-docs') === 'true') writeDocsSection(BEGIN, END, lines);
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
