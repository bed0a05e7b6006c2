import type { LayoutServerLoad } from './$types';
import { requireStaff, rolesWith, STAFF_ROLE_LABELS } from '$lib/server/features/accounts';

/** Everything under /la is the local authority attendance officer's. */
export const load: LayoutServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	return { staffUser: { displayName: staff.displayName, roleLabel: STAFF_ROLE_LABELS[staff.role], schoolName: null } };
};
