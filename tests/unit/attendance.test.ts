import { describe, expect, it } from 'vitest';
import {
	BANDS,
	BAND_INFO,
	DEFAULT_SCHOOL_DAY_MINUTES,
	PENALTY_NOTICE,
	attendancePercent,
	bandFor,
	daysFromSessions,
	daysMissedForPercent,
	formatDays,
	formatDaysAsWeeks,
	formatPercent,
	isPersistentAbsence,
	isSevereAbsence,
	latenessTimeLost,
	learningDayMinutes,
	lessonsLost,
	missedSessions,
	penaltyNoticeAmount,
	projectToYearEnd,
	roundToHalf,
	schoolCareerTimeLost,
	splitDaysIntoWeeks,
	tallyFromCodeCounts,
	tallyMarks,
	timeLostTable,
	unauthorisedInRollingWindow,
	rollingWindowBounds,
	parseTimeLostPercents,
	DEFAULT_TIME_LOST_PERCENTS,
	type Band,
	type Mark
} from '../../src/lib/domain/attendance';
import { countSchoolSessions, schoolSessionsBetween } from '../../src/lib/domain/calendar';
import type { AttendanceCode } from '../../src/lib/domain/codes';
import { calendar2026 } from './fixtures';

const cal = calendar2026();

const MARKS: Mark[] = [
	{ date: '2026-09-03', session: 'AM', code: '/' },
	{ date: '2026-09-03', session: 'PM', code: '\\' },
	{ date: '2026-09-04', session: 'AM', code: 'L', minutesLate: 10 },
	{ date: '2026-09-04', session: 'PM', code: '\\' },
	{ date: '2026-09-07', session: 'AM', code: 'I' },
	{ date: '2026-09-07', session: 'PM', code: 'I' },
	{ date: '2026-09-08', session: 'AM', code: 'U', minutesLate: 40 },
	{ date: '2026-09-08', session: 'PM', code: '\\' },
	{ date: '2026-09-09', session: 'AM', code: 'V' },
	{ date: '2026-09-09', session: 'PM', code: 'V' },
	{ date: '2026-09-10', session: 'AM', code: 'N' },
	{ date: '2026-09-10', session: 'PM', code: 'G' },
	{ date: '2026-09-11', session: 'AM', code: 'Y4' },
	{ date: '2026-09-11', session: 'PM', code: '#' },
	{ date: '2026-09-14', session: 'AM', code: 'M', minutesLate: null },
	{ date: '2026-09-14', session: 'PM', code: 'P' }
];

describe('tallyMarks', () => {
	it('counts every category, lateness and codes', () => {
		const t = tallyMarks(MARKS);
		expect(t).toEqual({
			possible: 14,
			attended: 8,
			present: 5,
			approvedActivity: 3,
			authorisedAbsence: 3,
			unauthorisedAbsence: 3,
			notPossible: 2,
			lateBeforeClose: 1,
			lateAfterClose: 1,
			minutesLate: 50,
			byCode: { '/': 1, '\\': 3, L: 1, I: 2, U: 1, V: 2, N: 1, G: 1, Y4: 1, '#': 1, M: 1, P: 1 }
		});
		expect(missedSessions(t)).toBe(6);
	});

	it('an empty list is an all-zero tally', () => {
		const t = tallyMarks([]);
		expect(t.possible).toBe(0);
		expect(t.attended).toBe(0);
		expect(t.minutesLate).toBe(0);
		expect(t.byCode).toEqual({});
	});

	it('a whole year of not-possible codes has no possible sessions', () => {
		const t = tallyMarks([
			{ date: '2026-09-03', session: 'AM', code: 'X' },
			{ date: '2026-09-03', session: 'PM', code: 'Z' }
		]);
		expect(t.possible).toBe(0);
		expect(t.notPossible).toBe(2);
		expect(attendancePercent(t.attended, t.possible)).toBeNull();
	});

	it('rejects unknown codes and bad minutes', () => {
		expect(() => tallyMarks([{ date: '2026-09-03', session: 'AM', code: 'H' as AttendanceCode }])).toThrow(/Unknown attendance code "H"/);
		expect(() => tallyMarks([{ date: '2026-09-03', session: 'AM', code: 'L', minutesLate: -5 }])).toThrow(RangeError);
		expect(() => tallyMarks([{ date: '2026-09-03', session: 'AM', code: 'L', minutesLate: Number.NaN }])).toThrow(RangeError);
	});
});

