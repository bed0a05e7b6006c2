import type { RequestHandler } from './$types';
// The local authority's admin and its attendance officers both read these results (figures, no names).
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { daysMissedResultsCsv, daysMissedResultsForAllSchools } from '$lib/server/features/campaigns';

export const GET: RequestHandler = async ({ locals }) => {
	requireStaff(locals, [...rolesWith('directory.manage'), ...rolesWith('la.attendance')]);
	const schools = await daysMissedResultsForAllSchools(locals.database);
	return new Response(daysMissedResultsCsv(schools), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="days-missed-results-all-schools.csv"', 'cache-control': 'no-store' }
	});
};
