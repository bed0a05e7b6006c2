import { afterEach, describe, expect, it } from 'vitest';
import {
	N_RESOLUTION_SCHOOL_DAYS,
	academicYearBounds,
	academicYearOf,
	addDays,
	addSchoolDays,
	compareDates,
	countSchoolDays,
	countSchoolSessions,
	dayOfWeek,
	daysBetween,
	isOverdueN,
	isReportInTime,
	isSchoolDay,
	isValidIsoDate,
	isValidTimeZone,
	isWeekend,
	localDateOf,
	localTimeOf,
	nResolutionDeadline,
	nextSchoolDay,
	parseTimeOfDay,
	previousSchoolDay,
	registerWindow,
	reportTiming,
	schoolDaysBetween,
	schoolDaysSince,
	schoolSessionsBetween,
	schoolSessionsOn,
	schoolWeeksEndingAt,
	startOfIsoWeek,
	termContaining,
	validateCalendar,
	zonedInstant,
	type SchoolCalendar
} from '../../src/lib/domain/calendar';
import { TIMES, calendar2026 } from './fixtures';

const cal = calendar2026();
const LONDON = 'Europe/London';
const iso = (d: Date) => d.toISOString();

describe('IsoDate basics', () => {
	it.each([
		['2026-09-01', true],
		['2028-02-29', true],
		['2000-02-29', true],
		['2026-02-29', false],
		['1900-02-29', false],
		['2026-04-31', false],
		['2026-13-01', false],
		['2026-00-10', false],
		['2026-01-00', false],
		['2026-1-01', false],
		['26-01-01', false],
		['2026-01-01T00:00:00Z', false],
		[' 2026-01-01', false],
		['', false],
		['2026/01/01', false]
	])('isValidIsoDate(%j) = %s', (value, ok) => {
		expect(isValidIsoDate(value)).toBe(ok);
	});

	it('isValidIsoDate rejects non-strings', () => {
		expect(isValidIsoDate(20260101)).toBe(false);
		expect(isValidIsoDate(null)).toBe(false);
	});

	it.each([
		['2026-10-24', 1, '2026-10-25'],
		['2026-10-25', 1, '2026-10-26'], // BST ends: still exactly one calendar day
		['2027-03-27', 2, '2027-03-29'], // BST starts
		['2026-12-31', 1, '2027-01-01'],
		['2028-02-28', 1, '2028-02-29'],
		['2027-02-28', 1, '2027-03-01'],
		['2026-03-01', -1, '2026-02-28'],
		['2026-09-01', 0, '2026-09-01'],
		['2026-09-01', 365, '2027-09-01'],
		['2027-01-01', -365, '2026-01-01']
	])('addDays(%s, %i) = %s', (date, n, expected) => {
		expect(addDays(date, n)).toBe(expected);
	});

	it('addDays rejects an invalid date or a fractional n', () => {
		expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
		expect(() => addDays('2026-02-01', 0.5)).toThrow(RangeError);
	});

	it('compareDates orders dates and works as a sort comparator', () => {
		expect(compareDates('2026-09-01', '2026-09-02')).toBe(-1);
		expect(compareDates('2026-09-02', '2026-09-01')).toBe(1);
		expect(compareDates('2026-09-01', '2026-09-01')).toBe(0);
		expect(compareDates('2026-12-31', '2027-01-01')).toBe(-1);
		expect(['2027-01-01', '2026-09-01', '2026-12-31'].sort(compareDates)).toEqual([
			'2026-09-01',
			'2026-12-31',
			'2027-01-01'
		]);
		expect(() => compareDates('2026-9-1', '2026-09-01')).toThrow(RangeError);
	});

	it('daysBetween counts calendar days across BST changes', () => {
		expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
		expect(daysBetween('2027-03-29', '2027-03-27')).toBe(-2);
		expect(daysBetween('2026-09-01', '2027-09-01')).toBe(365);
	});

	it('dayOfWeek and isWeekend', () => {
		expect(dayOfWeek('2026-09-01')).toBe(2); // Tuesday
		expect(dayOfWeek('2026-10-25')).toBe(0); // Sunday, BST ends
		expect(dayOfWeek('2027-03-28')).toBe(0); // Sunday, BST starts
		expect(isWeekend('2026-10-24')).toBe(true);
		expect(isWeekend('2026-10-25')).toBe(true);
		expect(isWeekend('2026-10-26')).toBe(false);
		expect(isWeekend('2026-10-23')).toBe(false);
		expect(isWeekend('1970-01-01')).toBe(false); // Thursday
		expect(isWeekend('1969-12-28')).toBe(true); // Sunday before the epoch
	});

	it('startOfIsoWeek is the Monday (Sunday belongs to the week before)', () => {
		expect(startOfIsoWeek('2026-10-25')).toBe('2026-10-19');
		expect(startOfIsoWeek('2026-10-26')).toBe('2026-10-26');
		expect(startOfIsoWeek('2027-01-01')).toBe('2026-12-28');
	});
});

