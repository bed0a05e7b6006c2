/** GET /staff/today/version?date=: the board's fingerprint, polled by the open board to update live. */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { boardVersion, loadSchoolCalendar } from '$lib/server/features/school-day';
import { voicemailFingerprint } from '$lib/server/features/phone-line';
import { boardDate } from '../day';

export const GET: RequestHandler = async ({ locals, url }) => {
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const cal = await loadSchoolCalendar(handle.db, staff.schoolId);
	const date = boardDate(url, cal.timeZone);
	const [board, voicemail] = await Promise.all([boardVersion(handle, staff.schoolId, date), voicemailFingerprint(handle.db, staff.schoolId)]);
	return json({ version: `${board}|${voicemail}` }, { headers: { 'cache-control': 'no-store' } });
};
