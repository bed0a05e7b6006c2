import { describe, expect, it } from 'vitest';
import {
	attendanceSummaryText,
	changeText,
	freshnessText,
	halfTermFigures,
	latesSummary,
	marksBetween,
	weeklyTrend
} from '../../src/lib/domain/attendance-detail';
import { tallyMarks, type Mark } from '../../src/lib/domain/attendance';
import { schoolSessionsBetween } from '../../src/lib/domain/calendar';
import type { AttendanceCode } from '../../src/lib/domain/codes';
import { calendar2026 } from './fixtures';

const cal = calendar2026();

/** Every school session from `from` to `to`, present unless `absent` says otherwise. */
function marks(from: string, to: string, absent: Record<string, AttendanceCode> = {}): Mark[] {
	return schoolSessionsBetween(cal, from, to).map((s) => ({
		date: s.date,
		session: s.session,
		code: absent[`${s.date} ${s.session}`] ?? '/'
	}));
}

describe('weeklyTrend', () => {
	it('gives each school week’s attendance and the year so far', () => {
		// Wed 2 Sep is INSET: the first week has Thu 3 and Fri 4 (4 sessions).
		const m = marks('2026-09-02', '2026-09-18', {
			'2026-09-03 AM': 'I',
			'2026-09-03 PM': 'I',
			'2026-09-14 AM': 'G',
			'2026-09-15 AM': 'L'
		});
		const trend = weeklyTrend(m);
		expect(trend.map((w) => [w.weekStart, w.possible, w.attended])).toEqual([
			['2026-08-31', 4, 2],
			['2026-09-07', 10, 10],
			['2026-09-14', 10, 9]
		]);
		expect(trend[0]!.percent).toBe(50);
		expect(trend[1]!.cumulativePercent).toBeCloseTo((12 / 14) * 100, 10);
		expect(trend[2]!.percent).toBe(90);
		expect(trend[2]!.cumulativePercent).toBeCloseTo((21 / 24) * 100, 10);
	});

	it('is empty without marks, and a week of only non-possible sessions has no percentage', () => {
		expect(weeklyTrend([])).toEqual([]);
		const w = weeklyTrend([{ date: '2026-09-07', session: 'AM', code: 'Y1' }]);
		expect(w[0]).toMatchObject({ possible: 0, percent: null, cumulativePercent: null });
	});
});

describe('halfTermFigures', () => {
	const year = '2026-09-02';
	it('gives this half term and the change in the year’s figure since it started', () => {
		// Autumn 1: 36 days = 72 sessions, 8 missed (88.9%). Autumn 2 so far (2–13 Nov): 20 sessions, all present.
		const absent: Record<string, AttendanceCode> = {};
		for (const d of ['2026-09-21', '2026-09-22', '2026-09-23', '2026-09-24']) {
			absent[`${d} AM`] = 'I';
			absent[`${d} PM`] = 'I';
		}
		const m = marks(year, '2026-11-13', absent);
		const f = halfTermFigures(m, cal, year, '2026-11-13')!;
		expect(f.name).toBe('Autumn 2');
		expect(f.tally.possible).toBe(20);
		expect(f.percent).toBe(100);
		expect(f.percentBefore).toBeCloseTo((64 / 72) * 100, 10);
		// Now 84/92 = 91.30%; before 88.89%: up 2.4 points.
		expect(f.change).toBe(2.4);
		expect(changeText(f.change, f.name)).toBe('Up 2.4 points since the start of Autumn 2. Well done!');
	});

	it('has no change in the first half term, and uses the last half term in a holiday', () => {
		const m = marks(year, '2026-10-23');
		expect(halfTermFigures(m, cal, year, '2026-10-01')).toMatchObject({ name: 'Autumn 1', percentBefore: null, change: null });
		expect(halfTermFigures(m, cal, year, '2026-10-28')).toMatchObject({ name: 'Autumn 1', percent: 100 });
		expect(halfTermFigures([], cal, year, '2026-08-01')).toBeNull();
	});
});

describe('changeText', () => {
	it('celebrates a rise, is gentle about a fall, and says nothing when steady', () => {
		expect(changeText(2.1, 'Autumn 2')).toBe('Up 2.1 points since the start of Autumn 2. Well done!');
		expect(changeText(-1, 'Spring 1')).toBe('Down 1.0 point since the start of Spring 1. Every day from now on helps it climb back.');
		expect(changeText(0.04, 'Spring 1')).toBeNull();
		expect(changeText(null, 'Spring 1')).toBeNull();
	});
});

describe('freshness, lates and the bot summary', () => {
	it('says how recent the register data is', () => {
		expect(freshnessText('2026-11-13')).toBe('Register data to Friday 13 November 2026');
		expect(freshnessText(null)).toBe('No register data yet');
	});

	it('separates lates before and after the register closed', () => {
		const t = tallyMarks([
			{ date: '2026-09-07', session: 'AM', code: 'L', minutesLate: 5 },
			{ date: '2026-09-08', session: 'AM', code: 'L', minutesLate: 10 },
			{ date: '2026-09-09', session: 'AM', code: 'U', minutesLate: 40 }
		]);
		expect(latesSummary(t)).toEqual({ beforeClose: 2, afterClose: 1, minutes: 55 });
	});

	it('fits the summary in a text message', () => {
		// 24 sessions (INSET on 2 Sep), 3 missed: 21/24 = 87.5%.
		const m = marks('2026-09-02', '2026-09-18', { '2026-09-14 AM': 'I', '2026-09-14 PM': 'I', '2026-09-15 AM': 'N' });
		const text = attendanceSummaryText({
			childName: 'Sam',
			academicYear: '2026/27',
			tally: tallyMarks(marksBetween(m, '2026-09-02', '2026-09-18')),
			lastMarkDate: '2026-09-18'
		});
		expect(text).toBe('Sam: 87.5% this year (2026/27), 1½ days missed so far. Register data to Friday 18 September 2026.');
		expect(text.length).toBeLessThanOrEqual(160);
		expect(attendanceSummaryText({ childName: 'Ava', academicYear: '2026/27', tally: { possible: 0, attended: 0 }, lastMarkDate: null })).toBe(
			'Ava: no register marks yet this year.'
		);
	});
});
