import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { AFTER_SIGN_IN, safeReturnTo } from '$lib/domain/return-to';
import {
	requestSignInCode,
	SIGN_IN_IDENTIFIER_COOKIE,
	SIGN_IN_RETURN_TO_COOKIE,
	SIGN_IN_IDENTIFIER_COOKIE_MAX_AGE_SECONDS
} from '$lib/server/features/accounts';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.guardian) redirect(303, safeReturnTo(url.searchParams.get('returnTo')) ?? AFTER_SIGN_IN);
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url, locals }) => {
		const data = await request.formData();
		const identifier = String(data.get('identifier') ?? '').trim().slice(0, 254);
		if (!identifier) {
			return fail(400, { identifier, error: m.signin_error_empty() });
		}
		const { db } = locals.database;
		const result = await requestSignInCode(db, { identifier, ip: getClientAddress() });
		if (result.limited) {
			const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
			return fail(429, {
				identifier,
				error: (minutes === 1 ? m.signin_error_limited_one : m.signin_error_limited_many)({ minutes })
			});
		}
		if (!result.ok) {
			return fail(400, {
				identifier,
				error: m.signin_error_invalid()
			});
		}
		cookies.set(SIGN_IN_IDENTIFIER_COOKIE, result.identifier, {
			path: '/sign-in',
			httpOnly: true,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			maxAge: SIGN_IN_IDENTIFIER_COOKIE_MAX_AGE_SECONDS
		});
		const returnTo = safeReturnTo(url.searchParams.get('returnTo'));
		if (returnTo) cookies.set(SIGN_IN_RETURN_TO_COOKIE, returnTo, { path: '/sign-in', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: SIGN_IN_IDENTIFIER_COOKIE_MAX_AGE_SECONDS });
		else cookies.delete(SIGN_IN_RETURN_TO_COOKIE, { path: '/sign-in' });
		redirect(303, '/sign-in/code');
	}
};
