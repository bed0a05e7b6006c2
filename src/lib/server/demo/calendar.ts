/**
 * The fictional Harbourside Primary's 2026/27 calendar: six half terms, five INSET days and the
 * May Day bank holiday (the only bank holiday that falls in term: Good Friday 26 March 2027 and
 * Easter Monday 29 March fall in the Easter holiday, the Spring bank holiday 31 May 2027 in the
 * May half term). 196 weekdays in term − 1 bank holiday − 5 INSET = 190 pupil days.
 *
 * Pure data, shared by the demo seed and the benchmark.
 */
import type { Closure, SchoolCalendar, Term } from '../../domain/calendar';

export const DEMO_ACADEMIC_YEAR = '2026/27';
export const DEMO_TIME_ZONE = 'Europe/London';

export const DEMO_TERMS: readonly Term[] = [
	{ name: 'Autumn 1', startsOn: '2026-09-01', endsOn: '2026-10-23' },
	{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
	{ name: 'Spring 1', startsOn: '2027-01-04', endsOn: '2027-02-12' },
	{ name: 'Spring 2', startsOn: '2027-02-22', endsOn: '2027-03-25' },
	{ name: 'Summer 1', startsOn: '2027-04-12', endsOn: '2027-05-28' },
	{ name: 'Summer 2', startsOn: '2027-06-07', endsOn: '2027-07-21' }
];

export const DEMO_CLOSURES: readonly Closure[] = [
	{ date: '2026-09-01', sessions: 'BOTH', kind: 'inset', description: 'INSET day' },
	{ date: '2026-09-02', sessions: 'BOTH', kind: 'inset', description: 'INSET day' },
	{ date: '2026-11-02', sessions: 'BOTH', kind: 'inset', description: 'INSET day' },
	{ date: '2027-01-04', sessions: 'BOTH', kind: 'inset', description: 'INSET day' },
	{ date: '2027-05-03', sessions: 'BOTH', kind: 'bank_holiday', description: 'Early May bank holiday' },
	{ date: '2027-07-21', sessions: 'BOTH', kind: 'inset', description: 'INSET day' }
];

export const DEMO_PROTECTED_PERIODS: readonly { name: string; startsOn: string; endsOn: string; yearGroups: number[] | null }[] = [
	{ name: 'First half term of the school year', startsOn: '2026-09-03', endsOn: '2026-10-23', yearGroups: null },
	{ name: 'Key Stage 2 SATs week', startsOn: '2027-05-10', endsOn: '2027-05-13', yearGroups: [6] },
	{ name: 'Year 2 assessment week', startsOn: '2027-05-17', endsOn: '2027-05-21', yearGroups: [2] },
	{ name: 'Year 6 transition days', startsOn: '2027-07-07', endsOn: '2027-07-08', yearGroups: [6] }
];

/** The demo calendar in the domain shape (what `loadSchoolCalendar` returns once seeded). */
export function demoCalendar(): SchoolCalendar {
	return {
		timeZone: DEMO_TIME_ZONE,
		terms: DEMO_TERMS.map((t) => ({ ...t })),
		closures: DEMO_CLOSURES.map((c) => ({ ...c }))
	};
}
