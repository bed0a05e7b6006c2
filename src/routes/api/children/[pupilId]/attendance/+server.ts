import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { childAttendanceOverview } from '$lib/server/features/attendance';
import { childFirstName } from '$lib/domain/pupils';

/** This academic year's attendance for one of the signed-in parent's children. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const guardian = locals.guardian;
	if (!guardian) return json({ error: 'Sign in first' }, { status: 401 });
	const overview = await childAttendanceOverview(locals.database, guardian.id, params.pupilId);
	if (!overview) return json({ error: 'Not found' }, { status: 404 });
	const { child, ...figures } = overview;
	return json(
		{
			pupilId: child.pupilId,
			firstName: childFirstName(child),
			lastName: child.lastName,
			school: child.schoolName,
			yearGroup: child.yearGroup,
			...figures
		},
		{ headers: { 'cache-control': 'private, no-store' } }
	);
};
