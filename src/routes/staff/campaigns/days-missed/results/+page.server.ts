import type { PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { daysMissedResults } from '$lib/server/features/campaigns';
import { MIN_PER_GROUP } from '$lib/domain/estimate';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requirePermission(locals, 'campaigns.manage');
	const runs = await daysMissedResults(locals.database, staff.schoolId);
	// The households' rows are for the CSV only.
	return { runs: runs.map(({ households: _h, ...r }) => r), minPerGroup: MIN_PER_GROUP };
};
