import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { childAttendanceOverview } from '$lib/server/features/attendance/children';

/** This academic year's attendance for one of the signed-in parent's children. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const guardian = locals.guardian;
	if (!guardian) return json({ error: 'Sign in first' }, { status: 401 });
	const overview = await childAttendanceOverview(await getDatabase(), guardian.id, params.pupilId);
	if (!overview) return json({ error: 'Not found' }, { status: 404 });
	const { child, ...figures } = overview;
	return json(
		{
			pupilId: child.pupilId,
			firstName: child.preferredName ?? child.firstName,
			lastName: child.lastName,
			school: child.schoolName,
			yearGroup: child.yearGroup,
			...figures
		},
		{ headers: { 'cache-control': 'private, no-store' } }
	);
};