describe('tallyFromCodeCounts', () => {
	it('gives the same tally as counting the marks one by one', () => {
		const fromMarks = tallyMarks(MARKS);
		const fromCounts = tallyFromCodeCounts(fromMarks.byCode, fromMarks.minutesLate);
		expect(fromCounts).toEqual(fromMarks);
	});

	it('handles a large SQL aggregate', () => {
		const t = tallyFromCodeCounts({ '/': 170, '\\': 160, L: 12, I: 20, M: 4, O: 6, G: 8, '#': 10, V: 4 }, 180);
		expect(t.present).toBe(342);
		expect(t.approvedActivity).toBe(4);
		expect(t.attended).toBe(346);
		expect(t.authorisedAbsence).toBe(24);
		expect(t.unauthorisedAbsence).toBe(14);
		expect(t.possible).toBe(384);
		expect(t.notPossible).toBe(10);
		expect(t.lateBeforeClose).toBe(12);
		expect(t.lateAfterClose).toBe(0);
		expect(t.minutesLate).toBe(180);
		expect(missedSessions(t)).toBe(38);
		expect(Object.keys(t.byCode)).toEqual(['/', '\\', 'L', 'V', 'M', 'I', 'G', 'O', '#']);
	});

	it('ignores zero and undefined counts', () => {
		const t = tallyFromCodeCounts({ '/': 0, I: undefined, N: 2 });
		expect(t.byCode).toEqual({ N: 2 });
		expect(t.possible).toBe(2);
		expect(t.minutesLate).toBe(0);
	});

	it('rejects unknown codes, negative or fractional counts and bad minutes', () => {
		expect(() => tallyFromCodeCounts({ H: 1 } as Partial<Record<AttendanceCode, number>>)).toThrow(/Unknown attendance code "H"/);
		expect(() => tallyFromCodeCounts({ I: -1 })).toThrow(RangeError);
		expect(() => tallyFromCodeCounts({ I: 1.5 })).toThrow(RangeError);
		expect(() => tallyFromCodeCounts({ I: 1 }, -3)).toThrow(RangeError);
	});
});

describe('attendancePercent and formatPercent', () => {
	it('is unrounded attended ÷ possible × 100', () => {
		expect(attendancePercent(96, 100)).toBe(96);
		expect(attendancePercent(342, 380)).toBe(90);
		expect(attendancePercent(1, 3)).toBeCloseTo(33.3333333333, 9);
		expect(attendancePercent(8, 14)).toBeCloseTo(57.1428571429, 9);
		expect(attendancePercent(0, 10)).toBe(0);
		expect(attendancePercent(0, 0)).toBeNull();
	});

	it('rejects impossible inputs', () => {
		expect(() => attendancePercent(5, 4)).toThrow(RangeError);
		expect(() => attendancePercent(-1, 4)).toThrow(RangeError);
		expect(() => attendancePercent(1.5, 4)).toThrow(RangeError);
	});

	it.each([
		[95.25, 1, '95.3%'],
		[95.24, 1, '95.2%'],
		[100, 1, '100.0%'],
		[0, 1, '0.0%'],
		[57.142857, 0, '57%'],
		[200 / 3, 2, '66.67%'],
		[1.005, 2, '1.01%'],
		[95.95, 1, '96.0%']
	])('formatPercent(%s, %i) = %s', (p, dp, text) => {
		expect(formatPercent(p, dp)).toBe(text);
	});

	it('defaults to 1 dp and shows a dash when there is no percentage', () => {
		expect(formatPercent(90)).toBe('90.0%');
		expect(formatPercent(null)).toBe('—');
		expect(() => formatPercent(90, -1)).toThrow(RangeError);
	});
});

