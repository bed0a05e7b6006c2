import { describe, expect, it } from 'vitest';
import type { Mark } from '../../src/lib/domain/attendance';
import type { AttendanceCode } from '../../src/lib/domain/codes';
import {
	longestContinuousUnauthorisedAbsence,
	meetsIrregularAttendanceCriteria,
	mustNotifyContinuousAbsence,
	statutoryNotificationReasons
} from '../../src/lib/domain/statutory-notifications';

/** Both sessions of each date with the same code. */
function days(dates: string[], code: AttendanceCode): Mark[] {
	return dates.flatMap((date) => [
		{ date, session: 'AM' as const, code },
		{ date, session: 'PM' as const, code }
	]);
}

const TEN = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'];

describe('continuous unauthorised absence', () => {
	it('10 school days in a row is notified; 9 is not', () => {
		const ten = longestContinuousUnauthorisedAbsence(days(TEN, 'O'));
		expect(ten).toEqual({ days: 10, from: '2026-11-02', to: '2026-11-13' });
		expect(mustNotifyContinuousAbsence(ten)).toBe(true);
		const nine = longestContinuousUnauthorisedAbsence(days(TEN.slice(1), 'N'));
		expect(nine?.days).toBe(9);
		expect(mustNotifyContinuousAbsence(nine)).toBe(false);
		expect(mustNotifyContinuousAbsence(null)).toBe(false);
	});

	it('an attended session ends the run', () => {
		const marks = days(TEN, 'O').map((m) => (m.date === '2026-11-06' && m.session === 'PM' ? { ...m, code: '/' as const } : m));
		expect(longestContinuousUnauthorisedAbsence(marks)).toEqual({ days: 5, from: '2026-11-09', to: '2026-11-13' });
	});

	it('an authorised absence (illness) ends the run', () => {
		const marks = [...days(TEN.slice(0, 4), 'O'), ...days(['2026-11-06'], 'I'), ...days(TEN.slice(5), 'G')];
		expect(longestContinuousUnauthorisedAbsence(marks)?.days).toBe(5);
	});

	it('a day with no possible session (X) neither breaks nor extends the run', () => {
		const marks = [...days(TEN.slice(0, 5), 'O'), ...days(['2026-11-09'], 'X'), ...days(TEN.slice(6), 'O')];
		expect(longestContinuousUnauthorisedAbsence(marks)).toEqual({ days: 9, from: '2026-11-02', to: '2026-11-13' });
	});

	it('none at all', () => {
		expect(longestContinuousUnauthorisedAbsence(days(TEN, '/'))).toBeNull();
		expect(longestContinuousUnauthorisedAbsence([])).toBeNull();
	});
});

describe('the agreed criteria for irregular attendance', () => {
	it('persistent absence (10% or more missed) over at least 20 possible sessions', () => {
		expect(meetsIrregularAttendanceCriteria({ possible: 100, attended: 90 })).toBe(true);
		expect(meetsIrregularAttendanceCriteria({ possible: 100, attended: 91 })).toBe(false);
		expect(meetsIrregularAttendanceCriteria({ possible: 19, attended: 0 })).toBe(false);
		expect(meetsIrregularAttendanceCriteria({ possible: 20, attended: 18 })).toBe(true);
	});

	it('a local authority can agree severe absence instead', () => {
		const criteria = { level: 'severe' as const, minimumPossibleSessions: 20 };
		expect(meetsIrregularAttendanceCriteria({ possible: 100, attended: 50 }, criteria)).toBe(true);
		expect(meetsIrregularAttendanceCriteria({ possible: 100, attended: 51 }, criteria)).toBe(false);
	});

	it('both reasons together', () => {
		const marks = days(TEN, 'N');
		const r = statutoryNotificationReasons(marks, { possible: 40, attended: 20 });
		expect(r.reasons).toEqual(['continuous_unauthorised_absence', 'irregular_attendance']);
		expect(statutoryNotificationReasons(days(TEN, '/'), { possible: 20, attended: 20 }).reasons).toEqual([]);
	});
});
