import { DEFAULT_TIME_ZONE } from '$lib/domain/calendar';
/**
 * Development only: chat as any demo parent over "SMS" or "Telegram". Messages go through the
 * same conversation service as the Twilio and Telegram webhooks; replies are read back from the
 * outbox (where the development transport leaves them).
 */
import { randomUUID } from 'node:crypto';
import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { devPhoneAddress, devPhoneReplies, devToolsEnabled, type DevPhoneChannel as Channel } from '$lib/server/demo';
import { normalisePhone } from '$lib/server/features/accounts';
import { handleInboundMessage } from '$bot';

export const load: PageServerLoad = async ({ url, locals }) => {
	if (!devToolsEnabled()) error(404, 'Page not found');
	const phone = normalisePhone(url.searchParams.get('who') ?? '') ?? null;
	const channel: Channel = url.searchParams.get('channel') === 'telegram' ? 'telegram' : 'sms';
	const { db } = locals.database;
	let replies: { id: string; body: string; choices: string[]; at: string }[] = [];
	if (phone) {
		const addr = await devPhoneAddress(db, channel, phone);
		if (addr) {
			const rows = await devPhoneReplies(db, channel, addr.address);
			replies = rows.map((r) => ({ id: r.id, body: r.body, choices: r.choices ?? [], at: r.at.toLocaleTimeString('en-GB', { timeZone: DEFAULT_TIME_ZONE }) }));
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
		const addr = await devPhoneAddress(db, channel, phone);
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
