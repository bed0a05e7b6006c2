import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { guardianReports } from '$lib/server/features/absence';
import { describeReport } from '$lib/server/features/absence';
import { addDays, localDateOf } from '$lib/domain/calendar';

/** The parent's absence reports from the last 30 days and to come. */
export const load: PageServerLoad = async ({ locals }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	const since = addDays(localDateOf(new Date(), 'Europe/London'), -30);
	const reports = await guardianReports(locals.database, guardian.id, since);
	return { reports: reports.map(describeReport) };
};
