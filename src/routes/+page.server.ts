import type { PageServerLoad } from './$types';
import { listSchools } from '$lib/server/features/schools/listing';

export const load: PageServerLoad = async () => {
	return { schools: await listSchools() };
};
