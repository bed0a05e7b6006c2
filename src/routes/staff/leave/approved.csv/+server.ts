import type { RequestHandler } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { approvedLeaveCsv } from '$lib/server/features/leave';

export const GET: RequestHandler = async ({ locals }) => {
	const staff = requireSchoolStaff(locals);
	return new Response(await approvedLeaveCsv(locals.database, staff.schoolId, { staffUserId: staff.id }), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="agreed-leave.csv"', 'cache-control': 'private, no-store' }
	});
};
