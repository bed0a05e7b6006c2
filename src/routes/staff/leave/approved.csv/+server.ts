import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { requireSchoolStaff } from '$lib/server/features/accounts/access';
import { approvedLeaveCsv } from '$lib/server/features/leave/requests';

export const GET: RequestHandler = async ({ locals }) => {
	const staff = requireSchoolStaff(locals);
	return new Response(await approvedLeaveCsv(await getDatabase(), staff.schoolId), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="agreed-leave.csv"', 'cache-control': 'private, no-store' }
	});
};
