import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { guardianReports } from '$lib/server/features/absence';
import { describeReport } from '$lib/server/features/absence';
import { DEFAULT_TIME_ZONE, addDays, localDateOf } from '$lib/domain/calendar';
import { signInThenBackTo } from '$lib/domain/return-to';

/** The parent's absence reports from the last 30 days and to come. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	// A parent's children may be at schools in different zones; a 30-day window does not need to know.
	const since = addDays(localDateOf(new Date(), DEFAULT_TIME_ZONE), -30);
	const reports = await guardianReports(locals.database, guardian.id, since);
	return { reports: reports.map(describeReport) };
};