describe('bandFor', () => {
	it.each<[number, number, Band]>([
		[100, 100, 'excellent'],
		[96, 100, 'excellent'], // exactly 96
		[960, 1000, 'excellent'],
		[24, 25, 'excellent'], // 96% exactly from a non-100 denominator
		[9599, 10000, 'at_risk'], // 95.99
		[959, 1000, 'at_risk'],
		[95, 100, 'at_risk'],
		[901, 1000, 'at_risk'], // 90.1
		[90001, 100000, 'at_risk'], // 90.001
		[900, 1000, 'persistently_absent'], // exactly 90
		[90, 100, 'persistently_absent'],
		[342, 380, 'persistently_absent'], // 90% of a 190-day year
		[899, 1000, 'persistently_absent'],
		[851, 1000, 'persistently_absent'],
		[850, 1000, 'persistently_absent_formal'], // exactly 85
		[17, 20, 'persistently_absent_formal'],
		[849, 1000, 'persistently_absent_formal'],
		[501, 1000, 'persistently_absent_formal'],
		[500, 1000, 'severely_absent'], // exactly 50
		[1, 2, 'severely_absent'],
		[499, 1000, 'severely_absent'],
		[0, 1, 'severely_absent']
	])('%i/%i → %s', (attended, possible, band) => {
		expect(bandFor(attended, possible)).toBe(band);
	});

	it('is null with no possible sessions and rejects bad input', () => {
		expect(bandFor(0, 0)).toBeNull();
		expect(() => bandFor(11, 10)).toThrow(RangeError);
		expect(() => bandFor(9.5, 10)).toThrow(RangeError);
	});

	it('matches an independent exact-fraction definition for every pair up to 400 sessions', () => {
		// 96% = 24/25, 90% = 9/10, 85% = 17/20, 50% = 1/2
		const reference = (a: number, p: number): Band =>
			25 * a >= 24 * p
				? 'excellent'
				: 10 * a > 9 * p
					? 'at_risk'
					: 20 * a > 17 * p
						? 'persistently_absent'
						: 2 * a > p
							? 'persistently_absent_formal'
							: 'severely_absent';
		let checked = 0;
		for (let p = 1; p <= 400; p++) {
			for (let a = 0; a <= p; a++) {
				expect(bandFor(a, p)).toBe(reference(a, p));
				checked++;
			}
		}
		expect(checked).toBe(80600);
	});

	it('BAND_INFO covers every band with supportive parent wording and Portsmouth next steps', () => {
		expect(Object.keys(BAND_INFO).sort()).toEqual([...BANDS].sort());
		for (const band of BANDS) {
			const info = BAND_INFO[band];
			expect(info.staffLabel.length).toBeGreaterThan(5);
			expect(info.parentMessage.length).toBeGreaterThan(20);
			expect(info.parentNextSteps.length).toBeGreaterThan(0);
			expect(info.staffNextSteps.length).toBeGreaterThan(0);
			const parentText = [info.parentLabel, info.parentMessage, ...info.parentNextSteps].join(' ').toLowerCase();
			for (const harsh of ['persistent', 'severe', 'truan', 'fail', 'prosecut', 'fine', 'penalty', 'blame', 'shame']) {
				expect(parentText).not.toContain(harsh);
			}
		}
		expect(BAND_INFO.excellent.range).toBe('96–100%');
		expect(BAND_INFO.at_risk.range).toBe('91–95%');
		expect(BAND_INFO.persistently_absent.range).toBe('86–90%');
		expect(BAND_INFO.persistently_absent_formal.range).toBe('51–85%');
		expect(BAND_INFO.severely_absent.range).toBe('0–50%');
		expect(BAND_INFO.persistently_absent.staffLabel).toBe('Persistently absent');
		expect(BAND_INFO.severely_absent.staffLabel).toBe('Severely absent');
		expect(BAND_INFO.excellent.staffNextSteps).toEqual(['Rewards and positive messages home.']);
		expect(BAND_INFO.at_risk.staffNextSteps).toContain('Consider a Personal Attendance Plan.');
		expect(BAND_INFO.persistently_absent.staffNextSteps).toContain('Conduct persistent absence reviews every half term.');
		expect(BAND_INFO.severely_absent.staffNextSteps).toContain('Discuss the child at the termly severely absent meetings.');
	});
});

describe('persistent and severe absence', () => {
	it.each([
		[90, 100, true, false],
		[91, 100, false, false],
		[9, 10, true, false],
		[342, 380, true, false], // missed exactly 38 of 380 = 10%
		[343, 380, false, false],
		[341, 380, true, false],
		[190, 380, true, true], // missed exactly half
		[191, 380, true, false],
		[1, 2, true, true],
		[0, 1, true, true],
		[100, 100, false, false],
		[0, 0, false, false]
	])('%i/%i → PA %s, SA %s', (attended, possible, pa, sa) => {
		expect(isPersistentAbsence({ attended, possible })).toBe(pa);
		expect(isSevereAbsence({ attended, possible })).toBe(sa);
	});

	it('agrees with the bands for every pair up to 200 sessions', () => {
		for (let p = 1; p <= 200; p++) {
			for (let a = 0; a <= p; a++) {
				const band = bandFor(a, p);
				expect(isPersistentAbsence({ attended: a, possible: p })).toBe(
					band === 'persistently_absent' || band === 'persistently_absent_formal' || band === 'severely_absent'
				);
				expect(isSevereAbsence({ attended: a, possible: p })).toBe(band === 'severely_absent');
			}
		}
	});

	it('works on a full tally', () => {
		const t = tallyMarks(MARKS); // 8 of 14
		expect(isPersistentAbsence(t)).toBe(true);
		expect(isSevereAbsence(t)).toBe(false);
	});
});

