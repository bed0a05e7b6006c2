import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { verifyStaffTotp } from '$lib/server/features/accounts';
import {
	createSession,
	invalidateSession,
	markSecondFactorVerified,
	sessionIdFromToken,
	setSessionCookie
} from '$lib/server/features/accounts';
import { staffHomePath } from '$lib/server/features/accounts';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.staff) redirect(303, staffHomePath(locals.staff));
	if (!locals.staffAwaitingSecondFactor) redirect(303, '/staff/sign-in');
	return { enrolled: Boolean(locals.staffAwaitingSecondFactor.totpKeyEncrypted) };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const staff = locals.staffAwaitingSecondFactor;
		if (!staff || !locals.sessionId) redirect(303, '/staff/sign-in');
		const form = await request.formData();
		const code = String(form.get('code') ?? '').trim();
		if (!code) return fail(400, { error: 'Enter the 6-digit code from your authenticator app' });
		if (!/^\d{6}$/.test(code.replace(/[\s-]/g, ''))) return fail(400, { error: 'The code must be 6 numbers, like 123456' });

		const { db } = locals.database;
		const result = await verifyStaffTotp(db, staff.id, code, getClientAddress());
		if (!result.ok) {
			if (result.reason === 'rate_limited') {
				const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
				return fail(429, { error: `Too many codes tried. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` });
			}
			if (result.reason === 'not_enrolled') {
				return fail(400, { error: 'Your account has no authenticator app set up yet. Ask your school administrator.' });
			}
			return fail(400, { error: 'The code is not right or has already been used. Wait for a new code and try again.' });
		}
		// New token once fully signed in, so a token seen before the second factor is worth nothing.
		await invalidateSession(db, locals.sessionId);
		const session = await createSession(db, { kind: 'staff', staffUserId: staff.id });
		await markSecondFactorVerified(db, sessionIdFromToken(session.token));
		setSessionCookie(cookies, session.token, session.expiresAt, url.protocol === 'https:');
		redirect(303, staffHomePath(staff));
	}
};