describe('terms, closures and sessions', () => {
	it('termContaining uses inclusive bounds', () => {
		expect(termContaining(cal, '2026-09-02')?.name).toBe('Autumn 1');
		expect(termContaining(cal, '2026-10-23')?.name).toBe('Autumn 1');
		expect(termContaining(cal, '2026-10-24')).toBeUndefined();
		expect(termContaining(cal, '2026-10-28')).toBeUndefined(); // half term
		expect(termContaining(cal, '2026-11-02')?.name).toBe('Autumn 2');
		expect(termContaining(cal, '2027-07-21')?.name).toBe('Summer 2');
		expect(termContaining(cal, '2027-07-22')).toBeUndefined();
		expect(termContaining(cal, '2026-09-01')).toBeUndefined();
	});

	it.each([
		['2026-09-03', ['AM', 'PM']], // ordinary Thursday
		['2026-09-05', []], // Saturday in term
		['2026-09-06', []], // Sunday in term
		['2026-09-02', []], // INSET (whole day)
		['2026-10-09', []], // INSET
		['2026-10-28', []], // half-term holiday
		['2026-12-18', ['AM']], // PM closure
		['2027-07-02', ['PM']], // AM closure
		['2027-05-03', []], // bank holiday
		['2027-03-26', []], // Good Friday, outside term
		['2027-08-02', []] // summer holiday
	])('schoolSessionsOn(%s) = %j', (date, sessions) => {
		expect(schoolSessionsOn(cal, date)).toEqual(sessions);
	});

	it('two half-day closures on one date close the whole day', () => {
		const c: SchoolCalendar = {
			...cal,
			closures: [
				...cal.closures,
				{ date: '2026-09-10', sessions: 'AM', kind: 'closure', description: 'a' },
				{ date: '2026-09-10', sessions: 'PM', kind: 'inset', description: 'b' }
			]
		};
		expect(schoolSessionsOn(c, '2026-09-10')).toEqual([]);
		expect(isSchoolDay(c, '2026-09-10')).toBe(false);
		expect(countSchoolSessions(c, '2026-09-07', '2026-09-11')).toBe(8);
	});

	it('isSchoolDay: a half day is a school day; INSET, weekend and holiday are not', () => {
		expect(isSchoolDay(cal, '2026-12-18')).toBe(true);
		expect(isSchoolDay(cal, '2027-07-02')).toBe(true);
		expect(isSchoolDay(cal, '2026-09-03')).toBe(true);
		expect(isSchoolDay(cal, '2026-09-02')).toBe(false);
		expect(isSchoolDay(cal, '2026-09-05')).toBe(false);
		expect(isSchoolDay(cal, '2026-12-23')).toBe(false);
	});

	it('schoolDaysBetween is inclusive and skips weekends, INSET and half term', () => {
		expect(schoolDaysBetween(cal, '2026-10-05', '2026-10-13')).toEqual([
			'2026-10-05',
			'2026-10-06',
			'2026-10-07',
			'2026-10-08',
			// 9 Oct INSET, 10–11 weekend
			'2026-10-12',
			'2026-10-13'
		]);
		expect(schoolDaysBetween(cal, '2026-10-22', '2026-11-03')).toEqual([
			'2026-10-22',
			'2026-10-23',
			'2026-11-02',
			'2026-11-03'
		]);
		expect(schoolDaysBetween(cal, '2026-10-13', '2026-10-05')).toEqual([]);
		expect(schoolDaysBetween(cal, '2026-10-24', '2026-11-01')).toEqual([]);
		expect(schoolDaysBetween(cal, '2026-12-18', '2026-12-18')).toEqual(['2026-12-18']);
	});

	it('schoolSessionsBetween lists AM before PM and drops closed half days', () => {
		expect(schoolSessionsBetween(cal, '2026-12-17', '2027-01-05')).toEqual([
			{ date: '2026-12-17', session: 'AM' },
			{ date: '2026-12-17', session: 'PM' },
			{ date: '2026-12-18', session: 'AM' },
			{ date: '2027-01-05', session: 'AM' },
			{ date: '2027-01-05', session: 'PM' }
		]);
		expect(schoolSessionsBetween(cal, '2027-07-01', '2027-07-02')).toEqual([
			{ date: '2027-07-01', session: 'AM' },
			{ date: '2027-07-01', session: 'PM' },
			{ date: '2027-07-02', session: 'PM' }
		]);
	});

	it('counts each half term and the 190-day year (half days count 0.5)', () => {
		expect(countSchoolDays(cal, '2026-09-02', '2026-10-23')).toBe(36);
		expect(countSchoolDays(cal, '2026-11-02', '2026-12-18')).toBe(34.5);
		expect(countSchoolDays(cal, '2027-01-04', '2027-02-12')).toBe(29);
		expect(countSchoolDays(cal, '2027-02-22', '2027-03-25')).toBe(24);
		expect(countSchoolDays(cal, '2027-04-12', '2027-05-28')).toBe(34);
		expect(countSchoolDays(cal, '2027-06-07', '2027-07-21')).toBe(32.5);
		expect(countSchoolDays(cal, '2026-09-01', '2027-08-31')).toBe(190);
		expect(countSchoolSessions(cal, '2026-09-01', '2027-08-31')).toBe(380);
		expect(countSchoolDays(cal, '2026-12-18', '2026-12-18')).toBe(0.5);
		expect(countSchoolDays(cal, '2027-08-01', '2027-07-01')).toBe(0);
	});

	it('does not double count when terms overlap (bad data) and ignores unsorted order', () => {
		const c: SchoolCalendar = {
			timeZone: LONDON,
			terms: [
				{ name: 'B', startsOn: '2026-09-09', endsOn: '2026-09-18' },
				{ name: 'A', startsOn: '2026-09-07', endsOn: '2026-09-11' }
			],
			closures: []
		};
		expect(countSchoolDays(c, '2026-09-01', '2026-09-30')).toBe(10);
		expect(schoolDaysBetween(c, '2026-09-01', '2026-09-30')[0]).toBe('2026-09-07');
	});

	it('an empty calendar has no school days', () => {
		const empty: SchoolCalendar = { timeZone: LONDON, terms: [], closures: [] };
		expect(schoolSessionsOn(empty, '2026-09-07')).toEqual([]);
		expect(countSchoolDays(empty, '2026-09-01', '2027-08-31')).toBe(0);
	});
});

