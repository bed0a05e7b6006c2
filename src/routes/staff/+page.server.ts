import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { can } from '$lib/domain/permissions';
import { isLaRole, requireStaff, requireSchoolStaff, staffHomePath } from '$lib/server/features/accounts';
import { schoolAttendanceSummary } from '$lib/server/features/attendance';
import { BAND_INFO, BANDS, formatPercent, type Band } from '$lib/domain/attendance';
import { localDateOf } from '$lib/domain/calendar';
import { schoolTimeZone } from '$lib/server/features/schools';
import { childDisplayName, yearGroupLabel } from '$lib/domain/pupils';
import { pageOf } from '$lib/domain/paging';

/** Pupils listed per page: a large school's whole roll made the page about 800 KB of HTML. */
const PUPILS_PER_PAGE = 100;

/** Today's overview of the member of staff's own school, and only that school. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const signedIn = requireStaff(locals);
	if (isLaRole(signedIn.role)) redirect(303, staffHomePath(signedIn));
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const summary = await schoolAttendanceSummary(handle, staff.schoolId);

	const bandCounts = Object.fromEntries(BANDS.map((b) => [b, 0])) as Record<Band, number>;
	for (const p of summary) if (p.band) bandCounts[p.band]++;
	const possible = summary.reduce((n, p) => n + p.possible, 0);
	const attended = summary.reduce((n, p) => n + p.attended, 0);
	const paging = pageOf(summary.length, url.searchParams.get('page'), PUPILS_PER_PAGE);

	return {
		canInviteStaff: can(staff, 'staff.invite'),
		canManageGraduated: can(staff, 'graduated.manage'),
		today: localDateOf(new Date(), await schoolTimeZone(handle.db, staff.schoolId)),
		totals: {
			pupils: summary.length,
			persistent: summary.filter((p) => p.persistent).length,
			severe: summary.filter((p) => p.severe).length,
			schoolPercent: formatPercent(possible > 0 ? (attended / possible) * 100 : null)
		},
		bands: BANDS.map((b) => ({ band: b, label: BAND_INFO[b].staffLabel, range: BAND_INFO[b].range, count: bandCounts[b] })),
		paging,
		pupils: summary.slice(paging.start, paging.end).map((p) => ({
			id: p.pupilId,
			name: childDisplayName(p),
			yearGroup: yearGroupLabel(p.yearGroup),
			className: p.className,
			percent: formatPercent(p.percent),
			band: p.band,
			bandLabel: p.band ? BAND_INFO[p.band].staffLabel : 'No sessions yet',
			persistent: p.persistent,
			severe: p.severe
		}))
	};
};
