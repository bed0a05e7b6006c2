import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { AFTER_SIGN_IN, safeReturnTo } from '$lib/domain/return-to';
import { SIGN_IN_IDENTIFIER_COOKIE, SIGN_IN_RETURN_TO_COOKIE, verifySignInCode } from '$lib/server/features/accounts';
import { createSession, invalidateSession, setSessionCookie } from '$lib/server/features/accounts';
import { displayIdentifier } from '$lib/server/features/accounts';

export const load: PageServerLoad = async ({ cookies, locals }) => {
	if (locals.guardian) redirect(303, AFTER_SIGN_IN);
	const identifier = cookies.get(SIGN_IN_IDENTIFIER_COOKIE);
	if (!identifier) redirect(303, '/sign-in');
	return { sentTo: displayIdentifier(identifier), byEmail: identifier.includes('@') };
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url, locals }) => {
		const identifier = cookies.get(SIGN_IN_IDENTIFIER_COOKIE);
		if (!identifier) redirect(303, '/sign-in');
		const data = await request.formData();
		const code = String(data.get('code') ?? '').trim().slice(0, 20);
		if (!code) return fail(400, { error: m.code_error_empty() });
		if (!/^\d{6}$/.test(code.replace(/[\s-]/g, ''))) {
			return fail(400, { error: m.code_error_format() });
		}
		const { db } = locals.database;
		const result = await verifySignInCode(db, { identifier, code, ip: getClientAddress() });
		if (!result.ok) {
			return fail(400, {
				error: result.limited
					? m.code_error_limited()
					: m.code_error_wrong()
			});
		}
		// A new session on every sign-in (never reuse one that existed before).
		if (locals.sessionId) await invalidateSession(db, locals.sessionId);
		const secure = url.protocol === 'https:';
		const session = await createSession(db, { kind: 'guardian', guardianId: result.guardianId });
		setSessionCookie(cookies, session.token, session.expiresAt, secure);
		cookies.delete(SIGN_IN_IDENTIFIER_COOKIE, { path: '/sign-in', httpOnly: true, sameSite: 'lax', secure });
		const returnTo = safeReturnTo(cookies.get(SIGN_IN_RETURN_TO_COOKIE));
		cookies.delete(SIGN_IN_RETURN_TO_COOKIE, { path: '/sign-in', httpOnly: true, sameSite: 'lax', secure });
		redirect(303, returnTo ?? AFTER_SIGN_IN);
	}
};