describe('academic years', () => {
	it.each([
		['2026-09-01', '2026/27'],
		['2027-08-31', '2026/27'],
		['2026-08-31', '2025/26'],
		['2027-01-15', '2026/27'],
		['1999-09-01', '1999/00'],
		['2099-12-01', '2099/00'],
		['2009-09-01', '2009/10']
	])('academicYearOf(%s) = %s', (date, year) => {
		expect(academicYearOf(date)).toBe(year);
	});

	it('academicYearBounds uses the first term start and the last term end', () => {
		const expected = { startsOn: '2026-09-02', endsOn: '2027-07-21', academicYear: '2026/27', fromCalendar: true };
		expect(academicYearBounds(cal, '2027-01-15')).toEqual(expected);
		expect(academicYearBounds(cal, '2026-12-25')).toEqual(expected); // Christmas holiday
		expect(academicYearBounds(cal, '2027-08-10')).toEqual(expected); // summer holiday, same year
		expect(academicYearBounds(cal, '2026-09-01')).toEqual(expected); // day before term
	});

	it('falls back to 1 Sep – 31 Aug when the calendar has no terms for that year', () => {
		expect(academicYearBounds(cal, '2026-08-20')).toEqual({
			startsOn: '2025-09-01',
			endsOn: '2026-08-31',
			academicYear: '2025/26',
			fromCalendar: false
		});
	});

	it('a term starting in late August belongs to the year it ends in', () => {
		const c: SchoolCalendar = {
			timeZone: LONDON,
			terms: [
				{ name: 'Summer 2', startsOn: '2026-06-01', endsOn: '2026-07-17' },
				{ name: 'Autumn 1', startsOn: '2026-08-27', endsOn: '2026-10-16' }
			],
			closures: []
		};
		expect(academicYearBounds(c, '2026-08-28')).toMatchObject({ startsOn: '2026-08-27', endsOn: '2026-10-16', academicYear: '2026/27' });
		expect(academicYearBounds(c, '2026-07-01')).toMatchObject({ startsOn: '2026-06-01', endsOn: '2026-07-17', academicYear: '2025/26' });
	});
});

