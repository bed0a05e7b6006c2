/** GET /staff/today/version?date=: the board's fingerprint, polled by the open board to update live. */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db';
import { requireSchoolStaff } from '$lib/server/auth/access';
import { loadSchoolCalendar } from '$lib/server/calendar';
import { boardVersion } from '$lib/server/school-day';
import { boardDate } from '../day';

export const GET: RequestHandler = async ({ locals, url }) => {
	const staff = requireSchoolStaff(locals);
	const handle = await getDatabase();
	const cal = await loadSchoolCalendar(handle.db, staff.schoolId);
	const date = boardDate(url, cal.timeZone);
	return json({ version: await boardVersion(handle, staff.schoolId, date) }, { headers: { 'cache-control': 'no-store' } });
};
