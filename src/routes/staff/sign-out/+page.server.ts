import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deleteSessionCookie, invalidateAllSessions, invalidateSession } from '$lib/server/features/accounts';
import { auditStaffSignOut } from '$lib/server/features/accounts';

/** Signing out is a POST (a link or prefetch must never sign anyone out). */
export const load: PageServerLoad = async () => {
	redirect(303, '/staff');
};

export const actions: Actions = {
	signOut: async ({ locals, cookies, url, getClientAddress }) => {
		const { db } = locals.database;
		const staff = locals.staff ?? locals.staffAwaitingSecondFactor;
		if (locals.sessionId && staff) {
			await invalidateSession(db, locals.sessionId);
			await auditStaffSignOut(db, staff, false, getClientAddress());
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/staff/sign-in');
	},
	signOutEverywhere: async ({ locals, cookies, url, getClientAddress }) => {
		const { db } = locals.database;
		// Only a fully signed-in member of staff may end every session (not someone with just the password).
		if (locals.staff) {
			await invalidateAllSessions(db, { kind: 'staff', staffUserId: locals.staff.id });
			await auditStaffSignOut(db, locals.staff, true, getClientAddress());
		} else if (locals.sessionId) {
			await invalidateSession(db, locals.sessionId);
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/staff/sign-in');
	}
};