describe('time lost', () => {
	it.each([
		[95, 9.5],
		[90, 19],
		[85, 28.5],
		[75, 47.5],
		[100, 0],
		[0, 190],
		[96, 7.5], // 7.6 → 7½
		[97.5, 5], // 4.75 → 5 (halves round up)
		[99, 2] // 1.9 → 2
	])('daysMissedForPercent(%s) on 190 days = %s', (percent, days) => {
		expect(daysMissedForPercent(percent)).toBe(days);
	});

	it('computes 90% as 19 days, not the Millbrook table’s 19½', () => {
		expect(daysMissedForPercent(90, 190)).toBe(19);
		expect(daysMissedForPercent(90, 190)).not.toBe(19.5);
	});

	it('uses the school’s own year length', () => {
		expect(daysMissedForPercent(95, 195)).toBe(10); // 9.75 → 10
		expect(daysMissedForPercent(90, 195)).toBe(19.5);
		expect(daysMissedForPercent(85, 195)).toBe(29.5); // 29.25 → 29½
		expect(daysMissedForPercent(75, 195)).toBe(49); // 48.75 → 49
		expect(daysMissedForPercent(90, 180)).toBe(18);
	});

	it('rejects a percent outside 0–100 or a non-positive year', () => {
		expect(() => daysMissedForPercent(101)).toThrow(RangeError);
		expect(() => daysMissedForPercent(-1)).toThrow(RangeError);
		expect(() => daysMissedForPercent(90, 0)).toThrow(RangeError);
		expect(() => daysMissedForPercent(Number.NaN)).toThrow(RangeError);
	});

	it('roundToHalf rounds to the nearest half, halves up', () => {
		expect(roundToHalf(9.5)).toBe(9.5);
		expect(roundToHalf(9.74)).toBe(9.5);
		expect(roundToHalf(9.75)).toBe(10);
		expect(roundToHalf(0.24)).toBe(0);
		expect(roundToHalf(0.25)).toBe(0.5);
		expect(roundToHalf(0.1 + 0.15)).toBe(0.5);
	});

	it.each([
		[9.5, '1 week 4½ days'],
		[19, '3 weeks 4 days'],
		[28.5, '5 weeks 3½ days'],
		[47.5, '9 weeks 2½ days'],
		[0.5, '½ day'],
		[1, '1 day'],
		[1.5, '1½ days'],
		[4.5, '4½ days'],
		[10, '2 weeks'],
		[5, '1 week'],
		[5.5, '1 week ½ day'],
		[6, '1 week 1 day'],
		[0, '0 days'],
		[0.2, '0 days'],
		[0.3, '½ day'],
		[228, '45 weeks 3 days']
	])('formatDaysAsWeeks(%s) = %s', (days, text) => {
		expect(formatDaysAsWeeks(days)).toBe(text);
	});

	it('formatDaysAsWeeks with another week length, and bad input', () => {
		expect(formatDaysAsWeeks(9.5, 4)).toBe('2 weeks 1½ days');
		expect(formatDaysAsWeeks(4, 4)).toBe('1 week');
		expect(() => formatDaysAsWeeks(-1)).toThrow(RangeError);
		expect(() => formatDaysAsWeeks(5, 0)).toThrow(RangeError);
		expect(() => formatDaysAsWeeks(5, 2.5)).toThrow(RangeError);
	});

	it('formatDays and splitDaysIntoWeeks', () => {
		expect(formatDays(9.5)).toBe('9½ days');
		expect(formatDays(19)).toBe('19 days');
		expect(formatDays(0.5)).toBe('½ day');
		expect(formatDays(1)).toBe('1 day');
		expect(formatDays(0)).toBe('0 days');
		expect(splitDaysIntoWeeks(28.5)).toEqual({ weeks: 5, remainderDays: 3.5 });
		expect(splitDaysIntoWeeks(4.5)).toEqual({ weeks: 0, remainderDays: 4.5 });
	});

	it('timeLostTable reproduces docs/domain-rules.md §4 on a 190-day year', () => {
		expect(timeLostTable(190)).toEqual([
			{ percent: 95, daysMissed: 9.5, weeks: 1, remainderDays: 4.5, text: '1 week 4½ days', daysText: '9½ days' },
			{ percent: 90, daysMissed: 19, weeks: 3, remainderDays: 4, text: '3 weeks 4 days', daysText: '19 days' },
			{ percent: 85, daysMissed: 28.5, weeks: 5, remainderDays: 3.5, text: '5 weeks 3½ days', daysText: '28½ days' },
			{ percent: 75, daysMissed: 47.5, weeks: 9, remainderDays: 2.5, text: '9 weeks 2½ days', daysText: '47½ days' }
		]);
		expect(timeLostTable()).toEqual(timeLostTable(190));
	});

	it('timeLostTable on a 195-day and a 180-day year, and custom percents', () => {
		expect(timeLostTable(195).map((r) => [r.daysMissed, r.text])).toEqual([
			[10, '2 weeks'],
			[19.5, '3 weeks 4½ days'],
			[29.5, '5 weeks 4½ days'],
			[49, '9 weeks 4 days']
		]);
		expect(timeLostTable(180).map((r) => r.text)).toEqual(['1 week 4 days', '3 weeks 3 days', '5 weeks 2 days', '9 weeks']);
		expect(timeLostTable(190, [100, 96, 50])).toMatchObject([
			{ percent: 100, daysMissed: 0, text: '0 days' },
			{ percent: 96, daysMissed: 7.5, text: '1 week 2½ days' },
			{ percent: 50, daysMissed: 95, text: '19 weeks' }
		]);
	});

	it('timeLostTable on the school calendar’s own day count', () => {
		const days = countSchoolSessions(cal, '2026-09-01', '2027-08-31') / 2;
		expect(days).toBe(190);
		expect(timeLostTable(days)[1]?.text).toBe('3 weeks 4 days');
	});

	it('daysFromSessions and lessonsLost', () => {
		expect(daysFromSessions(19)).toBe(9.5);
		expect(daysFromSessions(38)).toBe(19);
		expect(daysFromSessions(0)).toBe(0);
		expect(lessonsLost(2)).toBe(5);
		expect(lessonsLost(38)).toBe(95);
		expect(lessonsLost(1)).toBe(2.5);
		expect(lessonsLost(3, 6)).toBe(9);
		expect(() => daysFromSessions(-1)).toThrow(RangeError);
		expect(() => lessonsLost(-2)).toThrow(RangeError);
	});
});

