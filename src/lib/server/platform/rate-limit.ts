/**
 * Fixed-window rate limits shared by every app instance, kept in `rate_limit_buckets`.
 *
 * One atomic upsert per attempt: the row for `key` either starts a new window (hits = 1) or
 * counts one more hit in the current one. Because the decision is made inside that single
 * statement, concurrent requests on different instances cannot both slip under the limit.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './db/engine';

export interface RateLimitResult {
	allowed: boolean;
	/** Seconds until the current window ends (0 when allowed). */
	retryAfterSeconds: number;
}

/**
 * Counts one attempt against `key` (e.g. `staff-password:email:x@y`, `sign-in:ip:1.2.3.4`) and
 * says whether it is within `limit` attempts per `windowMs`.
 */
export async function consumeRateLimit(
	db: Db,
	key: string,
	limit: number,
	windowMs: number,
	now: Date = new Date()
): Promise<RateLimitResult> {
	const nowIso = now.toISOString();
	const windowStartCutoff = new Date(now.getTime() - windowMs).toISOString();
	const result = (await db.execute(sql`
		insert into rate_limit_buckets as b (key, window_started_at, hits)
		values (${key}, ${nowIso}::timestamptz, 1)
		on conflict (key) do update set
			hits = case when b.window_started_at <= ${windowStartCutoff}::timestamptz then 1 else b.hits + 1 end,
			window_started_at = case when b.window_started_at <= ${windowStartCutoff}::timestamptz
				then ${nowIso}::timestamptz else b.window_started_at end
		returning hits, window_started_at
	`)) as unknown as { rows: { hits: number; window_started_at: string | Date }[] };
	const row = result.rows[0]!;
	const hits = Number(row.hits);
	if (hits <= limit) return { allowed: true, retryAfterSeconds: 0 };
	const started = new Date(row.window_started_at).getTime();
	const retryAfterSeconds = Math.max(1, Math.ceil((started + windowMs - now.getTime()) / 1000));
	return { allowed: false, retryAfterSeconds };
}

/** Forgets a key's counter (e.g. in tests, or after an administrator unlocks an account). */
export async function resetRateLimit(db: Db, key: string): Promise<void> {
	await db.execute(sql`delete from rate_limit_buckets where key = ${key}`);
}