describe('stepping through school days', () => {
	it.each([
		['2026-10-15', 1, '2026-10-16'],
		['2026-10-16', 1, '2026-10-19'], // over a weekend
		['2026-10-08', 1, '2026-10-12'], // over INSET Friday and the weekend
		['2026-10-23', 1, '2026-11-02'], // over half term
		['2026-12-17', 1, '2026-12-18'], // a half day is a school day
		['2026-12-18', 1, '2027-01-05'], // Christmas, then INSET on 4 Jan
		['2026-10-07', 5, '2026-10-15'],
		['2026-10-24', 1, '2026-11-02'], // starting on a Saturday in the holiday
		['2026-11-02', -1, '2026-10-23'],
		['2026-10-12', -1, '2026-10-08'],
		['2027-01-05', -2, '2026-12-17'],
		['2026-10-17', 0, '2026-10-17']
	])('addSchoolDays(%s, %i) = %s', (date, n, expected) => {
		expect(addSchoolDays(cal, date, n)).toBe(expected);
	});

	it('returns undefined when the calendar runs out', () => {
		expect(addSchoolDays(cal, '2027-07-21', 1)).toBeUndefined();
		expect(addSchoolDays(cal, '2027-07-19', 3)).toBeUndefined();
		expect(addSchoolDays(cal, '2027-07-19', 2)).toBe('2027-07-21');
		expect(addSchoolDays(cal, '2026-09-03', -1)).toBeUndefined(); // 2 Sep is INSET
		expect(addSchoolDays({ timeZone: LONDON, terms: [], closures: [] }, '2026-09-03', 1)).toBeUndefined();
	});

	it('rejects a fractional n', () => {
		expect(() => addSchoolDays(cal, '2026-10-07', 1.5)).toThrow(RangeError);
	});

	it('nextSchoolDay and previousSchoolDay', () => {
		expect(nextSchoolDay(cal, '2026-10-08')).toBe('2026-10-12');
		expect(nextSchoolDay(cal, '2027-05-02')).toBe('2027-05-04'); // bank holiday Monday
		expect(previousSchoolDay(cal, '2027-05-04')).toBe('2027-04-30');
		expect(previousSchoolDay(cal, '2027-01-05')).toBe('2026-12-18');
		expect(nextSchoolDay(cal, '2027-07-21')).toBeUndefined();
		expect(previousSchoolDay(cal, '2026-09-03')).toBeUndefined();
	});
});

describe('schoolWeeksEndingAt', () => {
	it('spans the October half term, skipping the holiday week', () => {
		const weeks = schoolWeeksEndingAt(cal, '2026-11-11', 10);
		expect(weeks.map((w) => w.weekStart)).toEqual([
			'2026-08-31', // INSET Wed 2 Sep, school Thu 3 – Fri 4
			'2026-09-07',
			'2026-09-14',
			'2026-09-21',
			'2026-09-28',
			'2026-10-05',
			'2026-10-12',
			'2026-10-19',
			// 26 Oct half term skipped
			'2026-11-02',
			'2026-11-09'
		]);
		expect(weeks[0]).toEqual({ weekStart: '2026-08-31', weekEnd: '2026-09-06' });
		expect(weeks[9]).toEqual({ weekStart: '2026-11-09', weekEnd: '2026-11-15' });
	});

	it('spans two terms and the Christmas holiday', () => {
		const weeks = schoolWeeksEndingAt(cal, '2027-01-20', 10);
		expect(weeks.map((w) => w.weekStart)).toEqual([
			'2026-11-02',
			'2026-11-09',
			'2026-11-16',
			'2026-11-23',
			'2026-11-30',
			'2026-12-07',
			'2026-12-14', // ends with the half day on Fri 18 Dec
			'2027-01-04', // INSET Mon, school Tue–Fri
			'2027-01-11',
			'2027-01-18'
		]);
	});

	it('does not include a holiday week containing asOf', () => {
		const weeks = schoolWeeksEndingAt(cal, '2026-10-28', 2);
		expect(weeks).toEqual([
			{ weekStart: '2026-10-12', weekEnd: '2026-10-18' },
			{ weekStart: '2026-10-19', weekEnd: '2026-10-25' }
		]);
	});

	it('treats a Sunday as the end of its Monday–Sunday week', () => {
		expect(schoolWeeksEndingAt(cal, '2026-10-25', 1)).toEqual([{ weekStart: '2026-10-19', weekEnd: '2026-10-25' }]);
	});

	it('skips an in-term week in which every day is closed', () => {
		const c: SchoolCalendar = {
			timeZone: LONDON,
			terms: [{ name: 'Spring 1', startsOn: '2027-01-04', endsOn: '2027-01-22' }],
			closures: ['2027-01-11', '2027-01-12', '2027-01-13', '2027-01-14', '2027-01-15'].map((date) => ({
				date,
				sessions: 'BOTH' as const,
				kind: 'closure' as const,
				description: 'Heating failure'
			}))
		};
		expect(schoolWeeksEndingAt(c, '2027-01-20', 3).map((w) => w.weekStart)).toEqual(['2027-01-04', '2027-01-18']);
	});

	it('returns fewer weeks when the calendar starts later, and none for n = 0', () => {
		expect(schoolWeeksEndingAt(cal, '2026-09-16', 10).map((w) => w.weekStart)).toEqual([
			'2026-08-31',
			'2026-09-07',
			'2026-09-14'
		]);
		expect(schoolWeeksEndingAt(cal, '2026-09-16', 0)).toEqual([]);
		expect(() => schoolWeeksEndingAt(cal, '2026-09-16', -1)).toThrow(RangeError);
	});
});