describe('latenessTimeLost', () => {
	it('assumes a 5-hour (300-minute) learning day by default', () => {
		expect(DEFAULT_SCHOOL_DAY_MINUTES).toBe(300);
	});

	it('5 minutes late every day = 3 days lost a year', () => {
		const r = latenessTimeLost(5, 190);
		expect(r.totalMinutes).toBe(950);
		expect(r.hours).toBeCloseTo(15.8333, 4);
		expect(r.schoolDays).toBeCloseTo(3.1667, 4);
		expect(r.schoolDaysRounded).toBe(3);
		expect(r.schoolDayMinutes).toBe(300);
	});

	it.each([
		[10, 1900, 6.5],
		[15, 2850, 9.5],
		[20, 3800, 12.5],
		[30, 5700, 19]
	])('%i minutes a day over 190 days', (minutes, total, days) => {
		const r = latenessTimeLost(minutes);
		expect(r.totalMinutes).toBe(total);
		expect(r.hours).toBeCloseTo(total / 60, 9);
		expect(r.schoolDaysRounded).toBe(days);
	});

	it('stays within half a day of the familiar lateness poster (5→3, 10→6½, 15→10, 20→13, 30→19)', () => {
		const poster: [number, number][] = [
			[5, 3],
			[10, 6.5],
			[15, 10],
			[20, 13],
			[30, 19]
		];
		for (const [minutes, days] of poster) {
			expect(Math.abs(latenessTimeLost(minutes, 190).schoolDays - days)).toBeLessThanOrEqual(0.5);
		}
		expect(latenessTimeLost(5, 190).schoolDaysRounded).toBe(3);
		expect(latenessTimeLost(10, 190).schoolDaysRounded).toBe(6.5);
		expect(latenessTimeLost(30, 190).schoolDaysRounded).toBe(19);
	});

	it('uses a school’s own day length and any number of days', () => {
		const r = latenessTimeLost(10, 190, 390); // 6½-hour day
		expect(r.schoolDays).toBeCloseTo(4.8718, 4);
		expect(r.schoolDaysRounded).toBe(5);
		expect(latenessTimeLost(12, 5).totalMinutes).toBe(60);
		expect(latenessTimeLost(12, 5).hours).toBe(1);
		expect(latenessTimeLost(0, 190).schoolDays).toBe(0);
	});

	it('rejects bad input', () => {
		expect(() => latenessTimeLost(-5, 190)).toThrow(RangeError);
		expect(() => latenessTimeLost(5, -1)).toThrow(RangeError);
		expect(() => latenessTimeLost(5, 190, 0)).toThrow(RangeError);
	});
});

