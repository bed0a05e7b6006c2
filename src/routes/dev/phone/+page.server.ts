/**
 * Development only: chat as any demo parent over "SMS" or "Telegram". Messages go through the
 * same conversation service as the Twilio and Telegram webhooks; replies are read back from the
 * outbox (where the development transport leaves them).
 */
import { randomUUID } from 'node:crypto';
import { error, fail } from '@sveltejs/kit';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import type { Db } from '$lib/server/platform/db/engine';
import { guardians, outboundMessages, telegramAccounts } from '$lib/server/platform/db/schema';
import { devToolsEnabled } from '$lib/server/demo/dev-tools';
import { normalisePhone } from '$lib/server/features/accounts';
import { handleInboundMessage } from '$bot';

type Channel = 'sms' | 'telegram';

/** A stand-in Telegram account for a demo parent (dev only), so the Telegram path can be tried without Telegram. */
async function devTelegramChat(db: Db, phone: string): Promise<{ userId: number; chatId: string } | null> {
	const [g] = await db.select({ id: guardians.id }).from(guardians).where(eq(guardians.phone, phone));
	if (!g) return null;
	const userId = 8_000_000_000 + Number(phone.replace(/\D/g, '').slice(-9));
	await db.insert(telegramAccounts).values({ telegramUserId: userId, guardianId: g.id, chatId: userId, linkedVia: 'shared_contact' }).onConflictDoNothing();
	return { userId, chatId: String(userId) };
}

async function addressFor(db: Db, channel: Channel, phone: string) {
	if (channel === 'sms') return { address: phone, telegramUserId: undefined };
	const chat = await devTelegramChat(db, phone);
	return chat ? { address: chat.chatId, telegramUserId: chat.userId } : null;
}

export const load: PageServerLoad = async ({ url, locals }) => {
	if (!devToolsEnabled()) error(404, 'Page not found');
	const phone = normalisePhone(url.searchParams.get('who') ?? '') ?? null;
	const channel: Channel = url.searchParams.get('channel') === 'telegram' ? 'telegram' : 'sms';
	const { db } = locals.database;
	let replies: { id: string; body: string; choices: string[]; at: string }[] = [];
	if (phone) {
		const addr = await addressFor(db, channel, phone);
		if (addr) {
			const rows = await db
				.select({ id: outboundMessages.id, body: outboundMessages.body, choices: outboundMessages.choices, at: outboundMessages.createdAt })
				.from(outboundMessages)
				.where(and(eq(outboundMessages.channel, channel), eq(outboundMessages.recipient, addr.address), inArray(outboundMessages.purpose, ['bot_reply', 'first_day_contact', 'absence_check_in'])))
				.orderBy(asc(outboundMessages.createdAt))
				.limit(50);
			replies = rows.map((r) => ({ id: r.id, body: r.body, choices: r.choices ?? [], at: r.at.toLocaleTimeString('en-GB', { timeZone: 'Europe/London' }) }));
		}
	}
	return { who: url.searchParams.get('who') ?? '', phone, channel, replies };
};

export const actions: Actions = {
	default: async ({ request, url, locals }) => {
		if (!devToolsEnabled()) error(404, 'Page not found');
		const form = await request.formData();
		const phone = normalisePhone(String(form.get('who') ?? url.searchParams.get('who') ?? ''));
		const channel: Channel = String(form.get('channel') ?? '') === 'telegram' ? 'telegram' : 'sms';
		const text = String(form.get('text') ?? '').trim().slice(0, 1000);
		if (!phone) return fail(400, { message: 'Enter the demo parent’s mobile number' });
		if (!text) return fail(400, { message: 'Type a message' });
		const { db } = locals.database;
		const addr = await addressFor(db, channel, phone);
		if (!addr) return fail(400, { message: 'No demo parent has that number' });
		await handleInboundMessage(locals.database, {
			channel,
			providerMessageId: `dev-${randomUUID()}`,
			address: addr.address,
			telegramUserId: addr.telegramUserId,
			text
		});
		return { sent: text };
	}
};
