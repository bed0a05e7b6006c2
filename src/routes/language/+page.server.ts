import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { LOCALE_COOKIE } from '$lib/domain/locale';
import { parseLanguageChoice, setGuardianLanguage } from '$lib/server/features/accounts';

export const load: PageServerLoad = async ({ url, locals }) => {
	const returnTo = url.searchParams.get('returnTo');
	return { current: locals.locale, returnTo: returnTo && /^\/(?![/\\])/.test(returnTo) ? returnTo : '/' };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const parsed = parseLanguageChoice(await request.formData());
		if (!parsed.ok) return fail(400, { error: true });
		const { locale, returnTo } = parsed.choice;
		if (locals.guardian) {
			const { db } = locals.database;
			await setGuardianLanguage(db, locals.guardian.id, locale, getClientAddress());
		}
		// Also on this device, so the pages stay in this language after signing out.
		cookies.set(LOCALE_COOKIE, locale, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			maxAge: 60 * 60 * 24 * 400
		});
		redirect(303, returnTo);
	}
};
