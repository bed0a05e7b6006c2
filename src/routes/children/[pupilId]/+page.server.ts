import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db';
import { yearGroupLabel } from '$lib/server/children';
import { childAttendanceDetail } from '$lib/server/child-attendance';
import { longDate } from '$lib/domain/absence';
import { formatPercent } from '$lib/domain/attendance';

export const load: PageServerLoad = async ({ locals, params }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	// Not linked to this guardian (or no such pupil): the same 404 either way.
	const d = await childAttendanceDetail(await getDatabase(), guardian.id, params.pupilId);
	if (!d) error(404, 'Page not found');
	const c = d.child;
	return {
		child: {
			name: `${d.firstName} ${c.lastName}`,
			firstName: d.firstName,
			schoolName: c.schoolName,
			year: yearGroupLabel(c.yearGroup),
			className: c.className
		},
		academicYear: d.academicYear,
		freshness: d.freshness,
		hasFigures: d.percent !== null,
		percent: d.percent,
		percentText: d.percentText,
		parentLabel: d.parentLabel,
		parentMessage: d.parentMessage,
		parentNextSteps: d.parentNextSteps,
		showSupport: d.band !== null && d.band !== 'excellent',
		daysMissedText: d.daysMissedText,
		authorisedDaysText: d.authorisedDaysText,
		unauthorisedDaysText: d.unauthorisedDaysText,
		lessonsMissed: d.lessonsMissed,
		lates: d.lates,
		halfTerm: d.halfTerm,
		trend: d.trend.map((w) => ({
			weekStart: w.weekStart,
			label: longDate(w.weekStart).replace(/^Monday /, '').replace(/ \d{4}$/, ''),
			percent: w.percent,
			percentText: formatPercent(w.percent),
			cumulativeText: formatPercent(w.cumulativePercent)
		})),
		projection: d.projection,
		schoolDaysInYear: d.schoolDaysInYear,
		timeLost: d.timeLost,
		ownRow: d.ownRow,
		career: d.career ? { weeksText: d.career.weeksText, schoolYearsText: d.career.schoolYearsText, daysMissed: d.career.daysMissed, percent: d.career.percent } : null,
		penaltyWindow: d.penaltyWindow
			? { ...d.penaltyWindow, fromText: longDate(d.penaltyWindow.from), toText: longDate(d.penaltyWindow.to) }
			: null,
		calendar: d.calendar.map((day) => ({ ...day, label: longDate(day.date) })).reverse()
	};
};
