import type { PageServerLoad } from './$types';
import { listSchools } from '$lib/server/features/schools';

export const load: PageServerLoad = async ({ locals }) => {
	return { schools: await listSchools(locals.database.db) };
};