describe('overdue N (resolve within 5 school days)', () => {
	it('the limit is 5 school days', () => {
		expect(N_RESOLUTION_SCHOOL_DAYS).toBe(5);
	});

	it('counts school days after the mark up to and including today, across INSET and a weekend', () => {
		// N on Wed 7 Oct 2026; Fri 9 Oct is INSET; 10–11 Oct weekend.
		expect(schoolDaysSince(cal, '2026-10-07', '2026-10-07')).toBe(0);
		expect(schoolDaysSince(cal, '2026-10-07', '2026-10-08')).toBe(1);
		expect(schoolDaysSince(cal, '2026-10-07', '2026-10-11')).toBe(1);
		expect(schoolDaysSince(cal, '2026-10-07', '2026-10-15')).toBe(5);
		expect(schoolDaysSince(cal, '2026-10-07', '2026-10-16')).toBe(6);
		expect(schoolDaysSince(cal, '2026-10-07', '2026-10-01')).toBe(0);
		expect(nResolutionDeadline(cal, '2026-10-07')).toBe('2026-10-15');
	});

	it.each([
		['2026-10-07', '2026-10-07', false],
		['2026-10-07', '2026-10-14', false],
		['2026-10-07', '2026-10-15', false], // 5th school day: last day to resolve
		['2026-10-07', '2026-10-16', true], // 6th school day
		['2026-10-12', '2026-10-16', false], // Mon → Fri = 4 days
		['2026-10-12', '2026-10-18', false], // weekend does not count
		['2026-10-12', '2026-10-19', false], // 5th
		['2026-10-12', '2026-10-20', true],
		['2026-10-20', '2026-10-30', false], // half term: only 3 school days so far
		['2026-10-20', '2026-11-03', false], // Wed, Thu, Fri, Mon, Tue = 5
		['2026-10-20', '2026-11-04', true],
		['2026-12-14', '2027-01-05', false], // Tue…Fri½, INSET 4 Jan, Tue 5 Jan = 5
		['2026-12-14', '2027-01-06', true]
	])('N on %s, today %s → overdue %s', (mark, today, overdue) => {
		expect(isOverdueN(cal, mark, today)).toBe(overdue);
	});

	it('agrees with the deadline: overdue exactly on the day after it', () => {
		for (const mark of ['2026-09-03', '2026-10-07', '2026-10-20', '2026-12-14', '2027-03-22']) {
			const deadline = nResolutionDeadline(cal, mark);
			expect(deadline).toBeDefined();
			expect(isOverdueN(cal, mark, deadline!)).toBe(false);
			expect(isOverdueN(cal, mark, addDays(deadline!, 1))).toBe(isSchoolDay(cal, addDays(deadline!, 1)));
			const nextDay = nextSchoolDay(cal, deadline!)!;
			expect(isOverdueN(cal, mark, nextDay)).toBe(true);
		}
	});

	it('does not become overdue during the summer holiday before the next calendar is loaded', () => {
		expect(isOverdueN(cal, '2027-07-19', '2027-08-20')).toBe(false);
		expect(nResolutionDeadline(cal, '2027-07-19')).toBeUndefined();
	});
});

