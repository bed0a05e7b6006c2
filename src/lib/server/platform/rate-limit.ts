/**
 * Fixed-window rate limits shared by every app instance, kept in `rate_limit_buckets`.
 *
 * One atomic upsert per attempt: the row for `key` either starts a new window (hits = 1) or
 * counts one more hit in the current one. Because the decision is made inside that single
 * statement, concurrent requests on different instances cannot both slip under the limit.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './db/engine';

export interface RateLimitResult {
	allowed: boolean;
	/** Seconds until the current window ends (0 when allowed). */
	retryAfterSeconds: number;
}

/** The window's edges as the upsert takes them: now, and the start a current window must be after. */
export function rateLimitWindow(now: Date, windowMs: number): { now: string; cutoff: string } {
	return { now: now.toISOString(), cutoff: new Date(now.getTime() - windowMs).toISOString() };
}

/**
 * The upsert that counts one attempt against `key`, returning the row's `hits` and
 * `window_started_at`: on its own in `consumeRateLimit`, or as the first step of a statement
 * that also writes what the attempt was for (the morning's absence reports), so that counting
 * and storing are one round trip and one commit. The values may be placeholders
 * (`sql.placeholder`) for a statement that is built once.
 */
export function rateLimitUpsert(v: { key: unknown; now: unknown; cutoff: unknown }): SQL {
	return sql`
		insert into rate_limit_buckets as b (key, window_started_at, hits)
		values (${v.key}, ${v.now}::timestamptz, 1)
		on conflict (key) do update set
			hits = case when b.window_started_at <= ${v.cutoff}::timestamptz then 1 else b.hits + 1 end,
			window_started_at = case when b.window_started_at <= ${v.cutoff}::timestamptz
				then ${v.now}::timestamptz else b.window_started_at end
		returning hits, window_started_at`;
}

/** What the counted row says: within the limit, or how long until its window ends. */
export function rateLimitOutcome(row: { hits: number | string; window_started_at: string | Date }, limit: number, windowMs: number, now: Date): RateLimitResult {
	const hits = Number(row.hits);
	if (hits <= limit) return { allowed: true, retryAfterSeconds: 0 };
	const started = new Date(row.window_started_at).getTime();
	const retryAfterSeconds = Math.max(1, Math.ceil((started + windowMs - now.getTime()) / 1000));
	return { allowed: false, retryAfterSeconds };
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
	const result = (await db.execute(rateLimitUpsert({ key, ...rateLimitWindow(now, windowMs) }))) as unknown as { rows: { hits: number; window_started_at: string | Date }[] };
	return rateLimitOutcome(result.rows[0]!, limit, windowMs, now);
}

/** Forgets a key's counter (e.g. in tests, or after an administrator unlocks an account). */
export async function resetRateLimit(db: Db, key: string): Promise<void> {
	await db.execute(sql`delete from rate_limit_buckets where key = ${key}`);
}
