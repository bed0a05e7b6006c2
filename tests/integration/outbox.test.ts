import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	backoffMs,
	claimDueMessages,
	deadLetters,
	deliverDueMessages,
	devTransports,
	retryDeadLetter,
	IN_DOUBT_ERROR,
	enqueueMessage,
	startOutboxWorker,
	type Transport
} from '../../src/lib/server/platform/outbox';
import type { OutboundMessage } from '../../src/lib/server/platform/db/schema';
import { createTestSchool } from '../fixtures/register/school';

const T0 = new Date('2026-11-02T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe(`durable outbox (${testEngine})`, () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await openTestDatabase();
	});
	afterAll(async () => {
		await handle?.close();
	});
	beforeEach(async () => {
		await handle.query('delete from outbound_messages');
	});

	const msg = (key: string, notBefore = T0) => ({
		channel: 'sms' as const,
		recipient: '+447700900999',
		purpose: 'test',
		body: `hello ${key}`,
		idempotencyKey: key,
		notBefore
	});

	it('enqueues idempotently on the idempotency key', async () => {
		const first = await enqueueMessage(handle.db, msg('same'));
		const second = await enqueueMessage(handle.db, { ...msg('same'), body: 'different' });
		expect(first).toMatch(/^[0-9a-f-]{36}$/);
		expect(second).toBeNull();
		const rows = await handle.query<{ body: string }>('select body from outbound_messages');
		expect(rows).toEqual([{ body: 'hello same' }]);
	});

	it('enqueues inside a transaction that rolls back: nothing is left behind', async () => {
		await expect(
			handle.db.transaction(async (tx) => {
				await enqueueMessage(tx as never, msg('rolled-back'));
				throw new Error('boom');
			})
		).rejects.toThrow('boom');
		expect(await handle.query('select id from outbound_messages')).toEqual([]);
	});

	it('two concurrent claimers never get the same row', async () => {
		for (let i = 0; i < 30; i++) await enqueueMessage(handle.db, msg(`c${i}`));
		const [a, b, c] = await Promise.all([
			claimDueMessages(handle, 12, 60_000, at(1000)),
			claimDueMessages(handle, 12, 60_000, at(1000)),
			claimDueMessages(handle, 12, 60_000, at(1000))
		]);
		const ids = [...a!, ...b!, ...c!].map((m) => m.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toHaveLength(30);
		for (const m of [...a!, ...b!, ...c!]) {
			expect(m.status).toBe('sending');
			expect(m.attempts).toBe(1);
		}
		// Nothing left to claim while the leases hold.
		expect(await claimDueMessages(handle, 50, 60_000, at(2000))).toEqual([]);
	});

	it('does not claim messages that are not due yet', async () => {
		await enqueueMessage(handle.db, msg('later', at(60_000)));
		expect(await claimDueMessages(handle, 10, 60_000, at(0))).toEqual([]);
		expect(await claimDueMessages(handle, 10, 60_000, at(60_000))).toHaveLength(1);
	});

	it('reclaims a row whose worker died (lease expired), so nothing is lost', async () => {
		await enqueueMessage(handle.db, msg('crash'));
		const [claimed] = await claimDueMessages(handle, 10, 30_000, at(0));
		expect(claimed).toBeDefined();
		// The worker "crashes": no outcome is written. Before the lease ends nobody else takes it.
		expect(await claimDueMessages(handle, 10, 30_000, at(29_000))).toEqual([]);
		const [again] = await claimDueMessages(handle, 10, 30_000, at(30_000));
		expect(again!.id).toBe(claimed!.id);
		expect(again!.attempts).toBe(2);
		// The crashed worker's late outcome cannot overwrite the new owner's lease.
		const report = await deliverDueMessages(handle, devTransports, { now: at(31_000) });
		expect(report.claimed).toBe(0);
	});

	it('retries a failing send with exponential backoff, then marks it dead', async () => {
		await enqueueMessage(handle.db, msg('flaky'));
		const failing: Transport = {
			async send() {
				throw new Error('provider unavailable');
			}
		};
		const opts = { maxAttempts: 3, baseBackoffMs: 10_000 };
		let now = at(0);
		const states: { status: string; attempts: number; next: number }[] = [];
		for (let i = 0; i < 3; i++) {
			const report = await deliverDueMessages(handle, { sms: failing }, { ...opts, now });
			expect(report.claimed).toBe(1);
			const [row] = await handle.db.query.outboundMessages.findMany();
			states.push({ status: row!.status, attempts: row!.attempts, next: row!.nextAttemptAt.getTime() - now.getTime() });
			expect(row!.lastError).toBe('provider unavailable');
			// Not due again until the backoff has passed.
			expect((await deliverDueMessages(handle, { sms: failing }, { ...opts, now: new Date(row!.nextAttemptAt.getTime() - 1) })).claimed).toBe(0);
			now = row!.nextAttemptAt;
		}
		expect(states).toEqual([
			{ status: 'failed', attempts: 1, next: 10_000 },
			{ status: 'failed', attempts: 2, next: 20_000 },
			{ status: 'dead', attempts: 3, next: 40_000 }
		]);
		// Dead messages are never picked up again.
		expect((await deliverDueMessages(handle, devTransports, { now: at(10 * 3_600_000) })).claimed).toBe(0);
		expect(backoffMs(10, 30_000, 3_600_000)).toBe(3_600_000);
	});

	it('delivers a message exactly once, even with several workers running at once', async () => {
		for (let i = 0; i < 20; i++) await enqueueMessage(handle.db, msg(`once${i}`));
		const sends = new Map<string, number>();
		const counting: Transport = {
			async send(m: OutboundMessage) {
				sends.set(m.id, (sends.get(m.id) ?? 0) + 1);
				await new Promise((r) => setTimeout(r, 5));
				return { providerMessageId: `p-${m.id}` };
			}
		};
		await Promise.all(
			Array.from({ length: 4 }, () => deliverDueMessages(handle, { sms: counting }, { limit: 7, now: at(0) }))
		);
		await deliverDueMessages(handle, { sms: counting }, { limit: 50, now: at(1000) });
		expect(sends.size).toBe(20);
		expect([...sends.values()].every((n) => n === 1)).toBe(true);
		const rows = await handle.query<{ status: string; provider_message_id: string; id: string }>(
			'select id, status, provider_message_id from outbound_messages'
		);
		for (const r of rows) {
			expect(r.status).toBe('sent');
			expect(r.provider_message_id).toBe(`p-${r.id}`);
		}
		// Later runs send nothing more.
		expect((await deliverDueMessages(handle, { sms: counting }, { now: at(3_600_000) })).claimed).toBe(0);
	});

	it('the dev transport marks messages sent as dev-<id>, and the worker runs until stopped', async () => {
		const id = await enqueueMessage(handle.db, { ...msg('worker'), notBefore: undefined });
		const stop = startOutboxWorker(handle, { intervalMs: 20, transports: devTransports });
		try {
			for (let i = 0; i < 100; i++) {
				const [row] = await handle.query<{ status: string }>('select status from outbound_messages where id = $1', [id]);
				if (row?.status === 'sent') break;
				await new Promise((r) => setTimeout(r, 20));
			}
		} finally {
			await stop();
		}
		const [row] = await handle.query<{ status: string; provider_message_id: string }>(
			'select status, provider_message_id from outbound_messages where id = $1',
			[id]
		);
		expect(row).toEqual({ status: 'sent', provider_message_id: `dev-${id}` });
	});
});

