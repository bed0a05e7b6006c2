/**
 * Issue 9: "no family messaged twice for one campaign even if a worker dies mid-send". A real
 * outbox worker runs in a child process (tests/helpers/outbox-worker-process.ts) against this
 * file's PostgreSQL database and sends a campaign's SMS through the twilio SDK to a slow local
 * fake Twilio. When the fake has received the fifth message, and before it answers, the child is
 * SIGKILLed: that message (and any other in flight) reached the "provider" but its success was
 * never recorded. A second worker then finishes the campaign. The fake must have seen every
 * family at most once, and every family exactly once except those reported "unknown".
 *
 * PostgreSQL only (the vitest pglite project excludes *.postgres.test.ts): two processes cannot
 * share an in-memory PGlite. The same rule on both engines is tested in-process in outbox.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createPostgresTestDatabase } from '../helpers/db';
import { openDatabase, runMigrations, type DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { campaignResults, createCampaign, queueCampaign } from '../../src/lib/server/features/campaigns/campaigns';
import { deliverDueMessages } from '../../src/lib/server/platform/outbox';
import { twilioSmsTransport } from '../../src/lib/server/providers/twilio';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const FAMILIES = 30;
const KILL_AT = 5;

describe('a worker SIGKILLed mid-send: no family gets a campaign message twice (postgres)', () => {
	let handle: DatabaseHandle;
	let url: string;
	let fake: http.Server;
	let fakeUrl: string;
	let child: ChildProcess | undefined;
	/** Every "To" the fake Twilio received, in arrival order (recorded before it answers). */
	const received: string[] = [];
	let onKillPoint: () => void = () => {};

	beforeAll(async () => {
		url = await createPostgresTestDatabase();
		handle = await openDatabase({ engine: 'postgres', url, poolSize: 5 });
		await runMigrations(handle);
		fake = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const to = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('To') ?? '?';
				received.push(to);
				if (received.length === KILL_AT && child) {
					// The provider has the message; the worker dies before it hears back.
					child.kill('SIGKILL');
					onKillPoint();
					res.destroy();
					return;
				}
				// A slow provider, so the worker is mid-batch when it is killed.
				setTimeout(() => {
					res.writeHead(201, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ sid: `SM${String(received.length).padStart(32, '0')}`, status: 'queued' }));
				}, 60);
			});
		});
		await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
		fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
	});
	afterAll(async () => {
		child?.kill('SIGKILL');
		await new Promise<void>((r) => fake?.close(() => r()));
		await handle?.close();
	});

	it('the second worker finishes the campaign; in-doubt messages are reported unknown, never resent', async () => {
		const misIds = Array.from({ length: FAMILIES }, (_, i) => `K${i}`);
		const school = await createTestSchool(handle, { slug: 'kill', urn: '497001', misIds });
		const phones: string[] = [];
		for (let i = 0; i < FAMILIES; i++) {
			const phone = `+4477009${String(20000 + i)}`;
			phones.push(phone);
			await linkGuardian(handle, await createGuardian(handle, { phone }), school.pupils.get(`K${i}`)!);
		}
		const [head] = await handle.query<{ id: string }>(
			`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'h@kill.test', 'H', 'headteacher', 'x') returning id`,
			[school.id]
		);
		const made = await createCampaign(handle, { schoolId: school.id, staffUserId: head!.id, input: { title: 'Every day counts', body: 'Thank you, {firstName}', audience: { kind: 'school' }, channels: ['sms'] } });
		if (!made.ok) throw new Error('campaign not created');
		expect(await queueCampaign(handle, made.id)).toBe(FAMILIES);

		const killed = new Promise<void>((r) => (onKillPoint = r));
		child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/outbox-worker-process.ts', url, fakeUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
		let childErr = '';
		child.stderr!.on('data', (d: Buffer) => (childErr += d.toString()));
		const exited = new Promise<NodeJS.Signals | null>((r) => child!.once('exit', (_code, signal) => r(signal)));
		await Promise.race([killed, exited.then(() => { throw new Error(`worker exited before the kill point: ${childErr}`); })]);
		expect(await exited).toBe('SIGKILL');
		const seenByFirst = received.length;
		expect(seenByFirst).toBeGreaterThanOrEqual(KILL_AT);
		// The dead worker left claimed rows behind: some still 'sending' under its lease.
		const [left] = await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where status = 'sending'`);
		expect(left!.n).toBeGreaterThan(0);

		// A second worker, after the dead one's lease (3 s) has run out.
		const sms = twilioSmsTransport({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'test-token', from: '+447700900000', apiBase: fakeUrl });
		const later = new Date(Date.now() + 4_000);
		let inDoubt = 0;
		for (let run = 0; run < 20; run++) {
			const report = await deliverDueMessages(handle, { sms }, { now: later, limit: 10, concurrency: 2 });
			inDoubt += report.inDoubt;
			if (report.claimed === 0 && report.inDoubt === 0) break;
		}

		const rows = await handle.query<{ recipient: string; status: string; provider_status: string | null }>(
			`select recipient, status, provider_status from outbound_messages where campaign_id = $1`,
			[made.id]
		);
		const unknown = rows.filter((r) => r.provider_status === 'unknown').map((r) => r.recipient);
		const sent = rows.filter((r) => r.status === 'sent').map((r) => r.recipient);
		// The message the fake was holding when the worker died is in doubt, and so reported.
		expect(unknown).toContain(received[KILL_AT - 1]);
		expect(unknown.length).toBe(inDoubt);
		expect(unknown.length).toBeLessThanOrEqual(2); // the worker had at most 2 sends in flight
		expect(sent.length + unknown.length).toBe(FAMILIES);

		const timesSeen = new Map<string, number>();
		for (const to of received) timesSeen.set(to, (timesSeen.get(to) ?? 0) + 1);
		// Nobody twice; everyone once, except in-doubt messages, which were seen once or (if the
		// worker died between marking and sending) not at all.
		for (const phone of phones) {
			const n = timesSeen.get(phone) ?? 0;
			expect(n, phone).toBeLessThanOrEqual(1);
			if (!unknown.includes(phone)) expect(n, phone).toBe(1);
		}
		expect([...timesSeen.keys()].every((p) => phones.includes(p))).toBe(true);

		const results = await campaignResults(handle, school.id, made.id);
		expect(results!.results).toEqual(
			expect.arrayContaining([
				{ channel: 'sms', outcome: 'sent', n: sent.length },
				{ channel: 'sms', outcome: 'unknown', n: unknown.length }
			])
		);
		expect(results!.results).toHaveLength(2);
	});
});
