import type { RegisterTimes, SchoolCalendar } from '../../src/lib/domain/calendar';

/**
 * A 2026/27 calendar for a school in England (Europe/London), 190 days = 380 sessions:
 * Autumn 1  Wed 2 Sep – Fri 23 Oct 2026: 38 weekdays − INSET 2 Sep − INSET 9 Oct = 36 days
 * Autumn 2  Mon 2 Nov – Fri 18 Dec 2026: 35 weekdays − PM closure 18 Dec          = 34½ days
 * Spring 1  Mon 4 Jan – Fri 12 Feb 2027: 30 weekdays − INSET 4 Jan               = 29 days
 * Spring 2  Mon 22 Feb – Thu 25 Mar 2027: 24 weekdays                             = 24 days
 * Summer 1  Mon 12 Apr – Fri 28 May 2027: 35 weekdays − May bank holiday 3 May    = 34 days
 * Summer 2  Mon 7 Jun – Wed 21 Jul 2027: 33 weekdays − AM closure Fri 2 Jul       = 32½ days
 */
export function calendar2026(): SchoolCalendar {
	return {
		timeZone: 'Europe/London',
		terms: [
			{ name: 'Autumn 1', startsOn: '2026-09-02', endsOn: '2026-10-23' },
			{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
			{ name: 'Spring 1', startsOn: '2027-01-04', endsOn: '2027-02-12' },
			{ name: 'Spring 2', startsOn: '2027-02-22', endsOn: '2027-03-25' },
			{ name: 'Summer 1', startsOn: '2027-04-12', endsOn: '2027-05-28' },
			{ name: 'Summer 2', startsOn: '2027-06-07', endsOn: '2027-07-21' }
		],
		closures: [
			{ date: '2026-09-02', sessions: 'BOTH', kind: 'inset', description: 'INSET day' },
			{ date: '2026-10-09', sessions: 'BOTH', kind: 'inset', description: 'INSET day' },
			{ date: '2026-12-18', sessions: 'PM', kind: 'closure', description: 'Early finish for Christmas' },
			{ date: '2027-01-04', sessions: 'BOTH', kind: 'inset', description: 'INSET day' },
			{ date: '2027-05-03', sessions: 'BOTH', kind: 'bank_holiday', description: 'Early May bank holiday' },
			{ date: '2027-07-02', sessions: 'AM', kind: 'closure', description: 'Polling station' }
		]
	};
}

/** Millbrook-like register times (docs/domain-rules.md §5 example). */
export const TIMES: RegisterTimes = {
	AM: { opens: '08:40', closes: '09:15' },
	PM: { opens: '13:00', closes: '13:30' }
};