describe('wall-clock times and register windows (Europe/London)', () => {
	it('parseTimeOfDay accepts HH:MM and HH:MM:SS', () => {
		expect(parseTimeOfDay('09:15')).toBe(555);
		expect(parseTimeOfDay('00:00')).toBe(0);
		expect(parseTimeOfDay('23:59')).toBe(1439);
		expect(parseTimeOfDay('13:30:00')).toBe(810);
		for (const bad of ['9:15', '24:00', '09:60', '0915', '', '09:15pm', '09:15:60']) {
			expect(() => parseTimeOfDay(bad)).toThrow(RangeError);
		}
	});

	it('isValidTimeZone', () => {
		expect(isValidTimeZone('Europe/London')).toBe(true);
		expect(isValidTimeZone('UTC')).toBe(true);
		expect(isValidTimeZone('Europe/Londres')).toBe(false);
		expect(isValidTimeZone('')).toBe(false);
	});

	it('isValidTimeZone gives the same answer when asked again (answers are remembered)', () => {
		for (let i = 0; i < 3; i++) {
			expect(isValidTimeZone('Europe/Lisbon')).toBe(true);
			expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
		}
		// More distinct names than are remembered still get right answers.
		for (let i = 0; i < 100; i++) expect(isValidTimeZone(`Nowhere/Zone_${i}`)).toBe(false);
		expect(isValidTimeZone('Asia/Dhaka')).toBe(true);
	});

	it.each([
		// BST (UTC+1)
		['2026-10-01', 'AM', '2026-10-01T07:40:00.000Z', '2026-10-01T08:15:00.000Z'],
		['2026-10-01', 'PM', '2026-10-01T12:00:00.000Z', '2026-10-01T12:30:00.000Z'],
		['2026-10-23', 'AM', '2026-10-23T07:40:00.000Z', '2026-10-23T08:15:00.000Z'], // Fri before BST ends
		['2026-10-24', 'AM', '2026-10-24T07:40:00.000Z', '2026-10-24T08:15:00.000Z'], // Sat, still BST
		// GMT from 01:00 UTC on Sun 25 Oct 2026
		['2026-10-25', 'AM', '2026-10-25T08:40:00.000Z', '2026-10-25T09:15:00.000Z'],
		['2026-10-26', 'AM', '2026-10-26T08:40:00.000Z', '2026-10-26T09:15:00.000Z'],
		['2026-11-02', 'AM', '2026-11-02T08:40:00.000Z', '2026-11-02T09:15:00.000Z'],
		['2026-11-02', 'PM', '2026-11-02T13:00:00.000Z', '2026-11-02T13:30:00.000Z'],
		['2027-03-26', 'AM', '2027-03-26T08:40:00.000Z', '2027-03-26T09:15:00.000Z'], // Fri before BST starts
		// BST from 01:00 UTC on Sun 28 Mar 2027
		['2027-03-28', 'AM', '2027-03-28T07:40:00.000Z', '2027-03-28T08:15:00.000Z'],
		['2027-03-29', 'AM', '2027-03-29T07:40:00.000Z', '2027-03-29T08:15:00.000Z'],
		['2027-03-29', 'PM', '2027-03-29T12:00:00.000Z', '2027-03-29T12:30:00.000Z']
	] as const)('registerWindow %s %s', (date, session, opens, closes) => {
		const w = registerWindow(LONDON, date, session, TIMES);
		expect(iso(w.opensAt)).toBe(opens);
		expect(iso(w.closesAt)).toBe(closes);
	});

	it('matches the brief: 09:15 is 08:15Z on 1 Oct 2026 and 09:15Z on 2 Nov 2026', () => {
		expect(iso(zonedInstant(LONDON, '2026-10-01', '09:15'))).toBe('2026-10-01T08:15:00.000Z');
		expect(iso(zonedInstant(LONDON, '2026-11-02', '09:15'))).toBe('2026-11-02T09:15:00.000Z');
	});

	it('works for another zone and for PostgreSQL-style HH:MM:SS times', () => {
		const w = registerWindow('America/New_York', '2026-07-01', 'AM', {
			AM: { opens: '08:00:00', closes: '08:30:00' },
			PM: { opens: '12:30:00', closes: '13:00:00' }
		});
		expect(iso(w.opensAt)).toBe('2026-07-01T12:00:00.000Z');
		expect(iso(w.closesAt)).toBe('2026-07-01T12:30:00.000Z');
	});

	it('rejects a window that closes before it opens, a bad zone or a bad date', () => {
		const bad = { AM: { opens: '09:15', closes: '08:40' }, PM: TIMES.PM };
		expect(() => registerWindow(LONDON, '2026-10-01', 'AM', bad)).toThrow(/must close after it opens/);
		expect(() => registerWindow(LONDON, '2026-10-01', 'AM', { AM: { opens: '09:00', closes: '09:00' }, PM: TIMES.PM })).toThrow(RangeError);
		expect(() => registerWindow('Mars/Olympus', '2026-10-01', 'AM', TIMES)).toThrow(/Unknown time zone/);
		expect(() => registerWindow(LONDON, '2026-02-30', 'AM', TIMES)).toThrow(RangeError);
	});

	it.each([
		['2026-10-24T23:30:00Z', '2026-10-25', '00:30'], // BST: already Sunday locally
		['2026-10-25T00:30:00Z', '2026-10-25', '01:30'], // first 01:30 (BST)
		['2026-10-25T01:30:00Z', '2026-10-25', '01:30'], // second 01:30 (GMT)
		['2026-10-25T23:30:00Z', '2026-10-25', '23:30'], // GMT
		['2027-03-28T00:59:00Z', '2027-03-28', '00:59'],
		['2027-03-28T01:00:00Z', '2027-03-28', '02:00'], // clocks go forward
		['2026-06-30T23:30:00Z', '2026-07-01', '00:30'],
		['2026-12-31T23:59:00Z', '2026-12-31', '23:59']
	])('localDateOf/localTimeOf(%s) = %s %s', (instant, date, time) => {
		expect(localDateOf(new Date(instant), LONDON)).toBe(date);
		expect(localTimeOf(new Date(instant), LONDON)).toBe(time);
	});

	it('localDateOf answers each instant right when calls run through local midnight and between zones (its last answer is reused only within one UTC minute)', () => {
		// London's midnight in BST is 23:00Z: the same UTC minute's last answer must not leak across it.
		const sequence: [string, string, string][] = [
			['2026-10-01T22:59:00.000Z', LONDON, '2026-10-01'],
			['2026-10-01T22:59:59.999Z', LONDON, '2026-10-01'],
			['2026-10-01T23:00:00.000Z', LONDON, '2026-10-02'],
			['2026-10-01T23:00:30.000Z', 'Asia/Kolkata', '2026-10-02'],
			['2026-10-01T23:00:30.000Z', 'America/New_York', '2026-10-01'],
			['2026-10-01T23:00:59.999Z', LONDON, '2026-10-02'],
			['2026-10-01T18:29:59.000Z', 'Asia/Kolkata', '2026-10-01'], // +05:30: midnight at 18:30Z
			['2026-10-01T18:30:00.000Z', 'Asia/Kolkata', '2026-10-02'],
			['2026-10-01T22:59:59.999Z', LONDON, '2026-10-01'], // back in time
			['1970-01-01T00:00:00.000Z', LONDON, '1970-01-01'] // before whole-minute offsets: never reused
		];
		for (const [instant, zone, date] of sequence) expect(localDateOf(new Date(instant), zone)).toBe(date);
	});

	it('zonedInstant gives a new Date each time: changing one never changes the next answer', () => {
		const first = zonedInstant(LONDON, '2026-10-01', '09:15');
		first.setUTCHours(0);
		expect(iso(zonedInstant(LONDON, '2026-10-01', '09:15'))).toBe('2026-10-01T08:15:00.000Z');
		expect(iso(zonedInstant('Asia/Kolkata', '2026-10-01', '09:15'))).toBe('2026-10-01T03:45:00.000Z');
		expect(() => zonedInstant('Nowhere/Place', '2026-10-01', '09:15')).toThrow(RangeError);
	});

	it('localDateOf rejects an invalid instant or zone', () => {
		expect(() => localDateOf(new Date('nonsense'), LONDON)).toThrow(RangeError);
		expect(() => localTimeOf(new Date(), 'Nowhere/Place')).toThrow(RangeError);
	});
});