describe('projectToYearEnd', () => {
	it('projects 95% to a 380-session year', () => {
		expect(projectToYearEnd({ attended: 171, possible: 180 }, 200)).toEqual({
			projectedAttended: 361,
			projectedPossible: 380,
			projectedPercent: 95,
			projectedSessionsMissed: 19,
			projectedDaysMissed: 9.5
		});
	});

	it('projects from the end of the autumn term on the school calendar', () => {
		const soFar = countSchoolSessions(cal, '2026-09-01', '2026-12-18');
		const remaining = countSchoolSessions(cal, '2026-12-19', '2027-08-31');
		expect(soFar).toBe(141);
		expect(remaining).toBe(239);
		const p = projectToYearEnd({ attended: 127, possible: soFar }, remaining);
		expect(p.projectedPossible).toBe(380);
		expect(p.projectedSessionsMissed).toBeCloseTo((14 * 380) / 141, 9);
		expect(p.projectedAttended).toBeCloseTo(380 - (14 * 380) / 141, 9);
		expect(p.projectedPercent).toBeCloseTo((127 * 100) / 141, 9);
		expect(p.projectedDaysMissed).toBe(19); // 18.87 days → 19
	});

	it('handles fractions, perfect attendance and nothing remaining', () => {
		const p = projectToYearEnd({ attended: 2, possible: 3 }, 1);
		expect(p.projectedSessionsMissed).toBeCloseTo(4 / 3, 9);
		expect(p.projectedAttended).toBeCloseTo(8 / 3, 9);
		expect(p.projectedDaysMissed).toBe(0.5);
		expect(projectToYearEnd({ attended: 100, possible: 100 }, 280)).toEqual({
			projectedAttended: 380,
			projectedPossible: 380,
			projectedPercent: 100,
			projectedSessionsMissed: 0,
			projectedDaysMissed: 0
		});
		expect(projectToYearEnd({ attended: 300, possible: 380 }, 0)).toMatchObject({
			projectedAttended: 300,
			projectedPossible: 380,
			projectedSessionsMissed: 80,
			projectedDaysMissed: 40
		});
	});

	it('has no rate (nulls) before any possible session', () => {
		expect(projectToYearEnd({ attended: 0, possible: 0 }, 380)).toEqual({
			projectedAttended: null,
			projectedPossible: 380,
			projectedPercent: null,
			projectedSessionsMissed: null,
			projectedDaysMissed: null
		});
	});

	it('rejects bad input', () => {
		expect(() => projectToYearEnd({ attended: 5, possible: 4 }, 10)).toThrow(RangeError);
		expect(() => projectToYearEnd({ attended: 4, possible: 4 }, -1)).toThrow(RangeError);
	});
});

describe('schoolCareerTimeLost', () => {
	it('90% from Reception to Year 11 = 228 days ≈ 1.2 school years', () => {
		expect(schoolCareerTimeLost(90)).toEqual({
			percent: 90,
			years: 12,
			schoolDaysInYear: 190,
			daysMissed: 228,
			weeks: 45.6,
			schoolYears: 1.2,
			weeksText: '45 weeks 3 days',
			schoolYearsText: '1.2 school years'
		});
	});

	it('other attendance levels and career lengths', () => {
		const r95 = schoolCareerTimeLost(95);
		expect(r95.daysMissed).toBe(114);
		expect(r95.schoolYears).toBeCloseTo(0.6, 9);
		expect(r95.weeksText).toBe('22 weeks 4 days');
		const primary = schoolCareerTimeLost(90, 7); // Reception to Year 6
		expect(primary.daysMissed).toBe(133);
		expect(primary.schoolYears).toBeCloseTo(0.7, 9);
		const r85 = schoolCareerTimeLost(85, 12, 195);
		expect(r85.daysMissed).toBe(351);
		expect(r85.schoolYears).toBeCloseTo(1.8, 9);
		expect(r85.schoolYearsText).toBe('1.8 school years');
		const r93 = schoolCareerTimeLost(93.3);
		expect(r93.daysMissed).toBe(153); // 152.76 → 153 (nearer than 152½)
		expect(r93.schoolYearsText).toBe('about 0.8 school years');
		expect(schoolCareerTimeLost(100).daysMissed).toBe(0);
		expect(schoolCareerTimeLost(100).weeksText).toBe('0 days');
		expect(schoolCareerTimeLost(50, 2).schoolYearsText).toBe('1.0 school year');
	});

	it('rejects bad input', () => {
		expect(() => schoolCareerTimeLost(120)).toThrow(RangeError);
		expect(() => schoolCareerTimeLost(90, 0)).toThrow(RangeError);
		expect(() => schoolCareerTimeLost(90, 12, -190)).toThrow(RangeError);
	});
});

describe('PENALTY_NOTICE and penaltyNoticeAmount', () => {
	it('holds the 2024 National Framework figures (not the old £60/£120)', () => {
		expect(PENALTY_NOTICE.thresholdSessions).toBe(10);
		expect(PENALTY_NOTICE.rollingSchoolWeeks).toBe(10);
		expect(PENALTY_NOTICE.unauthorisedCodes).toEqual(['G', 'N', 'O', 'U']);
		expect(PENALTY_NOTICE.first).toEqual({
			amountPaidWithin21Days: 80,
			amountPaidWithin28Days: 160,
			reducedPeriodDays: 21,
			fullPeriodDays: 28
		});
		expect(PENALTY_NOTICE.second).toEqual({ amount: 160, paymentPeriodDays: 28, withinYears: 3 });
		expect(PENALTY_NOTICE.maxNoticesWithinYears).toEqual({ notices: 2, years: 3 });
		expect(PENALTY_NOTICE.noticeToImproveWeeks).toEqual({ min: 3, max: 6 });
	});

	it.each([
		[0, 0, 80],
		[0, 21, 80],
		[0, 22, 160],
		[0, 28, 160],
		[0, 29, null],
		[1, 0, 160],
		[1, 28, 160],
		[1, 29, null],
		[2, 0, null],
		[3, 5, null]
	])('previous notices %i, paid after %i days → %s', (previous, days, amount) => {
		expect(penaltyNoticeAmount(previous, days)).toBe(amount);
	});

	it('rejects bad input', () => {
		expect(() => penaltyNoticeAmount(-1, 0)).toThrow(RangeError);
		expect(() => penaltyNoticeAmount(0, -1)).toThrow(RangeError);
	});
});

