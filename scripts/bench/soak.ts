/**
 * `npm run bench:soak [-- options]`: the server's memory over a long run of mixed pages, to see
 * whether it stays flat. The built app on a scratch PostgreSQL database with the demo data
 * serves, at a steady concurrency, what a school morning mixes: parents' child pages and
 * absence reports (each from a Harbourside family, some for a day already reported, some over the
 * parent's hourly limit), the staff overview, the day's board and a pupil's page. Every
 * `--sample` seconds: the server's RSS (from /proc), then, through the probe (probe.mjs, with
 * --expose-gc), the heap still in use after a full garbage collection.
 *
 *   --minutes=60        how long
 *   --concurrency=8     requests in flight
 *   --sample=30         seconds between RSS samples
 *   --write-docs        rewrite the soak section of docs/benchmarks.md
 *
 * Not a test: nothing is asserted. What to read: the heap after collection once the first
 * minutes have warmed the caches, against the same at the end. A leak grows with the requests
 * served; a cache or a pool grows to its bound and stops; RSS also holds garbage not yet
 * collected and memory V8 keeps for reuse, so it moves more.
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import os from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { openDatabase, runMigrations } from '../../src/lib/server/platform/db/engine';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { DEMO_STAFF } from '../../src/lib/server/demo/staff';
import { SESSION_COOKIE, createSession, markSecondFactorVerified, sessionIdFromToken } from '../../src/lib/server/features/accounts';
import { createDatabase, dropDatabase } from '../../tests/helpers/scratch-database';
import { ADMIN_URL, arg, writeDocsSection } from './cli';
import { freePort, startBuiltApp } from './server';

const log = (msg: string) => console.error(`[bench:soak] ${msg}`);
const MINUTES = Number(arg('minutes') ?? 60);
const CONCURRENCY = Number(arg('concurrency') ?? 8);
const SAMPLE_SECONDS = Number(arg('sample') ?? 30);

interface Request {
	kind: string;
	method: 'GET' | 'POST';
	path: string;
	cookie: string;
	body?: () => string;
}

function send(agent: http.Agent, port: number, r: Request): Promise<number> {
	const body = r.body?.();
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				path: r.path,
				method: r.method,
				agent,
				headers: {
					cookie: r.cookie,
					origin: `http://127.0.0.1:${port}`,
					'accept-encoding': 'gzip',
					...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {})
				}
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** The probe's heap after a full collection (it writes probe.json on SIGUSR2). */
async function heapAfterGc(server: ChildProcess, dir: string): Promise<{ heap: number; external: number; rssAfterGc: number }> {
	const file = path.join(dir, 'probe.json');
	fs.rmSync(file, { force: true });
	server.kill('SIGUSR2');
	for (let n = 0; n < 200 && !fs.existsSync(file); n++) await new Promise((r) => setTimeout(r, 50));
	const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { heapUsedAfterGcMiB: number; externalAfterGcMiB: number; rssAfterGcMiB: number };
	return { heap: p.heapUsedAfterGcMiB, external: p.externalAfterGcMiB, rssAfterGc: p.rssAfterGcMiB };
}

function rssMiB(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
	return kb / 1024;
}

