import type { Actions, PageServerLoad } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { laOverview, refreshStaleRollups } from '$lib/server/features/local-authority';
import { percentText, trendText } from '$lib/i18n-la';

const SORTS = ['name', 'attendance', 'persistent', 'severe', 'trend'] as const;
type Sort = (typeof SORTS)[number];

/** The view across schools: figures only, no pupil names. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const overview = (await laOverview(locals.database, staff, { academicYear: url.searchParams.get('year') ?? undefined }))!;
	const sortParam = url.searchParams.get('sort');
	const sort: Sort = SORTS.includes(sortParam as Sort) ? (sortParam as Sort) : 'name';
	const rows = overview.schools.map((s) => {
		const latest = s.halfTerms[s.halfTerms.length - 1] ?? null;
		return {
			id: s.schoolId,
			name: s.name,
			pupils: s.year.pupils,
			attendance: s.year.attendancePercent,
			persistent: s.year.persistentPercent,
			severe: s.year.severePercent,
			latestName: latest?.termName ?? '–',
			latestAttendance: latest?.attendancePercent ?? null,
			trend: latest?.trend ?? null
		};
	});
	const key = (r: (typeof rows)[number]) => (sort === 'attendance' ? r.attendance : sort === 'persistent' ? r.persistent : sort === 'severe' ? r.severe : sort === 'trend' ? r.trend : null);
	rows.sort((a, b) => {
		if (sort === 'name') return a.name.localeCompare(b.name);
		// Lowest attendance first, highest absence rates first: the schools needing help at the top.
		const x = key(a) ?? Number.POSITIVE_INFINITY;
		const y = key(b) ?? Number.POSITIVE_INFINITY;
		return sort === 'attendance' || sort === 'trend' ? x - y : y - x;
	});
	return {
		academicYear: overview.academicYear,
		refreshedAt: overview.refreshedAt?.toISOString() ?? null,
		sort,
		schools: rows.map((r) => ({
			...r,
			attendanceText: percentText(r.attendance),
			persistentText: percentText(r.persistent),
			severeText: percentText(r.severe),
			latestText: percentText(r.latestAttendance),
			trendText: trendText(r.trend)
		})),
		totals: {
			year: { pupils: overview.totals.year.pupils, attendance: percentText(overview.totals.year.attendancePercent), persistent: percentText(overview.totals.year.persistentPercent), severe: percentText(overview.totals.year.severePercent) },
			halfTerms: overview.totals.halfTerms.map((t) => ({
				name: t.termName,
				pupils: t.pupils,
				attendance: percentText(t.attendancePercent),
				persistent: percentText(t.persistentPercent),
				severe: percentText(t.severePercent),
				trend: trendText(t.trend),
				value: t.attendancePercent
			}))
		}
	};
};

export const actions: Actions = {
	refresh: async ({ locals }) => {
		requireStaff(locals, rolesWith('la.attendance'));
		const n = await refreshStaleRollups(locals.database);
		return { refreshed: n };
	}
};
