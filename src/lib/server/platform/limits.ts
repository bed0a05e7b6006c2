/**
 * Every rate limit on a sign-in or message-sending path, in one place, on the shared
 * counters of rate-limit.ts. Sign-in limits that existed before live beside their code
 * (guardian-sign-in.ts: code requests and code checks per number/address and per IP;
 * staff.ts: passwords per email and per IP, TOTP codes per account); the rest are here.
 *
 * The figures are generous for a real family or school and stop a script or a loop.
 */
import type { Db } from './db/engine';
import { consumeRateLimit, rateLimitOutcome, rateLimitWindow, type RateLimitResult } from './rate-limit';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const LIMITS = {
	/** Texts or Telegram messages from one phone number or chat (a loop, or a script). */
	inboundPerSender: { limit: 30, windowMs: 10 * MINUTE },
	/** The polite "please slow down" reply to a sender over the limit: once per window. */
	inboundNotice: { limit: 1, windowMs: 10 * MINUTE },
	/** Absence report submissions by one parent (web form, JSON API and bot alike). */
	reportsPerGuardian: { limit: 20, windowMs: HOUR },
	/** Leave requests sent by one parent. */
	leavePerGuardian: { limit: 10, windowMs: 24 * HOUR },
	/** New Telegram link codes made by one parent. */
	telegramLinkCodesPerGuardian: { limit: 10, windowMs: HOUR },
	/** Attempts to link a Telegram account (a link code, or a shared contact) by one Telegram user. */
	telegramLinkAttemptsPerUser: { limit: 10, windowMs: HOUR },
	/** First day contact messages started by one member of staff. */
	firstDayContactsPerStaff: { limit: 30, windowMs: 10 * MINUTE },
	/** Every Day Counts campaigns sent or scheduled by one school (each can text every family). */
	campaignsPerSchool: { limit: 20, windowMs: 24 * HOUR },
	/** Browsers one parent turns notifications on for (each subscribe call counts). */
	pushSubscriptionsPerGuardian: { limit: 20, windowMs: HOUR }
} as const;

export type LimitName = keyof typeof LIMITS;

/** Counts one attempt by `subject` (an id, a number, a chat) against the named limit. */
export function takeLimit(db: Db, name: LimitName, subject: string, now: Date = new Date()): Promise<RateLimitResult> {
	const { limit, windowMs } = LIMITS[name];
	return consumeRateLimit(db, `${name}:${subject}`, limit, windowMs, now);
}

/** The named limit's key, figure and window for a statement that counts and writes at once (see rate-limit.ts). */
export function limitParts(name: LimitName, subject: string, now: Date): { key: string; limit: number; now: string; cutoff: string; outcome: (row: { hits: number | string; window_started_at: string | Date }) => RateLimitResult } {
	const { limit, windowMs } = LIMITS[name];
	return { key: `${name}:${subject}`, limit, ...rateLimitWindow(now, windowMs), outcome: (row) => rateLimitOutcome(row, limit, windowMs, now) };
}

export { tryAgainIn } from '../../domain/retry';