describe('unauthorisedInRollingWindow', () => {
	const both = (date: string, code: AttendanceCode): Mark[] => [
		{ date, session: 'AM', code },
		{ date, session: 'PM', code }
	];
	// A week's unauthorised holiday (G) 7–11 Sep 2026: exactly 10 sessions.
	const holidayWeek: Mark[] = ['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11'].flatMap((d) => both(d, 'G'));
	const ordinary: Mark[] = schoolSessionsBetween(cal, '2026-09-14', '2026-11-27').map(({ date, session }) => ({
		date,
		session,
		code: session === 'AM' ? '/' : '\\'
	}));

	it('counts 10 G sessions across the October half term and reaches the threshold', () => {
		const r = unauthorisedInRollingWindow([...holidayWeek, ...ordinary], cal, '2026-11-11');
		expect(r.count).toBe(10);
		expect(r.threshold).toBe(10);
		expect(r.reachesThreshold).toBe(true);
		expect(r.windowStart).toBe('2026-08-31');
		expect(r.windowEnd).toBe('2026-11-11');
		expect(r.weeks).toHaveLength(10);
	});

	it('the holiday drops out once it is more than 10 school weeks ago', () => {
		const r1 = unauthorisedInRollingWindow(holidayWeek, cal, '2026-11-18');
		expect(r1.windowStart).toBe('2026-09-07'); // still the 10th school week back (half term skipped)
		expect(r1.count).toBe(10);
		const r2 = unauthorisedInRollingWindow(holidayWeek, cal, '2026-11-25');
		expect(r2.windowStart).toBe('2026-09-14');
		expect(r2.count).toBe(0);
		expect(r2.reachesThreshold).toBe(false);
	});

	it('spans two terms and the Christmas holiday, counting any mix of G, N, O, U only', () => {
		const marks: Mark[] = [
			{ date: '2026-10-23', session: 'AM', code: 'G' }, // before the window
			{ date: '2026-11-02', session: 'AM', code: 'N' }, // first day of the window
			{ date: '2026-11-03', session: 'AM', code: 'I' },
			{ date: '2026-11-04', session: 'AM', code: 'L' },
			{ date: '2026-11-05', session: 'AM', code: 'C' },
			...both('2026-12-16', 'G'),
			{ date: '2026-12-18', session: 'AM', code: 'O' },
			...both('2027-01-05', 'U'),
			{ date: '2027-01-21', session: 'AM', code: 'G' } // after asOf
		];
		const r = unauthorisedInRollingWindow(marks, cal, '2027-01-20');
		expect(r.windowStart).toBe('2026-11-02');
		expect(r.windowEnd).toBe('2027-01-20');
		expect(r.count).toBe(6);
		expect(r.reachesThreshold).toBe(false);

		const more = [...marks, ...both('2027-01-18', 'O'), ...both('2027-01-19', 'N')];
		const r2 = unauthorisedInRollingWindow(more, cal, '2027-01-20');
		expect(r2.count).toBe(10);
		expect(r2.reachesThreshold).toBe(true);

		const nine = more.filter((m) => !(m.date === '2026-11-02'));
		expect(unauthorisedInRollingWindow(nine, cal, '2027-01-20')).toMatchObject({ count: 9, reachesThreshold: false });
	});

	it('ends at the last school week when asOf falls in a holiday', () => {
		const marks: Mark[] = [...both('2026-10-05', 'G'), ...both('2026-12-17', 'N')];
		const r = unauthorisedInRollingWindow(marks, cal, '2026-12-25');
		expect(r.windowStart).toBe('2026-10-05');
		expect(r.windowEnd).toBe('2026-12-20');
		expect(r.count).toBe(4);
	});

	it('supports a different number of weeks', () => {
		const r = unauthorisedInRollingWindow(holidayWeek, cal, '2026-09-16', 2);
		expect(r.windowStart).toBe('2026-09-07');
		expect(r.count).toBe(10);
		const r1 = unauthorisedInRollingWindow(holidayWeek, cal, '2026-09-16', 1);
		expect(r1.windowStart).toBe('2026-09-14');
		expect(r1.count).toBe(0);
	});

	it('spans the summer holiday into last school year: in September the window starts in July', () => {
		const twoYears = { ...cal, terms: [...cal.terms, { name: 'Autumn 1', startsOn: '2027-09-02', endsOn: '2027-10-22' }, { name: 'Autumn 2', startsOn: '2027-11-01', endsOn: '2027-12-17' }] };
		const july: Mark[] = ['2027-07-12', '2027-07-13', '2027-07-14', '2027-07-15', '2027-07-16'].flatMap((d) => both(d, 'G'));
		const b = rollingWindowBounds(twoYears, '2027-09-15');
		expect(b.weeks).toHaveLength(10);
		expect(b.windowStart).toBe('2027-06-07'); // 3 school weeks of Autumn 1 (from Mon 30 Aug) + all 7 of Summer 2
		expect(b.windowEnd).toBe('2027-09-15');
		expect(unauthorisedInRollingWindow(july, twoYears, '2027-09-15')).toMatchObject({ count: 10, reachesThreshold: true });
		// The last day it still reaches the week of 12 July, and the first day it no longer does.
		expect(unauthorisedInRollingWindow(july, twoYears, '2027-10-22')).toMatchObject({ windowStart: '2027-07-12', count: 10 });
		expect(unauthorisedInRollingWindow(july, twoYears, '2027-11-01')).toMatchObject({ windowStart: '2027-07-19', count: 0 });
	});

	it('with no school weeks in the calendar the window is empty', () => {
		const r = unauthorisedInRollingWindow(holidayWeek, { timeZone: 'Europe/London', terms: [], closures: [] }, '2026-09-16');
		expect(r).toMatchObject({ count: 0, windowStart: '2026-09-16', windowEnd: '2026-09-16', reachesThreshold: false });
		expect(r.weeks).toEqual([]);
	});
});

