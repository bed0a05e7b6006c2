import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { outboundMessages } from '../../src/lib/server/platform/db/schema';
import { enqueueMessage } from '../../src/lib/server/platform/outbox';
import { healthReport } from '../../src/lib/server/features/operations';

describe(`health report (${testEngine})`, () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await openTestDatabase();
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('is ok with an empty outbox', async () => {
		const report = await healthReport(async () => handle);
		expect(report).toMatchObject({
			status: 'ok',
			database: handle.engine,
			outbox: { due: 0, sending: 0, scheduled: 0, dead: 0, oldestDueSeconds: 0 }
		});
	});

	it('counts the backlog by state, and the oldest due message’s wait, with no personal data', async () => {
		const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
		const base = { channel: 'sms' as const, purpose: 'test', body: 'Private message about Sam Example' };
		await enqueueMessage(handle.db, { ...base, recipient: '+447700900111', idempotencyKey: 'h-1', notBefore: tenMinutesAgo });
		await enqueueMessage(handle.db, { ...base, recipient: '+447700900112', idempotencyKey: 'h-2' });
		await enqueueMessage(handle.db, { ...base, recipient: '+447700900113', idempotencyKey: 'h-3', notBefore: new Date(Date.now() + 3_600_000) });
		await enqueueMessage(handle.db, { ...base, recipient: '+447700900114', idempotencyKey: 'h-4' });
		await enqueueMessage(handle.db, { ...base, recipient: 'parent@example.org', channel: 'email', idempotencyKey: 'h-5' });
		await handle.db.update(outboundMessages).set({ status: 'dead' }).where(sql`${outboundMessages.idempotencyKey} = 'h-4'`);
		await handle.db
			.update(outboundMessages)
			.set({ status: 'sending', leaseUntil: new Date(Date.now() + 60_000) })
			.where(sql`${outboundMessages.idempotencyKey} = 'h-5'`);

		const report = await healthReport(async () => handle);
		expect(report.status).toBe('ok');
		expect(report.outbox).toMatchObject({ due: 2, sending: 1, scheduled: 1, dead: 1 });
		expect(report.outbox!.oldestDueSeconds).toBeGreaterThanOrEqual(599);
		expect(report.outbox!.oldestDueSeconds).toBeLessThan(3600);
		const text = JSON.stringify(report);
		expect(text).not.toMatch(/\+44|7700|@|Sam|Private/);
	});

	it('is unavailable when the database cannot be opened, does not answer, or is closed', async () => {
		expect(await healthReport(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')))).toMatchObject({
			status: 'unavailable',
			database: 'unreachable'
		});
		const hanging = await healthReport(() => new Promise<DatabaseHandle>(() => {}), 200);
		expect(hanging.status).toBe('unavailable');
		expect(hanging.checkedInMs).toBeLessThan(2_000);
		expect(hanging).not.toHaveProperty('outbox');

		const closed = await openTestDatabase();
		await closed.close();
		expect((await healthReport(async () => closed)).status).toBe('unavailable');
	});
});