describe('reportTiming', () => {
	// When the report was made, the day and session it is for, and what it is.
	it.each([
		// A BST day (1 Oct 2026): the AM register 08:40–09:15 local is 07:40–08:15Z.
		['2026-09-30T19:00:00Z', '2026-10-01', 'AM', 'early'],
		['2026-10-01T07:39:59Z', '2026-10-01', 'AM', 'early'],
		['2026-10-01T07:40:00Z', '2026-10-01', 'AM', 'on_time'],
		['2026-10-01T08:14:59.999Z', '2026-10-01', 'AM', 'on_time'],
		['2026-10-01T08:15:00Z', '2026-10-01', 'AM', 'late'],
		['2026-10-01T08:30:00Z', '2026-10-01', 'AM', 'late'],
		// The same UTC instant is late before the clocks go back and early after: 08:30Z is
		// 09:30 BST on Fri 23 Oct, but 08:30 GMT on Mon 26 Oct.
		['2026-10-23T08:30:00Z', '2026-10-23', 'AM', 'late'],
		['2026-10-26T08:30:00Z', '2026-10-26', 'AM', 'early'],
		['2026-10-26T09:00:00Z', '2026-10-26', 'AM', 'on_time'],
		['2026-10-26T09:15:00Z', '2026-10-26', 'AM', 'late'],
		// After the clocks go forward (Mon 29 Mar 2027).
		['2027-03-29T08:14:00Z', '2027-03-29', 'AM', 'on_time'],
		['2027-03-29T08:15:00Z', '2027-03-29', 'AM', 'late'],
		['2027-03-26T09:14:00Z', '2027-03-26', 'AM', 'on_time'],
		// PM sessions use the PM register; a report at 09:30 for this afternoon is early, not late.
		['2026-11-02T12:59:00Z', '2026-11-02', 'PM', 'early'],
		['2026-11-02T13:29:00Z', '2026-11-02', 'PM', 'on_time'],
		['2026-11-02T13:30:00Z', '2026-11-02', 'PM', 'late'],
		['2026-11-02T09:30:00Z', '2026-11-02', 'PM', 'early'],
		// A report for a future day is early; for a past day late.
		['2026-11-02T10:00:00Z', '2026-11-05', 'AM', 'early'],
		['2026-11-06T07:00:00Z', '2026-11-05', 'AM', 'late']
	] as const)('a report at %s for %s %s is %s', (at, day, session, timing) => {
		expect(reportTiming(new Date(at), LONDON, day, session, TIMES)).toBe(timing);
	});

	it('isReportInTime: early and on time count as in time', () => {
		expect(isReportInTime('early')).toBe(true);
		expect(isReportInTime('on_time')).toBe(true);
		expect(isReportInTime('late')).toBe(false);
	});

	it('rejects an invalid instant', () => {
		expect(() => reportTiming(new Date(Number.NaN), LONDON, '2026-11-02', 'AM', TIMES)).toThrow(RangeError);
	});
});

