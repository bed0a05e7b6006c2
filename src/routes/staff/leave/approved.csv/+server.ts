import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db';
import { requireSchoolStaff } from '$lib/server/auth/access';
import { approvedLeaveCsv } from '$lib/server/leave';

export const GET: RequestHandler = async ({ locals }) => {
	const staff = requireSchoolStaff(locals);
	return new Response(await approvedLeaveCsv(await getDatabase(), staff.schoolId, { staffUserId: staff.id }), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="agreed-leave.csv"', 'cache-control': 'private, no-store' }
	});
};
