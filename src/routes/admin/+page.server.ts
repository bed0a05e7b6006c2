import type { PageServerLoad } from './$types';
import { requireStaff, rolesWith, STAFF_ROLE_LABELS } from '$lib/server/features/accounts';

/** Local-authority admins: the schools in the deployment, with pupil counts only (no child data). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const staff = requireStaff(locals, rolesWith('directory.manage'));
	const handle = locals.database;
	const rows = await handle.query<{ name: string; slug: string; urn: string; pupils: number }>(
		`select s.name, s.slug, s.urn, count(p.id)::int as pupils
		   from schools s left join pupils p on p.school_id = s.id
		  group by s.id, s.name, s.slug, s.urn
		  order by s.name`
	);
	return {
		staffUser: { displayName: staff.displayName, roleLabel: STAFF_ROLE_LABELS[staff.role], schoolName: null },
		added: rows.find((r) => r.slug === url.searchParams.get('added'))?.name ?? null,
		schools: rows.map((r) => ({ ...r, pupils: Number(r.pupils) }))
	};
};
