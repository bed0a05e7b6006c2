/**
 * Development tools (the /dev pages and the development message transport): on only with an
 * explicit DEV_TOOLS=1, never with an https ORIGIN (platform/config.ts decides).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/engine';
import { guardians, outboundMessages, staffUsers, telegramAccounts } from '../platform/db/schema';
import { recentMessages } from '../platform/outbox';
import { normaliseIdentifier } from '../features/accounts';

export { devToolsEnabled } from '../platform/config';

// What the development pages read and write. Only reachable while dev tools are on (each page
// answers 404 otherwise).

export type DevPhoneChannel = 'sms' | 'telegram';

/** The latest messages of every kind (sign-in codes included): what would have been sent. */
export async function devOutboxMessages(db: Db, limit = 50, purpose?: string) {
	return recentMessages(db, limit, purpose);
}

/** A stand-in Telegram account for a demo parent, so the Telegram path can be tried without Telegram. */
async function devTelegramChat(db: Db, phone: string): Promise<{ userId: number; chatId: string } | null> {
	const [g] = await db.select({ id: guardians.id }).from(guardians).where(eq(guardians.phone, phone));
	if (!g) return null;
	const userId = 8_000_000_000 + Number(phone.replace(/\D/g, '').slice(-9));
	await db.insert(telegramAccounts).values({ telegramUserId: userId, guardianId: g.id, chatId: userId, linkedVia: 'shared_contact' }).onConflictDoNothing();
	return { userId, chatId: String(userId) };
}

/** Where a demo parent's messages on this channel come from (their number, or their stand-in Telegram chat). */
export async function devPhoneAddress(db: Db, channel: DevPhoneChannel, phone: string): Promise<{ address: string; telegramUserId: number | undefined } | null> {
	if (channel === 'sms') return { address: phone, telegramUserId: undefined };
	const chat = await devTelegramChat(db, phone);
	return chat ? { address: chat.chatId, telegramUserId: chat.userId } : null;
}

/** What the bot and the school sent to that address, oldest first. */
export async function devPhoneReplies(db: Db, channel: DevPhoneChannel, address: string) {
	return db
		.select({ id: outboundMessages.id, body: outboundMessages.body, choices: outboundMessages.choices, at: outboundMessages.createdAt })
		.from(outboundMessages)
		.where(
			and(
				eq(outboundMessages.channel, channel),
				eq(outboundMessages.recipient, address),
				inArray(outboundMessages.purpose, ['bot_reply', 'first_day_contact', 'absence_check_in'])
			)
		)
		.orderBy(asc(outboundMessages.createdAt))
		.limit(50);
}

/** The demo account behind an email address (staff first) or a number or email (parents). */
export async function devSignInAccount(
	db: Db,
	who: string
): Promise<{ kind: 'staff'; id: string; schoolId: string | null; role: (typeof staffUsers.$inferSelect)['role'] } | { kind: 'guardian'; id: string } | null> {
	if (who.includes('@')) {
		const [staff] = await db
			.select({ id: staffUsers.id, schoolId: staffUsers.schoolId, role: staffUsers.role })
			.from(staffUsers)
			.where(sql`lower(${staffUsers.email}) = ${who.toLowerCase()}`);
		if (staff) return { kind: 'staff', ...staff };
	}
	const id = normaliseIdentifier(who);
	if (!id) return null;
	const [guardian] = await db
		.select({ id: guardians.id })
		.from(guardians)
		.where(id.kind === 'phone' ? eq(guardians.phone, id.value) : sql`lower(${guardians.email}) = ${id.value}`);
	return guardian ? { kind: 'guardian', id: guardian.id } : null;
}