describe('the time-lost table the school uses', () => {
	it('reads the percentages a school quotes, highest first', () => {
		expect(parseTimeLostPercents('97, 95, 90')).toEqual({ ok: true, percents: [97, 95, 90] });
		expect(parseTimeLostPercents('90% 97% 95%')).toEqual({ ok: true, percents: [97, 95, 90] });
		expect(parseTimeLostPercents('97')).toEqual({ ok: false, problem: { code: 'time_lost_count' } });
		expect(parseTimeLostPercents('97, 95, 95')).toEqual({ ok: false, problem: { code: 'time_lost_repeated' } });
		expect(parseTimeLostPercents('97, 49')).toEqual({ ok: false, problem: { code: 'time_lost_range' } });
		expect(parseTimeLostPercents('97, 100')).toMatchObject({ ok: false });
		expect(parseTimeLostPercents('97.5, 95')).toMatchObject({ ok: false });
		expect(parseTimeLostPercents('1, 2, 3, 4, 5, 6, 7')).toMatchObject({ ok: false });
	});
	it('computes Lanercost’s 97, 95 and 90 for the school’s own year length', () => {
		expect(timeLostTable(190, [97, 95, 90]).map((r) => [r.percent, r.daysMissed])).toEqual([
			[97, 5.5],
			[95, 9.5],
			[90, 19]
		]);
		expect(timeLostTable(195, [97, 95, 90]).map((r) => r.daysMissed)).toEqual([6, 10, 19.5]);
		expect(DEFAULT_TIME_LOST_PERCENTS).toEqual([95, 90, 85, 75]);
	});
});


describe('learningDayMinutes', () => {
	it('is the school day from the morning register opening to the end of the day', () => {
		expect(learningDayMinutes('08:40', '15:10')).toBe(390);
		expect(learningDayMinutes('08:40:00', '15:15:00')).toBe(395);
		expect(learningDayMinutes('08:45', '08:46')).toBe(1);
	});

	it('refuses a day that ends at or before it starts, or a time that is not one', () => {
		expect(learningDayMinutes('15:10', '08:40')).toBeNull();
		expect(learningDayMinutes('08:40', '08:40')).toBeNull();
		expect(learningDayMinutes('08:40', '25:00')).toBeNull();
		expect(learningDayMinutes('8.40am', '15:10')).toBeNull();
	});

	it('gives lateness its days in the school’s own length', () => {
		// 10 minutes a day over 190 days = 1,900 minutes: 4.9 days of 390 minutes, 6.3 of 300.
		expect(latenessTimeLost(10, 190, learningDayMinutes('08:40', '15:10')!).schoolDaysRounded).toBe(5);
		expect(latenessTimeLost(10, 190).schoolDaysRounded).toBe(6.5);
	});
});
