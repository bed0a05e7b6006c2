/**
 * `npm run bench:fanout [-- options]`: an Every Day Counts campaign fanned out to 10,000 push
 * subscriptions and 10,000 SMS numbers, through the real outbox (claim, send marker, outcome),
 * the real web-push encryption and VAPID header, and the twilio SDK, to local fake push and
 * Twilio services over HTTPS on 127.0.0.1, on PostgreSQL and on PGlite.
 *
 *   --engine=both|postgres|pglite   which engines (default both)
 *   --families=10000                families, each with one phone and one push subscription
 *   --channels=push                 the campaign's channels (default push; push,sms for both:
 *                                   SMS goes at OUTBOX_SMS_PER_SECOND, 10 a second by default)
 *   --concurrency=8                 provider calls in flight (default: the deployment's)
 *   --limit=100                     rows claimed per outbox run (default: the deployment's)
 *   --write-docs                    rewrite this channel mix's figures in docs/benchmarks.md
 *
 * The fakes run in a worker thread (their own event loop) and count what arrives: every family
 * must be reached exactly once per channel. The app code is used as in production, including
 * its keep-alive agents: so that it trusts the fakes' throwaway certificate, the script re-runs
 * itself with NODE_EXTRA_CA_CERTS. Production settings: the outbox worker as an instance starts
 * it (its interval, batch, concurrency and per-channel rates per second, OUTBOX_DEFAULTS), and the
 * time is from the campaign being queued (queueing counted) to its last message sent. Not a
 * test: nothing asserts on timings.
 */
