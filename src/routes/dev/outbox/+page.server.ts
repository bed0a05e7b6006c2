import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '$lib/domain/calendar';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { devOutboxMessages, devToolsEnabled } from '$lib/server/demo';

/** Development only: what would have been sent (sign-in codes included). 404 in production. */
export const load: PageServerLoad = async ({ setHeaders, locals, url }) => {
	if (!devToolsEnabled()) error(404, 'Page not found');
	setHeaders({ 'cache-control': 'no-store' });
	// ?purpose=graduated_letter: only one kind of message, so a letter is still found after a
	// campaign has filled the last 50. One monitoring point alone can send more than 50 letters
	// (two parents each), so a kind of message is shown further back.
	const parsed = z.string().regex(/^[a-z_.]{1,60}$/).safeParse(url.searchParams.get('purpose'));
	const purpose = parsed.success ? parsed.data : undefined;
	const messages = await devOutboxMessages(locals.database.db, purpose ? 200 : 50, purpose);
	return {
		purpose: purpose ?? null,
		messages: messages.map((m) => ({
			id: m.id,
			channel: m.channel,
			recipient: m.recipient,
			purpose: m.purpose,
			subject: m.subject,
			body: m.body,
			status: m.status,
			attempts: m.attempts,
			createdAt: m.createdAt.toISOString(),
			createdAtText: m.createdAt.toLocaleString('en-GB', { timeZone: DEFAULT_TIME_ZONE })
		}))
	};
};
