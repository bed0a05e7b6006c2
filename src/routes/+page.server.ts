import type { PageServerLoad } from './$types';
import { listSchools } from '$lib/server/features/schools';

export const load: PageServerLoad = async () => {
	return { schools: await listSchools() };
};
