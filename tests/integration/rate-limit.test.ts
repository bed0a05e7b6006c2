import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { consumeRateLimit } from '../../src/lib/server/platform/rate-limit';

describe(`fixed-window rate limits (${testEngine})`, () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await openTestDatabase();
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('allows up to the limit in a window, then refuses with the time left', async () => {
		const t0 = new Date('2026-11-02T09:00:00Z');
		for (let i = 0; i < 3; i++) {
			expect(await consumeRateLimit(handle.db, 'k:a', 3, 15 * 60_000, new Date(t0.getTime() + i * 1000))).toEqual({
				allowed: true,
				retryAfterSeconds: 0
			});
		}
		const limited = await consumeRateLimit(handle.db, 'k:a', 3, 15 * 60_000, new Date(t0.getTime() + 60_000));
		expect(limited.allowed).toBe(false);
		expect(limited.retryAfterSeconds).toBe(14 * 60);
		// Other keys are independent.
		expect((await consumeRateLimit(handle.db, 'k:b', 3, 15 * 60_000, t0)).allowed).toBe(true);
	});

	it('starts a fresh window once the old one has passed', async () => {
		const t0 = new Date('2026-11-02T10:00:00Z');
		for (let i = 0; i < 2; i++) await consumeRateLimit(handle.db, 'k:c', 2, 60_000, t0);
		expect((await consumeRateLimit(handle.db, 'k:c', 2, 60_000, new Date(t0.getTime() + 59_000))).allowed).toBe(false);
		expect((await consumeRateLimit(handle.db, 'k:c', 2, 60_000, new Date(t0.getTime() + 60_000))).allowed).toBe(true);
		const [row] = await handle.query<{ hits: number }>(`select hits from rate_limit_buckets where key = 'k:c'`);
		expect(Number(row!.hits)).toBe(1);
	});

	it('holds under concurrent attempts (one atomic statement each)', async () => {
		const now = new Date('2026-11-02T11:00:00Z');
		const results = await Promise.all(
			Array.from({ length: 25 }, () => consumeRateLimit(handle.db, 'k:concurrent', 10, 60_000, now))
		);
		expect(results.filter((r) => r.allowed)).toHaveLength(10);
		expect(results.filter((r) => !r.allowed)).toHaveLength(15);
	});
});
