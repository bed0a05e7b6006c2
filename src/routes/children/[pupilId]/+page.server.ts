import { signInThenBackTo } from '$lib/domain/return-to';
import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { yearGroupLabel } from '$lib/server/features/attendance';
import { childAttendanceDetail } from '$lib/server/features/attendance';
import { lettersForGuardian, meetingPlaceLang, meetingPlaceWords, meetingsForGuardian, meetingWhenWords, planForGuardian } from '$lib/server/features/graduated-response';
import { m } from '$lib/paraglide/messages';
import { daysFromSessions, formatPercent } from '$lib/domain/attendance';
import { formatDayOfMonth, formatLongDate, formatMonthYear } from '$lib/i18n';
import { groupMarksByMonth } from '$lib/domain/register-months';
import { parentLabelText, yearGroupText } from '$lib/i18n-labels';
import {
	bandMessageWords,
	bandNextStepsWords,
	changeWords,
	daysAsWeeksWords,
	daysWords,
	freshnessWords,
	halfDaysWords,
	markMeaningWords,
	schoolYearsWords,
	timesWords,
	weekStartLabel
} from '$lib/i18n-attendance';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	// Not linked to this guardian (or no such pupil): the same 404 either way.
	const d = await childAttendanceDetail(locals.database, guardian.id, params.pupilId);
	if (!d) error(404, 'Page not found');
	const c = d.child;
	// The figures come from the domain; the words around them are in the parent's language
	// (the helpers return the domain's own English wording for English).
	const locale = locals.locale;
	const halfTerm = d.halfTerm ? { ...d.halfTerm, changeText: changeWords(d.halfTerm.change, d.halfTerm.name, locale) } : null;
	const letters = (await lettersForGuardian(locals.database.db, guardian.id, params.pupilId)).map((l) => ({ id: l.id, title: l.content.title, lang: l.content.locale, dir: l.content.dir, date: formatLongDate(l.createdAt.toISOString().slice(0, 10), locale) }));
	// Meetings the school has set a time for (one still to arrange is announced by its letter).
	const meetings = (await meetingsForGuardian(locals.database.db, guardian.id, params.pupilId))
		.filter((mt) => mt.startsAt)
		.map((mt) => ({ id: mt.id, when: meetingWhenWords(mt.startsAt!, mt.timeZone, locale), place: meetingPlaceWords(mt.place, locale), placeLang: meetingPlaceLang(mt.place) }));
	const plan = await planForGuardian(locals.database.db, guardian.id, params.pupilId);
	return {
		letters,
		meetings,
		plan: plan ? { active: plan.status === 'active', reviewOn: formatLongDate(plan.reviewOn, locale) } : null,
		pupilId: params.pupilId,
		child: {
			name: `${d.firstName} ${c.lastName}`,
			firstName: d.firstName,
			schoolName: c.schoolName,
			year: locale === 'en' ? yearGroupLabel(c.yearGroup) : yearGroupText(c.yearGroup, locale),
			className: c.className
		},
		academicYear: d.academicYear,
		freshness: freshnessWords(d.lastMarkDate, locale),
		hasFigures: d.percent !== null,
		percent: d.percent,
		percentText: d.percentText,
		parentLabel: d.parentLabel === null ? null : locale === 'en' ? d.parentLabel : parentLabelText(d.parentLabel, locale),
		parentMessage: d.band ? bandMessageWords(d.band, locale) : null,
		parentNextSteps: d.band ? bandNextStepsWords(d.band, locale) : [],
		showSupport: d.band !== null && d.band !== 'excellent',
		daysMissedText: daysAsWeeksWords(d.daysMissed, locale),
		authorisedDaysText: daysWords(daysFromSessions(d.tally.authorisedAbsence), locale),
		unauthorisedDaysText: daysWords(daysFromSessions(d.tally.unauthorisedAbsence), locale),
		lessonsMissed: d.lessonsMissed,
		latenessText: d.lateness ? m.att_lateness_time_lost({ minutes: d.lateness.minutesPerDay, days: daysWords(d.lateness.daysAYear, locale) }, { locale }) : null,
		lates: { ...d.lates, beforeCloseText: timesWords(d.lates.beforeClose, locale), afterCloseText: timesWords(d.lates.afterClose, locale) },
		halfTerm,
		trend: d.trend.map((w) => ({
			weekStart: w.weekStart,
			label: weekStartLabel(w.weekStart, locale),
			percent: w.percent,
			percentText: formatPercent(w.percent),
			cumulativeText: formatPercent(w.cumulativePercent)
		})),
		projection: {
			...d.projection,
			daysMissedText: d.projection.daysMissed === null ? null : daysAsWeeksWords(d.projection.daysMissed, locale)
		},
		schoolDaysInYear: d.schoolDaysInYear,
		timeLost: d.timeLost.map((row) => ({ ...row, text: daysAsWeeksWords(row.daysMissed, locale), daysText: daysWords(row.daysMissed, locale) })),
		ownRow: d.ownRow
			? {
					...d.ownRow,
					text: daysAsWeeksWords(d.ownRow.daysMissed, locale),
					// English keeps its wording ('1 days a year' included) so existing tests stay true.
					perYearText: locale === 'en' ? `${d.ownRow.daysMissed} days a year` : m.att_per_year({ days: daysWords(d.ownRow.daysMissed, locale) })
				}
			: null,
		career: d.career
			? {
					weeksText: daysAsWeeksWords(d.career.daysMissed, locale),
					schoolYearsText: schoolYearsWords(d.career.schoolYears, locale, d.career.schoolYearsText),
					daysMissed: d.career.daysMissed,
					percent: d.career.percent
				}
			: null,
		penaltyWindow: d.penaltyWindow
			? {
					...d.penaltyWindow,
					countText: halfDaysWords(d.penaltyWindow.count, locale),
					fromText: formatLongDate(d.penaltyWindow.from, locale),
					toText: formatLongDate(d.penaltyWindow.to, locale)
				}
			: null,
		// Register marks by month, newest first: the page opens the latest month and folds the rest.
		months: groupMarksByMonth(
			d.calendar
				.map((day) => ({
					...day,
					// The month is in the group's heading: each row names the weekday and the day.
					label: formatDayOfMonth(day.date, locale),
					am: day.am && { ...day.am, meaning: markMeaningWords(day.am.meaning, locale) },
					pm: day.pm && { ...day.pm, meaning: markMeaningWords(day.pm.meaning, locale) }
				}))
				.reverse()
		).map((g) => {
			const month = formatMonthYear(g.month, locale);
			const days = daysWords(g.days.length, locale);
			return {
				key: g.month,
				name: month,
				summary:
					g.sessionsMissed === 0
						? m.att_marks_month_none({ month, days })
						: m.att_marks_month({ month, days, missed: daysWords(daysFromSessions(g.sessionsMissed), locale) }),
				days: g.days
			};
		})
	};
};
