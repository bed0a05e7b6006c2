import { DEFAULT_TIME_ZONE } from '$lib/domain/calendar';
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { devOutboxMessages, devToolsEnabled } from '$lib/server/demo';

/** Development only: what would have been sent (sign-in codes included). 404 in production. */
export const load: PageServerLoad = async ({ setHeaders, locals }) => {
	if (!devToolsEnabled()) error(404, 'Page not found');
	setHeaders({ 'cache-control': 'no-store' });
	const messages = await devOutboxMessages(locals.database.db, 50);
	return {
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
