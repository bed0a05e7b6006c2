import type { RequestHandler } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { daysMissedResults, daysMissedResultsCsv } from '$lib/server/features/campaigns';
import { schoolName } from '$lib/server/features/schools';

export const GET: RequestHandler = async ({ locals }) => {
	const staff = requirePermission(locals, 'campaigns.manage');
	const runs = await daysMissedResults(locals.database, staff.schoolId);
	const name = (await schoolName(locals.database.db, staff.schoolId)) ?? '';
	return new Response(daysMissedResultsCsv([{ schoolName: name, runs }]), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="days-missed-results.csv"', 'cache-control': 'no-store' }
	});
};
