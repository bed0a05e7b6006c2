import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { classifyEventTitle, parseCalendarCsv, parseCalendarDate, parseCalendarIcs, parseYearGroup } from '../../src/lib/domain/calendar-import';
import { bankHolidaysBetween, ENGLAND_BANK_HOLIDAYS } from '../../src/lib/domain/bank-holidays';
import { dayOfWeek, isWeekend } from '../../src/lib/domain/calendar';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/onboarding/${name}`, import.meta.url), 'utf8');

/** Easter Sunday (anonymous Gregorian algorithm), to check the Easter bank holidays in the data. */
function easter(year: number): string {
	const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
	const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
const shift = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('England bank holidays (data)', () => {
	it('has eight a year, every one on a weekday', () => {
		for (const year of [2025, 2026, 2027, 2028]) expect(ENGLAND_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}`))).toHaveLength(8);
		for (const h of ENGLAND_BANK_HOLIDAYS) expect(isWeekend(h.date), h.date).toBe(false);
	});
	it('puts Good Friday and Easter Monday around Easter, and the May and August holidays on Mondays', () => {
		for (const year of [2025, 2026, 2027, 2028]) {
			const inYear = ENGLAND_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}`));
			expect(inYear.find((h) => h.name === 'Good Friday')!.date).toBe(shift(easter(year), -2));
			expect(inYear.find((h) => h.name === 'Easter Monday')!.date).toBe(shift(easter(year), 1));
			for (const name of ['Early May bank holiday', 'Spring bank holiday', 'Summer bank holiday']) expect(dayOfWeek(inYear.find((h) => h.name === name)!.date)).toBe(1);
		}
	});
	it('finds those in a range', () => {
		expect(bankHolidaysBetween('2027-04-12', '2027-05-28').map((h) => h.date)).toEqual(['2027-05-03']);
	});
});

describe('calendar files', () => {
	it('reads dates and year groups as schools write them', () => {
		expect(parseCalendarDate('3/9/2026')).toBe('2026-09-03');
		expect(parseCalendarDate('2026-09-03')).toBe('2026-09-03');
		expect(parseCalendarDate('31/02/2026')).toBeNull();
		expect(['R', 'Reception', 'Year 6', 'Y6', '6', 'N'].map(parseYearGroup)).toEqual([0, 0, 6, 6, 6, -1]);
		expect(parseYearGroup('Year 14')).toBeNull();
	});

	it('reads the CSV: terms, INSET (half days too), closures and protected periods with year groups', () => {
		const { entries, problems } = parseCalendarCsv(fixture('calendar.csv'));
		expect(problems).toEqual([]);
		expect(entries.filter((e) => e.kind === 'term')).toHaveLength(6);
		expect(entries.find((e) => e.name === 'INSET day (afternoon)')).toMatchObject({ kind: 'inset', sessions: 'PM', startsOn: '2026-11-20', endsOn: '2026-11-20' });
		expect(entries.find((e) => e.name === 'KS2 SATs week')).toMatchObject({ kind: 'protected', yearGroups: [6], line: 11 });
		expect(entries.find((e) => e.name === 'First half term')!.yearGroups).toBeNull();
	});

	it('names the line of every problem in a CSV', () => {
		const r = parseCalendarCsv('Type,Name,Start,End\nTerm,A,01/09/2026,01/08/2026\nHoliday,B,02/09/2026,\nTerm,C,soon,\n');
		expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4]);
		expect(parseCalendarCsv('Name,Start\nA,01/09/2026\n').problems[0]).toEqual({ line: 1, code: 'csv_header_missing', column: 'Type' });
	});

	it('reads an iCalendar feed: all-day end dates are exclusive, holidays are skipped', () => {
		const { entries, problems } = parseCalendarIcs(fixture('calendar.ics'));
		expect(problems).toEqual([]);
		expect(entries.map((e) => [e.kind, e.startsOn, e.endsOn])).toEqual([
			['term', '2026-09-03', '2026-10-23'],
			['term', '2026-11-02', '2026-12-18'],
			['inset', '2026-09-03', '2026-09-03'],
			['protected', '2026-12-07', '2026-12-11']
		]);
		expect(entries[3]!.yearGroups).toEqual([6]);
	});

	it('says which event it cannot place, and what is not iCalendar', () => {
		const ics = 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261001\nSUMMARY:Harvest festival\nEND:VEVENT\nEND:VCALENDAR\n';
		expect(parseCalendarIcs(ics).problems).toEqual([{ line: 2, code: 'ics_unknown_event', summary: 'Harvest festival' }]);
		expect(parseCalendarIcs('hello').problems).toEqual([{ line: 1, code: 'ics_not_calendar' }]);
		expect(['Autumn Term 1', 'Staff training day', 'Easter holiday', 'Year 6 SATs', 'School closed: polling'].map(classifyEventTitle)).toEqual(['term', 'inset', 'holiday', 'protected', 'closure']);
	});
});
