import type { LayoutServerLoad } from './$types';

/** Who is signed in, for the header links. */
export const load: LayoutServerLoad = async ({ locals }) => {
	if (locals.guardian) {
		return { signedInAs: 'guardian' as const, name: `${locals.guardian.firstName} ${locals.guardian.lastName}` };
	}
	if (locals.staff) return { signedInAs: 'staff' as const, name: locals.staff.displayName };
	return { signedInAs: null, name: null };
};
