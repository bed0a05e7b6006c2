import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { can } from '$lib/domain/permissions';
import { requireStaff, requireSchoolStaff } from '$lib/server/features/accounts';
import { schoolAttendanceSummary } from '$lib/server/features/attendance';
import { BAND_INFO, BANDS, formatPercent, type Band } from '$lib/domain/attendance';
import { localDateOf } from '$lib/domain/calendar';
import { schoolTimeZone } from '$lib/server/features/schools';
import { childDisplayName, yearGroupLabel } from '$lib/domain/pupils';

/** Today's overview of the member of staff's own school, and only that school. */
export const load: PageServerLoad = async ({ locals }) => {
	if (requireStaff(locals).role === 'la_admin') redirect(303, '/admin');
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const summary = await schoolAttendanceSummary(handle, staff.schoolId);

	const bandCounts = Object.fromEntries(BANDS.map((b) => [b, 0])) as Record<Band, number>;
	for (const p of summary) if (p.band) bandCounts[p.band]++;
	const possible = summary.reduce((n, p) => n + p.possible, 0);
	const attended = summary.reduce((n, p) => n + p.attended, 0);

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
		pupils: summary.map((p) => ({
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
