/**
 * Linking a parent's Telegram account to their guardian record, two ways:
 * - a signed-in parent opens `t.me/<bot>?start=<token>`: a one-time token (only its SHA-256 is
 *   stored) valid for 30 minutes;
 * - the bot asks the user to share their own contact: Telegram then tells us their verified
 *   phone number. A forwarded contact (someone else's card) must not link, so the contact's
 *   user id has to be the sender's.
 * The bot itself calls these; both outcomes are audited.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { takeLimit } from '../../platform/limits';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { guardians, telegramAccounts, telegramLinkTokens } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { config, type Config } from '../../platform/config';
import { normalisePhone } from './identifiers';

export const TELEGRAM_LINK_TTL_MS = 30 * 60 * 1000;
/** Telegram start parameters allow A–Z a–z 0–9 _ - up to 64 characters. */
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createTelegramLinkToken(
	db: Db,
	guardianId: string,
	now: Date = new Date()
): Promise<{ token: string; expiresAt: Date }> {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	const token = encodeBase32LowerCaseNoPadding(bytes);
	const expiresAt = new Date(now.getTime() + TELEGRAM_LINK_TTL_MS);
	await db.insert(telegramLinkTokens).values({ tokenHash: hashToken(token), guardianId, expiresAt, createdAt: now });
	return { token, expiresAt };
}

/** The Telegram bot parents link to (TELEGRAM_BOT_USERNAME, default EveryDayDemoBot). */
export function telegramBotUsername(c: Pick<Config, 'telegramBotUsername'> = config()): string {
	return c.telegramBotUsername;
}

export function telegramStartLink(botUsername: string, token: string): string {
	return `https://t.me/${encodeURIComponent(botUsername.replace(/^@/, ''))}?start=${encodeURIComponent(token)}`;
}

export type LinkResult = { ok: true; guardianId: string } | { ok: false; reason: string };

async function linkAccount(
	db: Db,
	guardianId: string,
	telegramUserId: number,
	chatId: number,
	via: 'start_token' | 'shared_contact',
	now: Date
): Promise<void> {
	await db
		.insert(telegramAccounts)
		.values({ telegramUserId, guardianId, chatId, linkedVia: via, linkedAt: now })
		.onConflictDoUpdate({
			target: telegramAccounts.telegramUserId,
			set: { guardianId, chatId, linkedVia: via, linkedAt: now }
		});
	await writeAudit(db, {
		actorType: 'guardian',
		actorId: guardianId,
		action: 'guardian.telegram_linked',
		subjectType: 'telegram_account',
		subjectId: String(telegramUserId),
		details: { via },
		at: now
	});
}

/** A refused link, audited with the Telegram account and the reason (never the code or number tried). */
function refuseLink(db: Db, telegramUserId: number, via: 'start_token' | 'shared_contact', now: Date) {
	return async (reason: string) => {
		await writeAudit(db, {
			actorType: 'system',
			action: 'guardian.telegram_link_refused',
			subjectType: 'telegram_account',
			subjectId: String(telegramUserId),
			details: { via, reason },
			at: now
		});
		return { ok: false, reason } as const;
	};
}

export async function redeemTelegramLinkToken(
	db: Db,
	token: string,
	who: { telegramUserId: number; chatId: number },
	now: Date = new Date()
): Promise<LinkResult> {
	const refuse = refuseLink(db, who.telegramUserId, 'start_token', now);
	// Guessing link codes from one Telegram account is cut short.
	if (!(await takeLimit(db, 'telegramLinkAttemptsPerUser', String(who.telegramUserId), now)).allowed) return refuse('rate_limited');
	if (!TOKEN_SHAPE.test(token)) return refuse('malformed');
	// Single use: only one redeemer can move consumed_at from null, and only before expiry.
	const [row] = await db
		.update(telegramLinkTokens)
		.set({ consumedAt: now })
		.where(
			and(
				eq(telegramLinkTokens.tokenHash, hashToken(token)),
				isNull(telegramLinkTokens.consumedAt),
				gt(telegramLinkTokens.expiresAt, now)
			)
		)
		.returning({ guardianId: telegramLinkTokens.guardianId });
	if (!row) return refuse('invalid_expired_or_used');
	await linkAccount(db, row.guardianId, who.telegramUserId, who.chatId, 'start_token', now);
	return { ok: true, guardianId: row.guardianId };
}

/** Telegram sends phone numbers with or without a leading '+'. */
function normaliseTelegramPhone(phone: string): string | null {
	const trimmed = phone.trim();
	if (/^\d{8,15}$/.test(trimmed)) return normalisePhone(`+${trimmed}`);
	return normalisePhone(trimmed);
}

export async function linkTelegramByContact(
	db: Db,
	input: { senderUserId: number; contactUserId: number | null | undefined; phoneNumber: string; chatId: number },
	now: Date = new Date()
): Promise<LinkResult> {
	const refuse = refuseLink(db, input.senderUserId, 'shared_contact', now);
	if (!(await takeLimit(db, 'telegramLinkAttemptsPerUser', String(input.senderUserId), now)).allowed) return refuse('rate_limited');
	if (input.contactUserId == null || input.contactUserId !== input.senderUserId) return refuse('not_own_contact');
	const phone = normaliseTelegramPhone(input.phoneNumber);
	if (!phone) return refuse('no_match');
	const [guardian] = await db.select({ id: guardians.id }).from(guardians).where(eq(guardians.phone, phone)).limit(1);
	if (!guardian) return refuse('no_match');
	await linkAccount(db, guardian.id, input.senderUserId, input.chatId, 'shared_contact', now);
	return { ok: true, guardianId: guardian.id };
}
