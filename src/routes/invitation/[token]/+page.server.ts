import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { acceptInvitation, openInvitation } from '$lib/server/features/schools';
import { createSession, invalidateSession, markSecondFactorVerified, sessionIdFromToken, setSessionCookie } from '$lib/server/features/accounts';
import { staffHomePath } from '$lib/server/features/accounts';
import { MIN_PASSWORD_LENGTH } from '$lib/server/features/accounts';
import { fieldErrorMessages } from '$lib/i18n-staff-problems';

export const load: PageServerLoad = async ({ params, setHeaders, locals }) => {
	// The link is a secret: never cached, never sent to another site as a referrer (same-origin, not
	// no-referrer: that makes the browser send "Origin: null" with the form, which the CSRF check refuses).
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'same-origin' });
	const invitation = await openInvitation(locals.database, params.token);
	return { invitation, minPasswordLength: MIN_PASSWORD_LENGTH };
};

export const actions: Actions = {
	default: async ({ params, request, cookies, url, locals, getClientAddress }) => {
		const form = await request.formData();
		const handle = locals.database;
		const result = await acceptInvitation(handle, {
			token: params.token,
			password: String(form.get('password') ?? ''),
			confirmPassword: String(form.get('confirmPassword') ?? ''),
			code: String(form.get('code') ?? '').slice(0, 20),
			ip: getClientAddress()
		});
		if (!result.ok) return fail(result.gone ? 410 : 400, { errors: fieldErrorMessages(result.errors) });
		// They have just shown the password and the authenticator: fully signed in.
		if (locals.sessionId) await invalidateSession(handle.db, locals.sessionId);
		const session = await createSession(handle.db, { kind: 'staff', staffUserId: result.staff.id });
		await markSecondFactorVerified(handle.db, sessionIdFromToken(session.token));
		setSessionCookie(cookies, session.token, session.expiresAt, url.protocol === 'https:');
		redirect(303, staffHomePath(result.staff));
	}
};
