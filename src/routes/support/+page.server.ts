import type { PageServerLoad } from './$types';
import { childrenOfGuardian } from '$lib/server/features/attendance';
import { DEFAULT_DIRECTORY, childrenAges, findServices, illnessGuide, telHref, type ServicesAudience } from '$lib/server/features/support';
import { schoolContacts as contactsOf } from '$lib/server/features/schools';
import { ILLNESS_GUIDANCE_SOURCES, SUPPORT_CATEGORIES, SUPPORT_CATEGORY_LABELS, isSupportCategory } from '$lib/domain/signposting';

/** Support for families: public; a signed-in parent sees their children's schools first. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const handle = locals.database;
	const search = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	const rawCategory = url.searchParams.get('category') ?? '';
	const category = isSupportCategory(rawCategory) ? rawCategory : null;

	let schoolContacts: { name: string; phone: string | null; phoneHref: string | null; email: string | null }[] = [];
	let directory = DEFAULT_DIRECTORY;
	// A visitor we do not know sees every service for families; a parent, what fits their children's ages.
	let audience: ServicesAudience = { family: true };
	if (locals.guardian) {
		audience = { family: true, children: await childrenAges(handle, locals.guardian.id) };
		const children = await childrenOfGuardian(handle.db, locals.guardian.id);
		const ids = [...new Set(children.map((c) => c.schoolId))];
		if (ids.length > 0) {
			const rows = await contactsOf(handle.db, ids);
			schoolContacts = rows.map(({ name, phone, email }) => ({ name, phone, phoneHref: telHref(phone), email }));
			directory = rows[0]?.directory ?? DEFAULT_DIRECTORY;
		}
	}
	const services = await findServices(handle, { directory, search, categories: category ? [category] : undefined, for: audience });
	return {
		search,
		category,
		categories: SUPPORT_CATEGORIES.map((c) => ({ value: c, label: SUPPORT_CATEGORY_LABELS[c] })),
		schools: schoolContacts,
		services,
		illnessGuide: illnessGuide().map((g) => ({ key: g.key, name: g.name, stayOff: g.stayOff, advice: g.advice })),
		sources: ILLNESS_GUIDANCE_SOURCES.map((s) => ({ ...s }))
	};
};
