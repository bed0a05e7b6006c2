/**
 * Retention for what is only needed briefly: sign-in codes in the outbox (in clear, so the
 * message can be sent), expired sessions and code records, and old rate-limit counters. Run by
 * the scheduler once an hour on every instance; each statement is idempotent, so several
 * instances running it at once only repeat a no-op.
 */
import type { DatabaseHandle } from './db/engine';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The periods (also in the README). */
export const RETENTION = {
	/** A sign-in code's text in the outbox, after it was queued (the code itself expires after 10 minutes). */
	signInCodeMessageMs: HOUR,
	/** Sessions, after they expired. */
	expiredSessionMs: DAY,
	/** Sign-in code records (hashes), after they expired. */
	expiredSignInCodeMs: DAY,
	/** Rate-limit counters, after their window started (the longest window is 24 hours). */
	rateLimitBucketMs: 2 * DAY
} as const;

export const REDACTED_SIGN_IN_BODY = '[sign-in code removed after use or expiry]';

export interface RetentionRun {
	signInMessagesRedacted: number;
	sessionsDeleted: number;
	signInCodesDeleted: number;
	rateLimitBucketsDeleted: number;
}

export async function runRetention(handle: DatabaseHandle, now: Date = new Date()): Promise<RetentionRun> {
	const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
	const count = async (text: string, params: unknown[]) => (await handle.query<{ n: number }>(`with gone as (${text} returning 1) select count(*)::int as n from gone`, params))[0]!.n;
	// A code that was never sent is past its use too: it is not sent an hour late.
	const signInMessagesRedacted = await count(
		`update outbound_messages set body = $2,
			status = case when status in ('pending', 'failed') then 'dead'::outbound_status else status end,
			last_error = case when status in ('pending', 'failed') then 'Expired before it could be sent' else last_error end
		 where purpose = 'sign_in_code' and created_at < $1 and body <> $2 and status <> 'sending'`,
		[at(RETENTION.signInCodeMessageMs), REDACTED_SIGN_IN_BODY]
	);
	const sessionsDeleted = await count(`delete from auth_sessions where expires_at < $1`, [at(RETENTION.expiredSessionMs)]);
	const signInCodesDeleted = await count(`delete from sign_in_codes where expires_at < $1`, [at(RETENTION.expiredSignInCodeMs)]);
	const rateLimitBucketsDeleted = await count(`delete from rate_limit_buckets where window_started_at < $1`, [at(RETENTION.rateLimitBucketMs)]);
	return { signInMessagesRedacted, sessionsDeleted, signInCodesDeleted, rateLimitBucketsDeleted };
}
