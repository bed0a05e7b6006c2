/**
 * Graceful shutdown with no lost job, on the real built app in a child process.
 *
 * Six text messages wait in the outbox; the app's worker sends them through a fake Twilio that
 * takes over a second per message. While the first is in flight we send SIGTERM. The app must
 * exit 0, the message in flight must be recorded as sent (once), and every other one must be
 * back in the queue (pending, unclaimed: not waiting out a lease). A new worker then sends the
 * rest, and every recipient has had exactly one text.
 *
 * The child runs `node scripts/start.js` (what `npm start` runs); the build is brought up to
 * date first (tests/helpers/built-app.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { openDatabase, runMigrations, type DatabaseHandle, type DatabaseOptions } from '../../src/lib/server/platform/db/engine';
import { outboundMessages } from '../../src/lib/server/platform/db/schema';
import { deliverDueMessages, enqueueMessage } from '../../src/lib/server/platform/outbox';
import { twilioSmsTransport } from '../../src/lib/server/providers/twilio';
import { testEngine } from '../helpers/db';
import { appDatabase, startApp, type AppDatabase } from '../helpers/built-app';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const RECIPIENTS = Array.from({ length: 6 }, (_, i) => `+4477009000${String(10 + i)}`);

interface SlowTwilio {
	url: string;
	/** Recipients, in the order their send request arrived. */
	started: string[];
	/** Recipients whose send request was answered. */
	answered: string[];
	firstRequest: Promise<void>;
	close(): Promise<void>;
}

/** A fake Twilio Messages API that answers each send after `delayMs`. */
async function slowTwilio(delayMs: number): Promise<SlowTwilio> {
	const started: string[] = [];
	const answered: string[] = [];
	let first!: () => void;
	const firstRequest = new Promise<void>((r) => (first = r));
	let n = 0;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const to = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('To') ?? '';
			started.push(to);
			first();
			setTimeout(() => {
				answered.push(to);
				res.writeHead(201, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ sid: `SM${String(++n).padStart(32, '0')}`, status: 'queued', to }));
			}, delayMs);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		started,
		answered,
		firstRequest,
		close: () => new Promise<void>((r) => {
			server.close(() => r());
			server.closeAllConnections();
		})
	};
}

/** A Twilio webhook POST whose body arrives in two parts: the headers and a few bytes now, the rest on `sendRest`. */
async function slowWebhookRequest(port: number): Promise<{ sendRest(): void; response: Promise<string> }> {
	const body = `MessageSid=SM${'0'.repeat(32)}&From=%2B447700900999&Body=hello`;
	const socket = net.connect(port, '127.0.0.1');
	await new Promise<void>((r) => socket.once('connect', () => r()));
	let received = '';
	const response = new Promise<string>((resolve, reject) => {
		socket.on('data', (c: Buffer) => (received += c.toString()));
		socket.on('end', () => resolve(received));
		socket.on('error', reject);
	});
	socket.write(
		`POST /webhooks/twilio/sms HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
			`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`
	);
	// Let the server parse the headers and start handling the request.
	await new Promise((r) => setTimeout(r, 200));
	return { sendRest: () => socket.write(body.slice(10)), response };
}

describe(`graceful shutdown of the built app (${testEngine})`, () => {
	let database: AppDatabase;
	let options: DatabaseOptions;
	let env: Record<string, string>;

	beforeAll(async () => {
		database = await appDatabase();
		({ options, env } = database);
		// The queue, written before the app starts (the embedded database is one process at a time).
		const handle = await openDatabase(options);
		await runMigrations(handle);
		for (const [i, recipient] of RECIPIENTS.entries()) {
			await enqueueMessage(handle.db, { channel: 'sms', recipient, purpose: 'test', body: `Message ${i}`, idempotencyKey: `shutdown-${i}` });
		}
		await handle.close();
	});

	afterAll(async () => {
		await database?.dispose();
	});

	it('finishes the message in flight, puts the rest back, exits 0, and a new worker sends the rest', { timeout: 600_000 }, async () => {
		const twilio = await slowTwilio(1_500);
		const app = await startApp({
			...env,
			// npm start shows warnings only; the shutdown's own info lines are what this test reads.
			LOG_LEVEL: 'info',
			AUTO_MIGRATE: '1',
			SEED_DEMO: '0',
			SCHEDULER: '0',
			DEV_TOOLS: '0',
			TWILIO_ACCOUNT_SID: ACCOUNT,
			TWILIO_AUTH_TOKEN: 'test-token',
			TWILIO_FROM: '+447700900000',
			TWILIO_API_BASE: twilio.url,
			// Two sends in flight at a time (the default is 8, more than the queue here), so the
			// signal finds some messages being sent and the rest still waiting.
			OUTBOX_CONCURRENCY: '2'
		});
		const { child, exited } = app;
		const output = () => app.output();
		const first = await Promise.race([twilio.firstRequest.then(() => 'sending' as const), exited.then(() => 'exited' as const)]);
		expect(first, output()).toBe('sending');
		// A request still arriving when the signal comes (its body sent slowly) is finished, not cut off.
		const inFlight = await slowWebhookRequest(Number(new URL(app.url).port));
		child.kill('SIGTERM');
		await new Promise((r) => setTimeout(r, 300));
		inFlight.sendRest();
		const signalledAt = Date.now();
		const { code, signal } = await exited;
		await twilio.close();

		expect({ code, signal }, output()).toEqual({ code: 0, signal: null });
		expect(Date.now() - signalledAt).toBeLessThan(20_000);
		// The webhook read the whole body and answered (403: the test does not sign it).
		expect(await inFlight.response).toMatch(/^HTTP\/1\.1 403 /);
		expect(output()).toContain('"event":"shutdown.done"');
		// Only what was in flight was sent: the worker did not carry on through the batch.
		expect(twilio.started.length).toBeGreaterThanOrEqual(1);
		expect(twilio.started.length).toBeLessThan(RECIPIENTS.length);
		expect(twilio.answered).toEqual(twilio.started);

		const handle: DatabaseHandle = await openDatabase(options);
		try {
			const rows = await handle.db.select().from(outboundMessages);
			expect(rows).toHaveLength(RECIPIENTS.length);
			for (const row of rows) {
				if (twilio.started.includes(row.recipient)) {
					expect(row.status, row.recipient).toBe('sent');
					expect(row.providerMessageId).toMatch(/^SM\d{32}$/);
				} else {
					// Released: claimable now, and its attempt not counted against it.
					expect({ status: row.status, leaseUntil: row.leaseUntil, attempts: row.attempts }, row.recipient).toEqual({
						status: 'pending',
						leaseUntil: null,
						attempts: 0
					});
				}
			}

			// A new worker (here, in this process) sends the rest straight away.
			const fast = await slowTwilio(0);
			const report = await deliverDueMessages(handle, { sms: twilioSmsTransport({ accountSid: ACCOUNT, authToken: 'test-token', from: '+447700900000', apiBase: fast.url }) });
			await fast.close();
			expect(report.sent).toBe(RECIPIENTS.length - twilio.started.length);
			expect([...twilio.started, ...fast.started].sort()).toEqual([...RECIPIENTS].sort());
			const after = await handle.db.select({ status: outboundMessages.status }).from(outboundMessages).where(eq(outboundMessages.status, 'sent'));
			expect(after).toHaveLength(RECIPIENTS.length);
		} finally {
			await handle.close();
		}
	});
});
