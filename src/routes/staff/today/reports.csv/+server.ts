/** The board's reports for one day as CSV, for entry into the MIS: the member of staff's own school only. */
import type { RequestHandler } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { reportsCsv, loadSchoolCalendar } from '$lib/server/features/school-day';
import { boardDate } from '../day';

export const GET: RequestHandler = async ({ locals, url }) => {
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const cal = await loadSchoolCalendar(handle.db, staff.schoolId);
	const date = boardDate(url, cal.timeZone);
	const csv = await reportsCsv(handle, staff.schoolId, date, { staffUserId: staff.id });
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="absence-reports-${date}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
