import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { verifyStaffPassword } from '$lib/server/features/accounts';
import { createSession, invalidateSession, setSessionCookie } from '$lib/server/features/accounts';
import { staffHomePath } from '$lib/server/features/accounts';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.staff) redirect(303, staffHomePath(locals.staff));
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, locals, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const errors: { email?: string; password?: string; form?: string } = {};
		if (!email) errors.email = 'Enter your email address';
		else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
			errors.email = 'Enter an email address in the correct format, like name@school.example.org';
		}
		if (!password) errors.password = 'Enter your password';
		else if (password.length > 1024) errors.password = 'Enter your password';
		if (errors.email || errors.password) return fail(400, { email, errors });

		const { db } = locals.database;
		const result = await verifyStaffPassword(db, email, password, getClientAddress());
		if (!result.ok) {
			if (result.reason === 'rate_limited') {
				const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
				return fail(429, {
					email,
					errors: { form: `Too many attempts to sign in. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` }
				});
			}
			return fail(400, { email, errors: { form: 'The email address or password is not right' } });
		}

		// A fresh session for the password step; it is not usable for anything until the code is given.
		if (locals.sessionId) await invalidateSession(db, locals.sessionId);
		const session = await createSession(db, { kind: 'staff', staffUserId: result.staff.id });
		setSessionCookie(cookies, session.token, session.expiresAt, url.protocol === 'https:');
		redirect(303, '/staff/sign-in/two-factor');
	}
};
