import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { enqueueMessage, startOutboxWorker, type Transport } from '../../src/lib/server/platform/outbox';
import { OUTBOX_DEFAULTS } from '../../src/lib/server/platform/config';

describe(`the outbox worker's per-second rate (${testEngine})`, () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await openTestDatabase();
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('caps a channel per second of wall time, even when full batches run back to back', async () => {
		// 40 texts due, a batch of 5 and a cap of 5 a second: before, each full batch ran again at
		// once and the cap (equal to the batch) never deferred anything.
		for (let i = 0; i < 40; i++) await enqueueMessage(handle.db, { channel: 'sms', recipient: `+4477009130${String(i).padStart(2, '0')}`, purpose: 'campaign', body: `r${i}`, idempotencyKey: `rate-${i}` });
		const sentAt: number[] = [];
		const t: Transport = { async send(m) { sentAt.push(Date.now()); return { providerMessageId: m.id }; } };
		const started = Date.now();
		const stop = startOutboxWorker(handle, { intervalMs: 5, transports: { sms: t }, delivery: { limit: 5, concurrency: 5 }, perSecond: { sms: 5 } });
		try {
			// At least 2.3 s, and until the first second's five went (a loaded machine can be slow).
			while (Date.now() - started < 2_300 || (sentAt.length < 5 && Date.now() - started < 20_000)) await new Promise((r) => setTimeout(r, 50));
		} finally {
			await stop();
		}
		// The worker's first second starts at its first run (not before `started`), each next one a
		// second or more later: never more than 5 in the first second, or per second after it.
		const elapsed = Date.now() - started;
		expect(sentAt.filter((t) => t - started < 1000).length).toBeLessThanOrEqual(5);
		expect(sentAt.length).toBeLessThanOrEqual(5 * Math.ceil(elapsed / 1000));
		expect(sentAt.length).toBeGreaterThanOrEqual(5);
		const [left] = await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where status = 'pending'`);
		expect(left!.n).toBe(40 - sentAt.length);
	});

	it('the README gives the rates the worker really uses', () => {
		const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
		const row = readme.split('\n').find((l) => l.startsWith('| `OUTBOX_SMS_PER_SECOND`'));
		const { sms, telegram, push, email } = OUTBOX_DEFAULTS.perSecond;
		expect(row?.split('|')[2]?.trim()).toBe(`${sms}, ${telegram}, ${push}, ${email}`);
	});
});