describe('validateCalendar', () => {
	it('accepts the fixture', () => {
		expect(validateCalendar(cal)).toEqual([]);
	});

	it('reports each kind of problem with its values', () => {
		const problems = validateCalendar({
			timeZone: 'Europe/Lundun',
			terms: [
				{ name: 'Autumn 1', startsOn: '2026-09-02', endsOn: '2026-10-23' },
				{ name: 'Autumn 2', startsOn: '2026-10-19', endsOn: '2026-12-18' },
				{ name: 'Backwards', startsOn: '2027-02-12', endsOn: '2027-01-04' },
				{ name: 'Broken', startsOn: '2027-02-30', endsOn: '2027-03-25' }
			],
			closures: [
				{ date: '2026-12-25', sessions: 'BOTH', kind: 'bank_holiday', description: 'Christmas Day' },
				{ date: '2026-13-01', sessions: 'BOTH', kind: 'closure', description: 'Typo' }
			]
		});
		expect(problems).toEqual([
			{ code: 'unknown_time_zone', timeZone: 'Europe/Lundun' },
			{ code: 'term_ends_before_start', term: 'Backwards', startsOn: '2027-02-12', endsOn: '2027-01-04' },
			{ code: 'term_invalid_date', term: 'Broken' },
			{ code: 'terms_overlap', first: 'Autumn 1', second: 'Autumn 2' },
			{ code: 'closure_outside_terms', date: '2026-12-25', what: 'Christmas Day' },
			{ code: 'closure_invalid_date', description: 'Typo', date: '2026-13-01' }
		]);
	});
});

describe('independence from the machine time zone', () => {
	const original = process.env.TZ;
	afterEach(() => {
		if (original === undefined) delete process.env.TZ;
		else process.env.TZ = original;
	});

	for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles', 'Asia/Kolkata']) {
		it(`gives the same answers with TZ=${zone}`, () => {
			process.env.TZ = zone;
			expect(isWeekend('2026-10-25')).toBe(true);
			expect(dayOfWeek('2027-03-29')).toBe(1);
			expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
			expect(addDays('2027-03-28', -1)).toBe('2027-03-27');
			expect(countSchoolDays(cal, '2026-09-01', '2027-08-31')).toBe(190);
			expect(iso(registerWindow(LONDON, '2026-10-23', 'AM', TIMES).closesAt)).toBe('2026-10-23T08:15:00.000Z');
			expect(iso(registerWindow(LONDON, '2026-10-26', 'AM', TIMES).closesAt)).toBe('2026-10-26T09:15:00.000Z');
			expect(localDateOf(new Date('2026-10-24T23:30:00Z'), LONDON)).toBe('2026-10-25');
			expect(localTimeOf(new Date('2027-03-28T01:00:00Z'), LONDON)).toBe('02:00');
			expect(isOverdueN(cal, '2026-10-07', '2026-10-16')).toBe(true);
		});
	}
});
