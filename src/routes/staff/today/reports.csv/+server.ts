/** The board's reports for one day as CSV, for entry into the MIS: the member of staff's own school only. */
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db';
import { requireSchoolStaff } from '$lib/server/auth/access';
import { loadSchoolCalendar } from '$lib/server/calendar';
import { reportsCsv } from '$lib/server/school-day';
import { boardDate } from '../day';

export const GET: RequestHandler = async ({ locals, url }) => {
	const staff = requireSchoolStaff(locals);
	const handle = await getDatabase();
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
