/** The parent's notification subscriptions: GET the public key, POST to subscribe this browser, DELETE to stop. */
import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';
import { removePushSubscription, subscribeToPush, vapidKeys } from '$lib/server/features/accounts';
import { tryAgainIn } from '$lib/domain/retry';

export const GET: RequestHandler = async () => json({ publicKey: vapidKeys().publicKey });

export const POST: RequestHandler = async ({ locals, request, url }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	if (request.headers.get('origin') && request.headers.get('origin') !== url.origin) error(403, 'Cross-site requests are forbidden');
	const saved = await subscribeToPush(locals.database.db, locals.guardian.id, await request.json().catch(() => null));
	if (!saved.ok && saved.reason === 'limited') {
		return json({ ok: false, message: `Too many attempts to turn on notifications. ${tryAgainIn(saved.retryAfterSeconds)}` }, { status: 429, headers: { 'retry-after': String(saved.retryAfterSeconds) } });
	}
	if (!saved.ok) error(400, 'That is not a push subscription');
	return json({ ok: true });
};

export const DELETE: RequestHandler = async ({ locals, request }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	const parsed = z.object({ endpoint: z.string().url().max(1000) }).safeParse(await request.json().catch(() => null));
	if (!parsed.success) error(400, 'Give the subscription endpoint');
	await removePushSubscription(locals.database.db, locals.guardian.id, parsed.data.endpoint);
	return json({ ok: true });
};
