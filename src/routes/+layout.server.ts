import type { LayoutServerLoad } from './$types';

/** Who is signed in, for the header links, and the page's language (chosen in hooks.server.ts). */
export const load: LayoutServerLoad = async ({ locals }) => {
	const locale = locals.locale;
	if (locals.guardian) {
		return { signedInAs: 'guardian' as const, name: `${locals.guardian.firstName} ${locals.guardian.lastName}`, locale };
	}
	if (locals.staff) return { signedInAs: 'staff' as const, name: locals.staff.displayName, locale };
	return { signedInAs: null, name: null, locale };
};