describe(`outbox rate limits and dead letters (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	beforeAll(async () => {
		handle = await openTestDatabase();
		schoolId = (await createTestSchool(handle, { slug: 'rl', urn: '499001', misIds: ['A'] })).id;
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('sends at most the channel’s limit in one run and leaves the rest, untouched, for the next', async () => {
		for (let i = 0; i < 5; i++) await enqueueMessage(handle.db, { channel: 'sms', recipient: `+4477009120${i}`, schoolId, purpose: 'campaign', body: `m${i}`, idempotencyKey: `rl-sms-${i}` });
		for (let i = 0; i < 2; i++) await enqueueMessage(handle.db, { channel: 'telegram', recipient: `${i}`, schoolId, purpose: 'campaign', body: `t${i}`, idempotencyKey: `rl-tg-${i}` });
		const sent: string[] = [];
		const t: Transport = { async send(m) { sent.push(m.body); return { providerMessageId: m.id }; } };
		const now = new Date(Date.now() + 1000);
		const first = await deliverDueMessages(handle, { sms: t, telegram: t }, { now, perChannelPerRun: { sms: 2 } });
		expect(first).toMatchObject({ sent: 4, deferred: 3 });
		expect(sent.filter((b) => b.startsWith('m'))).toHaveLength(2);
		const waiting = await handle.query<{ status: string; attempts: number }>(`select status, attempts from outbound_messages where status <> 'sent'`);
		expect(waiting).toEqual([{ status: 'pending', attempts: 0 }, { status: 'pending', attempts: 0 }, { status: 'pending', attempts: 0 }]);
		await deliverDueMessages(handle, { sms: t, telegram: t }, { now, perChannelPerRun: { sms: 2 } });
		await deliverDueMessages(handle, { sms: t, telegram: t }, { now, perChannelPerRun: { sms: 2 } });
		expect(sent.filter((b) => b.startsWith('m')).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
	});

	it('dead letters are listed for their own school only, and can be retried', async () => {
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700912999', schoolId, purpose: 'first_day_contact', body: 'x', idempotencyKey: 'dead-1' });
		const failing: Transport = { async send() { throw new Error('Provider down'); } };
		await deliverDueMessages(handle, { sms: failing }, { now: new Date(Date.now() + 1000), maxAttempts: 1 });
		const dead = await deadLetters(handle.db, schoolId);
		expect(dead.map((d) => [d.idempotencyKey, d.lastError])).toEqual([['dead-1', 'Provider down']]);
		const other = await createTestSchool(handle, { slug: 'rl2', urn: '499002', misIds: ['B'] });
		expect(await deadLetters(handle.db, other.id)).toEqual([]);
		expect(await retryDeadLetter(handle.db, other.id, dead[0]!.id)).toBe(false);
		expect(await retryDeadLetter(handle.db, schoolId, dead[0]!.id)).toBe(true);
		expect(await deadLetters(handle.db, schoolId)).toEqual([]);
	});
});

describe(`outbox: campaign messages at most once, bounded concurrency (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	beforeAll(async () => {
		handle = await openTestDatabase();
		schoolId = (await createTestSchool(handle, { slug: 'amo', urn: '499003', misIds: ['A'] })).id;
	});
	afterAll(async () => {
		await handle?.close();
	});
	beforeEach(async () => {
		await handle.query('delete from outbound_messages');
	});

	it('a worker that hangs mid-send: its campaign message is reported unknown, never resent; a transactional one is resent', async () => {
		const t0 = new Date(Date.now() + 10_000);
		const at = (ms: number) => new Date(t0.getTime() + ms);
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700913001', schoolId, purpose: 'campaign', body: 'camp', idempotencyKey: 'doubt-campaign', notBefore: at(-3000) });
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700913002', schoolId, purpose: 'sign_in_code', body: 'code', idempotencyKey: 'doubt-code', notBefore: at(-2000) });
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700913003', schoolId, purpose: 'campaign', body: 'not started', idempotencyKey: 'doubt-waiting', notBefore: at(-1000) });
		// The first worker claims all three and hands the first two to a provider that never
		// answers (as if the worker died there); it never reaches the third.
		const handedOver: string[] = [];
		const stuck: Transport = { send: (m) => { handedOver.push(m.body); return new Promise(() => {}); } };
		void deliverDueMessages(handle, { sms: stuck }, { now: t0, limit: 3, concurrency: 2 });
		await expect.poll(() => handedOver.length).toBe(2);
		expect(handedOver.sort()).toEqual(['camp', 'code']);
		const started = await handle.query<{ idempotency_key: string }>(`select idempotency_key from outbound_messages where send_started_at is not null and idempotency_key like 'doubt-%'`);
		// Only campaign messages carry the marker (transactional ones stay at-least-once).
		expect(started.map((r) => r.idempotency_key)).toEqual(['doubt-campaign']);

		const sent: string[] = [];
		const ok: Transport = { async send(m) { sent.push(m.body); return { providerMessageId: m.id }; } };
		const second = await deliverDueMessages(handle, { sms: ok }, { now: at(61_000) });
		expect(second).toMatchObject({ inDoubt: 1, sent: 2 });
		expect(sent.sort()).toEqual(['code', 'not started']);
		const rows = await handle.query<{ idempotency_key: string; status: string; provider_status: string | null; last_error: string | null }>(
			`select idempotency_key, status, provider_status, last_error from outbound_messages where idempotency_key like 'doubt-%' order by idempotency_key`
		);
		expect(rows).toEqual([
			{ idempotency_key: 'doubt-campaign', status: 'dead', provider_status: 'unknown', last_error: IN_DOUBT_ERROR },
			{ idempotency_key: 'doubt-code', status: 'sent', provider_status: null, last_error: null },
			{ idempotency_key: 'doubt-waiting', status: 'sent', provider_status: null, last_error: null }
		]);
		// Later runs never pick the in-doubt message up again.
		await deliverDueMessages(handle, { sms: ok }, { now: at(3_600_000) });
		expect(sent).toHaveLength(2);
	});

	it('a campaign message whose provider answered with an error is retried (it was not accepted)', async () => {
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700913010', schoolId, purpose: 'campaign', body: 'retry me', idempotencyKey: 'campaign-error' });
		let calls = 0;
		const flaky: Transport = { async send(m) { calls++; if (calls === 1) throw new Error('503 from provider'); return { providerMessageId: m.id }; } };
		const t0 = new Date(Date.now() + 1000);
		expect(await deliverDueMessages(handle, { sms: flaky }, { now: t0, baseBackoffMs: 1000 })).toMatchObject({ retrying: 1 });
		expect(await deliverDueMessages(handle, { sms: flaky }, { now: new Date(t0.getTime() + 2000) })).toMatchObject({ sent: 1, inDoubt: 0 });
		expect(calls).toBe(2);
	});

	it('sends with bounded concurrency: never more provider calls in flight than asked', async () => {
		for (let i = 0; i < 12; i++) await enqueueMessage(handle.db, { channel: 'push', recipient: `sub-${i}`, schoolId, purpose: 'campaign', body: `p${i}`, idempotencyKey: `conc-${i}` });
		let inFlight = 0;
		let most = 0;
		const sent: string[] = [];
		const slow: Transport = {
			async send(m) {
				inFlight++;
				most = Math.max(most, inFlight);
				await new Promise((r) => setTimeout(r, 20));
				inFlight--;
				sent.push(m.body);
				return { providerMessageId: m.id };
			}
		};
		const report = await deliverDueMessages(handle, { push: slow }, { now: new Date(Date.now() + 1000), limit: 12, concurrency: 4 });
		expect(report).toMatchObject({ claimed: 12, sent: 12 });
		expect(most).toBe(4);
		expect(new Set(sent).size).toBe(12);
	});
});
