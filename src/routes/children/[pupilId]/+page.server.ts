import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db';
import { childAttendanceOverview, yearGroupLabel } from '$lib/server/children';

export const load: PageServerLoad = async ({ locals, params }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	const handle = await getDatabase();
	// Not linked to this guardian (or no such pupil): the same 404 either way.
	const overview = await childAttendanceOverview(handle, guardian.id, params.pupilId);
	if (!overview) error(404, 'Page not found');
	const c = overview.child;
	return {
		child: {
			name: `${c.preferredName ?? c.firstName} ${c.lastName}`,
			firstName: c.preferredName ?? c.firstName,
			schoolName: c.schoolName,
			year: yearGroupLabel(c.yearGroup),
			className: c.className
		},
		academicYear: overview.academicYear,
		percentText: overview.percentText,
		daysMissed: overview.daysMissed,
		authorisedDays: overview.authorisedDays,
		unauthorisedDays: overview.unauthorisedDays,
		parentLabel: overview.parentLabel,
		parentMessage: overview.parentMessage,
		parentNextSteps: overview.parentNextSteps,
		hasFigures: overview.percent !== null
	};
};
