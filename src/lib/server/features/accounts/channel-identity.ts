/**
 * Who is writing to us over SMS or Telegram. SMS is identified only by the sending number the
 * school holds for a guardian; Telegram only by an account linked through the one-time start
 * link or the sender's own shared contact (telegram-linking.ts). Anyone else gets a polite reply
 * that reveals nothing and is never told whether a number is known.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { guardians, telegramAccounts, type Guardian } from '../../platform/db/schema';
import { normalisePhone } from './identifiers';

export const UNKNOWN_SMS_SENDER_REPLY =
	"Sorry, we don't recognise this number. Please contact your child's school to check the mobile number they hold for you.";

export const UNLINKED_TELEGRAM_REPLY =
	'To use Every Day here, sign in on the website and choose "Link Telegram" on your account page, or share your contact with this bot.';

export async function guardianForSmsSender(db: Db, from: string): Promise<Guardian | null> {
	const phone = normalisePhone(from);
	if (!phone) return null;
	const [guardian] = await db.select().from(guardians).where(eq(guardians.phone, phone)).limit(1);
	return guardian ?? null;
}

export async function guardianForTelegramUser(db: Db, telegramUserId: number): Promise<Guardian | null> {
	const [row] = await db
		.select({ guardian: guardians })
		.from(telegramAccounts)
		.innerJoin(guardians, eq(guardians.id, telegramAccounts.guardianId))
		.where(eq(telegramAccounts.telegramUserId, telegramUserId))
		.limit(1);
	return row?.guardian ?? null;
}
