/** GET /staff/today/version?date=: the board's fingerprint, polled by the open board to update live. */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { boardVersion, loadSchoolCalendar } from '$lib/server/features/school-day';
import { boardDate } from '../day';

export const GET: RequestHandler = async ({ locals, url }) => {
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const cal = await loadSchoolCalendar(handle.db, staff.schoolId);
	const date = boardDate(url, cal.timeZone);
	return json({ version: await boardVersion(handle, staff.schoolId, date) }, { headers: { 'cache-control': 'no-store' } });
};
