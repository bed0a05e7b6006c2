import type { LayoutServerLoad } from './$types';
import { schoolName as nameOfSchool } from '$lib/server/features/schools';
import { requireStaff, STAFF_ROLE_LABELS } from '$lib/server/features/accounts';

/** Everything under /staff needs a signed-in member of staff, except the sign-in pages themselves. */
export const load: LayoutServerLoad = async ({ locals, route }) => {
	if (route.id?.startsWith('/staff/sign-in')) return { staffUser: null };
	const staff = requireStaff(locals);
	let schoolName: string | null = null;
	if (staff.schoolId) schoolName = await nameOfSchool(locals.database.db, staff.schoolId);
	return {
		staffUser: {
			displayName: staff.displayName,
			roleLabel: STAFF_ROLE_LABELS[staff.role],
			schoolName,
			isLaAdmin: staff.role === 'la_admin'
		}
	};
};
