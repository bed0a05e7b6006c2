import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { configuredOrigin, requireSchoolStaff, SCHOOL_ROLES, STAFF_ROLE_LABELS } from '$lib/server/features/accounts';
import { inviteStaff, listInvitations, listStaff, withdrawInvitation } from '$lib/server/features/schools';
import { fieldErrorMessages } from '$lib/i18n-staff-problems';

/** The headteacher (or school administrator) invites staff and gives them their roles. */
const ROLES = ['headteacher', 'school_admin'] as const;

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals, ROLES);
	const handle = locals.database;
	const [people, invitations] = await Promise.all([listStaff(handle, staff.schoolId), listInvitations(handle, staff.schoolId)]);
	return {
		roles: SCHOOL_ROLES.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] })),
		people: people.map((p) => ({ ...p, roleLabel: STAFF_ROLE_LABELS[p.role] })),
		invitations: invitations.map((i) => ({ ...i, roleLabel: STAFF_ROLE_LABELS[i.role], createdAt: i.createdAt.toISOString().slice(0, 10) }))
	};
};

export const actions: Actions = {
	invite: async ({ locals, request, url }) => {
		const staff = requireSchoolStaff(locals, ROLES);
		const form = await request.formData();
		const values = { displayName: String(form.get('displayName') ?? '').trim().slice(0, 200), email: String(form.get('email') ?? '').trim().slice(0, 300), role: String(form.get('role') ?? '') };
		const result = await inviteStaff(locals.database, staff, staff.schoolId, values, { origin: configuredOrigin() ?? url.origin });
		if (!result.ok) return fail(400, { errors: fieldErrorMessages(result.errors), values });
		return { invited: values.email };
	},
	withdraw: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals, ROLES);
		const form = await request.formData();
		await withdrawInvitation(locals.database, staff, staff.schoolId, String(form.get('id') ?? ''));
		return { withdrawn: true };
	}
};