import { spawnSync } from 'node:child_process';
import crypto, { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import webpush from 'web-push';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { createCampaign, queueCampaign, type CampaignChannel } from '../../src/lib/server/features/campaigns';
import { startOutboxWorker, type Transport } from '../../src/lib/server/platform/outbox';
import { OUTBOX_DEFAULTS } from '../../src/lib/server/platform/config';
import { webPushTransport } from '../../src/lib/server/providers/webpush';
import { twilioSmsTransport } from '../../src/lib/server/providers/twilio';
import { pushTlsFiles } from '../../tests/e2e/push-tls';
import { createDatabase, dropDatabase } from '../../tests/helpers/scratch-database';
import { ADMIN_URL, arg, enginesArg, writeDocsSection, type EngineName } from './cli';

const log = (msg: string) => console.error(`[bench:fanout] ${msg}`);

const ENGINES = enginesArg();
const FAMILIES = Number(arg('families') ?? 10_000);
const CHANNELS = (arg('channels') ?? 'push').split(',') as CampaignChannel[];
const CONCURRENCY = Number(arg('concurrency') ?? OUTBOX_DEFAULTS.concurrency);
const LIMIT = Number(arg('limit') ?? OUTBOX_DEFAULTS.limit);

const TLS = pushTlsFiles(path.join(os.tmpdir(), 'everyday-bench-fanout'));

/** The fake push service and fake Twilio, in a worker thread. Plain JS (eval'd): no build step. */
const FAKES = `
const https = require('node:https');
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const tls = { key: fs.readFileSync(workerData.keyFile), cert: fs.readFileSync(workerData.certFile), keepAliveTimeout: 30000 };
const push = new Map(); const sms = new Map(); let sid = 0;
const count = (m, k) => m.set(k, (m.get(k) || 0) + 1);
const body = (req, done) => { const c = []; req.on('data', (d) => c.push(d)); req.on('end', () => done(Buffer.concat(c))); };
const pushServer = https.createServer(tls, (req, res) => body(req, (b) => {
	if (req.headers['content-encoding'] !== 'aes128gcm' || !String(req.headers.authorization || '').startsWith('vapid t=') || b.length < 100) { res.writeHead(400); return res.end(); }
	count(push, req.url); res.writeHead(201, { location: 'https://127.0.0.1/m/' + (++sid) }); res.end();
}));
const twilioServer = https.createServer(tls, (req, res) => body(req, (b) => {
	const form = new URLSearchParams(b.toString('utf8'));
	const to = form.get('To');
	if (!to || !form.get('Body') || !String(req.headers.authorization || '').startsWith('Basic ')) { res.writeHead(400); return res.end('{}'); }
	count(sms, to);
	res.writeHead(201, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ sid: 'SM' + String(++sid).padStart(32, '0'), status: 'queued', to, body: form.get('Body') }));
}));
let up = 0;
const ready = () => { if (++up === 2) parentPort.postMessage({ push: pushServer.address().port, twilio: twilioServer.address().port }); };
pushServer.listen(0, '127.0.0.1', ready); twilioServer.listen(0, '127.0.0.1', ready);
parentPort.on('message', (m) => {
	if (m === 'stats') parentPort.postMessage({ push: [...push.values()], sms: [...sms.values()] });
	if (m === 'reset') { push.clear(); sms.clear(); }
});
`;

interface Fakes {
	pushUrl: string;
	twilioUrl: string;
	stats(): Promise<{ push: number[]; sms: number[] }>;
	reset(): void;
	stop(): Promise<number>;
}

async function startFakes(): Promise<Fakes> {
	const worker = new Worker(FAKES, { eval: true, workerData: TLS });
	const ports = await new Promise<{ push: number; twilio: number }>((r) => worker.once('message', r));
	return {
		pushUrl: `https://127.0.0.1:${ports.push}`,
		twilioUrl: `https://127.0.0.1:${ports.twilio}`,
		stats: () => new Promise((r) => { worker.once('message', r); worker.postMessage('stats'); }),
		reset: () => worker.postMessage('reset'),
		stop: () => worker.terminate()
	};
}

/** A fictional school of `FAMILIES` pupils, one parent each with a phone and a push subscription. */
async function prepare(handle: DatabaseHandle, pushUrl: string): Promise<{ schoolId: string; staffId: string }> {
	const [school] = await handle.query<{ id: string }>(`insert into schools (urn, slug, name) values ('900001', 'fanout', 'Fan-out Primary (fictional)') returning id`);
	const schoolId = school!.id;
	await handle.query(
		`insert into school_terms (school_id, academic_year, name, starts_on, ends_on) values ($1, '2026/27', 'Autumn 1', '2026-09-03', '2026-10-23'), ($1, '2026/27', 'Autumn 2', '2026-11-02', '2026-12-18')`,
		[schoolId]
	);
	const [staff] = await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'head@fanout.example.org', 'Head', 'headteacher', 'x') returning id`, [schoolId]);
	for (let i = 0; i < FAMILIES; i += 1000) {
		const n = Math.min(1000, FAMILIES - i);
		const idx = Array.from({ length: n }, (_, k) => i + k);
		const keys = idx.map(() => {
			const ecdh = crypto.createECDH('prime256v1');
			ecdh.generateKeys();
			return { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') };
		});
		await handle.query(
			`with p as (
				insert into pupils (school_id, mis_id, first_name, last_name, year_group)
				select $1, 'F' || i, 'Pupil' || i, 'Fanout', (i % 7) from unnest($2::int[]) as i returning id, mis_id
			), g as (
				insert into guardians (first_name, last_name, phone)
				select 'Parent' || i, 'Fanout', '+447' || lpad((700000000 + i)::text, 9, '0') from unnest($2::int[]) as i returning id, phone
			), pairs as (
				select p.id as pupil_id, g.id as guardian_id, i from unnest($2::int[]) as i
				join p on p.mis_id = 'F' || i join g on g.phone = '+447' || lpad((700000000 + i)::text, 9, '0')
			), links as (
				insert into pupil_guardians (pupil_id, guardian_id, relationship) select pupil_id, guardian_id, 'Mother' from pairs
			)
			insert into push_subscriptions (guardian_id, endpoint, p256dh, auth)
			select pairs.guardian_id, $3 || '/push/' || pairs.i, k.p256dh, k.auth
			from pairs join unnest($2::int[], $4::text[], $5::text[]) as k(i, p256dh, auth) on k.i = pairs.i`,
			[schoolId, idx, pushUrl, keys.map((k) => k.p256dh), keys.map((k) => k.auth)]
		);
	}
	return { schoolId, staffId: staff!.id };
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface ChannelResult {
	channel: CampaignChannel;
	sent: number;
	/** From the start of delivery to this channel's last message accepted. */
	doneMs: number;
	p50: number;
	p99: number;
	reached: number;
	duplicates: number;
}

interface Result {
	engine: EngineName;
	version: string;
	queueMs: number;
	queued: number;
	deliverMs: number;
	runs: number;
	channels: ChannelResult[];
	notSent: number;
}

async function benchEngine(engine: EngineName, fakes: Fakes): Promise<Result> {
	let handle: DatabaseHandle;
	let cleanup: () => Promise<void>;
	if (engine === 'postgres') {
		const name = `fanout_bench_${randomBytes(4).toString('hex')}`;
		const url = await createDatabase(ADMIN_URL, name);
		handle = await openDatabase({ engine: 'postgres', url, poolSize: 20 });
		cleanup = async () => {
			await handle.close();
			log(`${engine}: dropping the scratch database`);
			await dropDatabase(ADMIN_URL, name);
		};
	} else {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'everyday-bench-fanout-'));
		handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
		cleanup = async () => {
			await handle.close();
			fs.rmSync(dir, { recursive: true, force: true });
		};
	}
	try {
		await runMigrations(handle);
		const [{ version }] = (await handle.query<{ version: string }>('select version()')) as [{ version: string }];
		log(`${engine}: loading ${FAMILIES} families`);
		const { schoolId, staffId } = await prepare(handle, fakes.pushUrl);
		const made = await createCampaign(handle, {
			schoolId,
			staffUserId: staffId,
			input: { title: 'Every day counts', body: 'Every day in school counts. Thank you for helping {firstName} to be here, on time, every day.', audience: { kind: 'school' }, channels: CHANNELS }
		});
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		const keys = { ...webpush.generateVAPIDKeys(), subject: 'mailto:bench@every-day.example.org' };
		const latencies: Record<string, number[]> = { push: [], sms: [] };
		const lastAt: Record<string, number> = {};
		const timed = (channel: CampaignChannel, inner: Transport): Transport => ({
			async send(m) {
				const s = performance.now();
				const r = await inner.send(m);
				const e = performance.now();
				latencies[channel]!.push(e - s);
				lastAt[channel] = e;
				return r;
			}
		});
		const transports = {
			push: timed('push', webPushTransport(handle, keys)),
			sms: timed('sms', twilioSmsTransport({ accountSid: `AC${'b'.repeat(32)}`, authToken: 'bench-token', from: '+447700900000', apiBase: fakes.twilioUrl }))
		};
		fakes.reset();
		// As in a deployment: the worker is running when the campaign is queued, and the clock
		// starts with the queueing.
		const t = performance.now();
		const stop = startOutboxWorker(handle, { intervalMs: OUTBOX_DEFAULTS.intervalMs, transports, delivery: { limit: LIMIT, concurrency: CONCURRENCY, leaseMs: 300_000 }, perSecond: { ...OUTBOX_DEFAULTS.perSecond } });
		let queued = 0;
		let queueMs = 0;
		let runs = 0;
		try {
			queued = await queueCampaign(handle, made.id);
			queueMs = performance.now() - t;
			log(`${engine}: queued ${queued} messages in ${(queueMs / 1000).toFixed(1)} s; delivering`);
			for (;;) {
				const [done] = await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where campaign_id = $1 and status in ('sent', 'dead')`, [made.id]);
				if (done!.n >= queued) break;
				runs++;
				await new Promise((r) => setTimeout(r, 100));
			}
		} finally {
			await stop();
		}
		const deliverMs = performance.now() - t;
		const stats = await fakes.stats();
		const [left] = await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where campaign_id = $1 and status <> 'sent'`, [made.id]);
		if (left!.n > 0) {
			const why = await handle.query<{ status: string; last_error: string | null; n: number }>(`select status, last_error, count(*)::int as n from outbound_messages where campaign_id = $1 and status <> 'sent' group by 1, 2`, [made.id]);
			log(`${engine}: not sent: ${JSON.stringify(why)}`);
		}
		const channels: ChannelResult[] = CHANNELS.filter((c) => c === 'push' || c === 'sms').map((c) => {
			const sorted = [...latencies[c]!].sort((a, b) => a - b);
			const seen = c === 'push' ? stats.push : stats.sms;
			return {
				channel: c,
				sent: sorted.length,
				doneMs: (lastAt[c] ?? t) - t,
				p50: percentile(sorted, 50),
				p99: percentile(sorted, 99),
				reached: seen.length,
				duplicates: seen.filter((n) => n > 1).length
			};
		});
		return { engine, version, queueMs, queued, deliverMs, runs, channels, notSent: left!.n };
	} catch (err) {
		log(`${engine}: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
		throw err;
	} finally {
		await cleanup();
	}
}