async function main() {
	if (!fs.existsSync('build/index.js')) throw new Error('build the app first: npm run build');
	// The seed saves the demo staff's two-factor keys under APP_SECRET: the server needs the same.
	const appSecret = randomBytes(32).toString('base64');
	process.env.APP_SECRET = appSecret;
	const name = `everyday_soak_${randomBytes(4).toString('hex')}`;
	const url = await createDatabase(ADMIN_URL, name);
	let server: ChildProcess | undefined;
	const handle = await openDatabase({ engine: 'postgres', url });
	try {
		await runMigrations(handle);
		await seedDemoData(handle);
		const [school] = await handle.query<{ id: string }>(`select id from schools where slug = 'harbourside'`);
		const families = await handle.query<{ guardian_id: string; pupil_id: string }>(
			`select distinct on (pg.pupil_id) pg.guardian_id, pg.pupil_id from pupil_guardians pg join pupils p on p.id = pg.pupil_id
			 where p.school_id = $1 order by pg.pupil_id, pg.contact_priority`,
			[school!.id]
		);
		const staffEmail = DEMO_STAFF.find((s) => s.email.startsWith('attendance@harbourside'))!.email;
		const [staff] = await handle.query<{ id: string }>(`select id from staff_users where email = $1`, [staffEmail]);
		const staffSession = await createSession(handle.db, { kind: 'staff', staffUserId: staff!.id });
		await markSecondFactorVerified(handle.db, sessionIdFromToken(staffSession.token));
		const staffCookie = `${SESSION_COOKIE}=${staffSession.token}`;
		const parents = new Map<string, string>();
		for (const f of families) {
			if (!parents.has(f.guardian_id)) parents.set(f.guardian_id, `${SESSION_COOKIE}=${(await createSession(handle.db, { kind: 'guardian', guardianId: f.guardian_id })).token}`);
		}
		// A few days ahead, so most reports are new and some add to one already sent.
		const [day] = await handle.query<{ date: string }>(
			`select (current_date + n)::text as date from generate_series(7, 30) n where extract(isodow from current_date + n) < 6 limit 1`
		);
		const mix: (() => Request)[] = [
			() => {
				const f = families[Math.floor(Math.random() * families.length)]!;
				return { kind: 'child page', method: 'GET', path: `/children/${f.pupil_id}`, cookie: parents.get(f.guardian_id)! };
			},
			() => {
				const f = families[Math.floor(Math.random() * families.length)]!;
				return {
					kind: 'report',
					method: 'POST',
					path: '/api/reports',
					cookie: parents.get(f.guardian_id)!,
					body: () => JSON.stringify({ idempotencyKey: randomUUID(), pupilIds: [f.pupil_id], when: 'day', date: day!.date, reason: 'illness', details: 'Temperature' })
				};
			},
			() => ({ kind: 'staff overview', method: 'GET', path: '/staff', cookie: staffCookie }),
			() => ({ kind: 'board', method: 'GET', path: '/staff/today', cookie: staffCookie }),
			() => {
				const f = families[Math.floor(Math.random() * families.length)]!;
				return { kind: 'pupil page', method: 'GET', path: `/staff/pupils/${f.pupil_id}`, cookie: staffCookie };
			}
		];

		const port = await freePort();
		const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-soak-'));
		server = await startBuiltApp({ SCHEDULER: '0', OUTBOX_WORKER: '0', SEED_DEMO: '0', AUTO_MIGRATE: '0', DEV_TOOLS: '0', APP_SECRET: appSecret, DATABASE_URL: url }, port, probeDir, { memoryProbeOnly: true });
		const pid = server.pid!;
		const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
		const counts = new Map<string, { ok: number; other: Map<number, number> }>();
		let served = 0;
		const samples: { minute: number; served: number; rss: number; heap: number; external: number; rssAfterGc: number }[] = [];
		const started = Date.now();
		const sample = async () => {
			const rss = rssMiB(pid);
			samples.push({ minute: (Date.now() - started) / 60_000, served, rss, ...(await heapAfterGc(server!, probeDir)) });
			const last = samples.at(-1)!;
			log(`${last.minute.toFixed(1)} min: ${last.served} requests, RSS ${last.rss.toFixed(0)} MiB, heap after GC ${last.heap.toFixed(1)} MiB`);
		};
		await sample();
		const endAt = started + MINUTES * 60_000;
		// One sample at a time, and none left running when the run ends.
		let sampling = Promise.resolve();
		const sampler = setInterval(() => {
			sampling = sampling.then(sample);
		}, SAMPLE_SECONDS * 1000);
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (Date.now() < endAt) {
					const r = mix[Math.floor(Math.random() * mix.length)]!();
					const status = await send(agent, port, r).catch(() => -1);
					const c = counts.get(r.kind) ?? { ok: 0, other: new Map() };
					if (status >= 200 && status < 400) c.ok++;
					else c.other.set(status, (c.other.get(status) ?? 0) + 1);
					counts.set(r.kind, c);
					served++;
				}
			})
		);
		clearInterval(sampler);
		await sampling;
		await sample();
		agent.destroy();
		fs.rmSync(probeDir, { recursive: true, force: true });

		const warm = samples.find((s) => s.minute >= Math.min(5, MINUTES / 4)) ?? samples[0]!;
		const end = samples.at(-1)!;
		const peak = Math.max(...samples.map((s) => s.rss));
		const heapPerRequest = (end.heap - warm.heap) / Math.max(1, end.served - warm.served);
		const table = samples.filter((_, i) => i % Math.max(1, Math.round(samples.length / 13)) === 0 || _ === end);
		const lines = [
			`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:soak -- ${process.argv.slice(2).join(' ')}\`.`,
			'',
			`One instance of the built app on PostgreSQL with the demo data, ${CONCURRENCY} requests in flight for ${MINUTES} minutes: ${served.toLocaleString('en-GB')} requests. ` +
				[...counts].map(([k, c]) => `${k} ${c.ok.toLocaleString('en-GB')}${c.other.size ? ` (and ${[...c.other].map(([s, n]) => `${n} × ${s}`).join(', ')})` : ''}`).join(', ') +
				'.',
			'',
			`Heap in use after a full collection: ${samples[0]!.heap.toFixed(1)} MiB at start, ${warm.heap.toFixed(1)} MiB after ${warm.minute.toFixed(0)} minutes, ${end.heap.toFixed(1)} MiB at the end (${(heapPerRequest * 1024 * 1024).toFixed(1)} bytes per request served in between). Server RSS: ${samples[0]!.rss.toFixed(0)} MiB at start, ${warm.rss.toFixed(0)} MiB after ${warm.minute.toFixed(0)} minutes, ${end.rss.toFixed(0)} MiB at the end (peak ${peak.toFixed(0)} MiB).`,
			'',
			'| Minute | Requests served | Heap after a full GC | Buffers outside the heap | RSS before the GC | RSS after it |',
			'|---|---|---|---|---|---|',
			...table.map((s) => `| ${s.minute.toFixed(1)} | ${s.served.toLocaleString('en-GB')} | ${s.heap.toFixed(1)} MiB | ${s.external.toFixed(1)} MiB | ${s.rss.toFixed(0)} MiB | ${s.rssAfterGc.toFixed(0)} MiB |`),
			'',
			`Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM; Node ${process.version}. The load generator shares the machine.`
		].join('\n');
		console.log(lines);
		if (arg('write-docs') === 'true') writeDocsSection('<!-- bench-soak:begin (written by `npm run bench:soak -- --write-docs`) -->', '<!-- bench-soak:end -->', lines);
	} finally {
		if (server) {
			await new Promise((r) => {
				server!.once('exit', r);
				server!.kill('SIGTERM');
			});
		}
		await handle.close();
		await dropDatabase(ADMIN_URL, name);
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
