/**
 * Development only (404 unless dev tools are on, i.e. never on PostgreSQL by default): sign in
 * as any demo parent or member of staff in one step, for demos and for browser tests of pages
 * other than sign-in itself (the real sign-in is rate-limited per number and per address, as it
 * must be). The /dev/outbox page already shows every sign-in code, so this opens nothing new.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { devSignInAccount, devToolsEnabled } from '$lib/server/demo';
import { createSession, markSecondFactorVerified, sessionIdFromToken, setSessionCookie, staffHomePath } from '$lib/server/features/accounts';

export const load: PageServerLoad = async () => {
	if (!devToolsEnabled()) error(404, 'Page not found');
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, locals }) => {
		if (!devToolsEnabled()) error(404, 'Page not found');
		const form = await request.formData();
		const who = String(form.get('who') ?? '').trim().slice(0, 200);
		const { db } = locals.database;
		const secure = url.protocol === 'https:';
		const account = await devSignInAccount(db, who);
		if (account?.kind === 'staff') {
			const session = await createSession(db, { kind: 'staff', staffUserId: account.id });
			await markSecondFactorVerified(db, sessionIdFromToken(session.token));
			setSessionCookie(cookies, session.token, session.expiresAt, secure);
			redirect(303, staffHomePath(account));
		}
		if (account?.kind === 'guardian') {
			const session = await createSession(db, { kind: 'guardian', guardianId: account.id });
			setSessionCookie(cookies, session.token, session.expiresAt, secure);
			redirect(303, '/children');
		}
		return fail(400, { who, message: 'No demo parent or staff member has that number or email address' });
	}
};