function machine(): string {
	const cpus = os.cpus();
	const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
	const model = /Model name:\s*(.+)/.exec(lscpu)?.[1]?.trim() ?? cpus[0]?.model.trim() ?? 'unknown';
	// The load average matters here: the figures move a lot when the cores are busy with other work.
	return `${cpus.length} CPUs (lscpu: ${model}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}; Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (1 / 5 / 15 min)`;
}

// One section per channel mix (the default push+sms campaign, and --channels=push alone).
const BEGIN = `<!-- bench-fanout ${CHANNELS.join('+')}:begin (written by \`npm run bench:fanout -- --write-docs\`) -->`;
const END = `<!-- bench-fanout ${CHANNELS.join('+')}:end -->`;

async function main() {
	const fakes = await startFakes();
	const results: Result[] = [];
	try {
		for (const engine of ENGINES) results.push(await benchEngine(engine, fakes));
	} finally {
		await fakes.stop();
	}
	const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const ms = (n: number) => `${n.toFixed(1)} ms`;
	const name = (r: Result) => (r.engine === 'postgres' ? `PostgreSQL (${r.version.split(' on ')[0]!.replace('PostgreSQL ', '')})` : `PGlite (${r.version.split(' on ')[0]!.replace('PostgreSQL ', 'PostgreSQL ')} in WASM)`);
	const lines = [
		`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:fanout -- ${process.argv.slice(2).filter((a) => a !== '--write-docs').join(' ')}\` (and \`--write-docs\`).`,
		'',
		`One campaign to a fictional school of ${FAMILIES.toLocaleString('en-GB')} families, each with a phone and a push subscription, on ${CHANNELS.join(' and ')}; the outbox worker as a deployment runs it (${CONCURRENCY} provider calls in flight, ${LIMIT} rows claimed per run, at most ${CHANNELS.map((c) => `${OUTBOX_DEFAULTS.perSecond[c as keyof typeof OUTBOX_DEFAULTS.perSecond]} ${c}`).join(' and ')} a second); times from queueing the campaign.`,
		'',
		'| Engine | Queue the campaign | Queued to all sent | Channel | Sent | Done after | Throughput | Provider call p50 / p99 | Reached (fake) | Twice |',
		'|---|---|---|---|---|---|---|---|---|---|',
		...results.flatMap((r) =>
			r.channels.map(
				(c, i) =>
					`| ${i === 0 ? name(r) : ''} | ${i === 0 ? `${s(r.queueMs)} (${r.queued.toLocaleString('en-GB')} rows)` : ''} | ${i === 0 ? `${s(r.deliverMs)}, ${Math.round((r.queued / r.deliverMs) * 1000)}/s${r.notSent ? `, ${r.notSent} NOT sent` : ''}` : ''} | ${c.channel} | ${c.sent.toLocaleString('en-GB')} | ${s(c.doneMs)} | ${Math.round((c.sent / c.doneMs) * 1000)}/s | ${ms(c.p50)} / ${ms(c.p99)} | ${c.reached.toLocaleString('en-GB')} | ${c.duplicates} |`
			)
		),
		'',
		`Machine: ${machine()}. The fakes (a worker thread) and PostgreSQL share the same 2 cores with the sender.`
	].join('\n');
	console.log(lines);
	if (arg('write-docs') === 'true') writeDocsSection(BEGIN, END, lines);
}

// The app's own HTTPS agents must trust the fakes' certificate: Node reads NODE_EXTRA_CA_CERTS
// only at start-up, so run again with it set.
if (process.env.NODE_EXTRA_CA_CERTS !== TLS.certFile) {
	// The fakes listen on 127.0.0.1, which the push transport refuses unless told it may (never in production).
	const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: TLS.certFile, PUSH_ALLOW_PRIVATE_HOSTS: '1' } });
	process.exit(r.status ?? 1);
} else {
	const watchdog = setTimeout(() => {
		console.error('[bench:fanout] watchdog: more than 20 minutes, stopping');
		process.exit(2);
	}, 20 * 60_000);
	watchdog.unref();
	main().catch((err) => {
		console.error(err);
		process.exit(1);
	});
}
