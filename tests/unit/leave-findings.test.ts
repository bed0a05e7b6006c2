import { describe, expect, it } from 'vitest';
import { evaluateLeave, leaveErrorText, leavePointText, type LeaveErrorFinding, type LeaveInput, type LeavePointFinding } from '../../src/lib/domain/leave';
import { LOCALES } from '../../src/lib/domain/locale';
import { leaveErrorLabel, leavePointLabel, localiseLeaveErrors, localiseLeavePoints } from '../../src/lib/i18n-leave';
import { calendar2026 } from './fixtures';

const cal = calendar2026();
const base: LeaveInput = {
	type: 'exceptional',
	from: '2026-11-23',
	to: '2026-11-24',
	reason: 'A family holiday, flights are cheaper',
	today: '2026-11-16',
	noticeDays: 14,
	protectedPeriods: [{ name: 'Mock exams', startsOn: '2026-11-23', endsOn: '2026-11-27' }],
	attendance: [{ name: 'Ella', percent: 93.25, yearGroup: 4 }]
};

const POINTS: LeavePointFinding[] = [
	{ kind: 'sessions', schoolDays: 2, sessions: 4 },
	{ kind: 'notice_met', givenDays: 21, requiredDays: 14 },
	{ kind: 'notice_short', givenDays: 7, requiredDays: 14 },
	{ kind: 'protected_period', name: 'Mock exams' },
	{ kind: 'religious_one_day' },
	{ kind: 'holiday_not_exceptional' },
	{ kind: 'low_attendance', name: 'Ella', percent: 93.25 },
	{ kind: 'no_retrospective' },
	{ kind: 'calendar_not_published', academicYears: ['2027/28'] },
	{ kind: 'notice_not_needed' },
	{ kind: 'wedding_one_day' },
	{ kind: 'service_return' },
	{ kind: 'protest_never' },
	{ kind: 'unauthorised', thresholdSessions: 10, rollingSchoolWeeks: 10, amountWithin21Days: 80, amountWithin28Days: 160 }
];
const ERRORS: LeaveErrorFinding[] = [
	{ kind: 'from_invalid' },
	{ kind: 'to_invalid' },
	{ kind: 'reason_missing' },
	{ kind: 'reason_too_long', max: 2000 },
	{ kind: 'to_before_from' },
	{ kind: 'not_in_advance' },
	{ kind: 'school_closed' },
	{ kind: 'outside_term' },
	{ kind: 'children_missing' },
	{ kind: 'type_missing' },
	{ kind: 'type_not_for_year_group', names: ['Ella'] },
	{ kind: 'children_not_own' },
	{ kind: 'children_separate_schools' },
	{ kind: 'children_not_living_with', names: ['Kuba', 'Zosia'] }
];

describe('leave findings', () => {
	it('returns each point as a finding with its numbers, names and the English text derived from it', () => {
		const f = evaluateLeave(cal, base);
		expect(f.points.map((p) => p.finding)).toEqual([
			{ kind: 'sessions', schoolDays: 2, sessions: 4 },
			{ kind: 'notice_short', givenDays: 7, requiredDays: 14 },
			{ kind: 'protected_period', name: 'Mock exams' },
			{ kind: 'holiday_not_exceptional' },
			{ kind: 'low_attendance', name: 'Ella', percent: 93.25 },
			{ kind: 'no_retrospective' },
			{ kind: 'unauthorised', thresholdSessions: 10, rollingSchoolWeeks: 10, amountWithin21Days: 80, amountWithin28Days: 160 }
		]);
		for (const p of f.points) expect(p.text).toBe(leavePointText(p.finding));
		expect(f.points[4]!.text).toBe('Ella’s attendance this year is 93.3%. Below 96%, leave is unlikely to be agreed, because every day in school matters for Ella.');
		expect(evaluateLeave(cal, { ...base, from: '2026-11-10', to: '2026-11-10' }).errors).toEqual([
			{ field: 'from', message: leaveErrorText({ kind: 'not_in_advance' }), finding: { kind: 'not_in_advance' } }
		]);
	});

	it('in English, says exactly what the domain says', () => {
		for (const p of POINTS) expect(leavePointLabel(p, 'en')).toBe(leavePointText(p));
		for (const e of ERRORS) expect(leaveErrorLabel(e, 'en')).toBe(leaveErrorText(e));
	});

	describe.each(LOCALES.filter((l) => l !== 'en'))('%s', (locale) => {
		it('translates every point, keeping its numbers and names', () => {
			for (const p of POINTS) {
				const text = leavePointLabel(p, locale);
				expect(text, p.kind).not.toBe(leavePointText(p));
				expect(text.length, p.kind).toBeGreaterThan(10);
				if ('name' in p) expect(text).toContain(p.name);
				if (p.kind === 'notice_short' || p.kind === 'notice_met') {
					expect(text).toContain(String(p.givenDays));
					expect(text).toContain(String(p.requiredDays));
				}
				if (p.kind === 'unauthorised') {
					expect(text).toContain('£80');
					expect(text).toContain('£160');
					expect(text).toContain('G');
				}
			}
			// The percentage in the language's own decimal style, with Latin digits.
			expect(leavePointLabel({ kind: 'low_attendance', name: 'Ella', percent: 93.25 }, locale)).toMatch(/93[.,٫]3/);
		});
		it('translates every error', () => {
			for (const e of ERRORS) {
				const text = leaveErrorLabel(e, locale);
				expect(text, e.kind).not.toBe(leaveErrorText(e));
				expect(text.length).toBeGreaterThan(5);
			}
			expect(leaveErrorLabel({ kind: 'reason_too_long', max: 2000 }, locale)).toContain('2000');
			expect(leaveErrorLabel({ kind: 'children_not_living_with', names: ['Kuba', 'Zosia'] }, locale)).toMatch(/Kuba.*Zosia/);
		});
	});

	it('renders a whole evaluation for the page, and keeps an error without a finding as written', () => {
		const f = evaluateLeave(cal, base);
		const pl = localiseLeavePoints(f.points, 'pl');
		expect(pl.map((p) => p.level)).toEqual(f.points.map((p) => p.level));
		expect(pl[0]!.text).toBe('Liczba dni nauki w szkole: 2 (liczba sesji: 4).');
		expect(pl[2]!.text).toBe('Te daty obejmują: Mock exams. Szkoła zwykle nie zgadza się wtedy na nieobecność.');
		expect(pl[4]!.text).toContain('93,3%');
		expect(localiseLeaveErrors([{ field: 'pupilIds', finding: { kind: 'too_many_requests', retryAfterSeconds: 3 * 3600 } }, { field: 'reason', finding: { kind: 'reason_missing' } }], 'ro')).toEqual([
			{ field: 'pupilIds', message: 'Ați trimis multe cereri de învoire astăzi. Vă rugăm să încercați din nou peste 3 ore.' },
			{ field: 'reason', message: 'Spuneți-i directorului de ce cereți' }
		]);
	});
});
