import { describe, expect, it } from 'vitest';
import { groupMarksByMonth } from '../../src/lib/domain/register-months';

const day = (date: string, am: string | null, pm: string | null) => ({
	date,
	am: am === null ? null : { code: am },
	pm: pm === null ? null : { code: pm }
});

describe('groupMarksByMonth', () => {
	it('groups newest first, keeping the order given, and counts absent sessions', () => {
		const months = groupMarksByMonth([
			day('2026-12-01', '/', '\\'),
			day('2026-11-30', 'I', 'I'),
			day('2026-11-27', 'L', 'U'),
			day('2026-11-26', 'M', '\\'),
			day('2026-10-23', 'G', null)
		]);
		expect(months.map((m) => m.month)).toEqual(['2026-12', '2026-11', '2026-10']);
		expect(months.map((m) => m.days.map((d) => d.date))).toEqual([
			['2026-12-01'],
			['2026-11-30', '2026-11-27', '2026-11-26'],
			['2026-10-23']
		]);
		// I I (illness), U (late after close: unauthorised), M (medical): 4; L is present.
		expect(months.map((m) => m.sessionsMissed)).toEqual([0, 4, 1]);
	});
	it('ignores codes that are not absences or not codes at all, and handles no days', () => {
		expect(groupMarksByMonth([day('2026-09-07', 'B', 'X'), day('2026-09-08', '??', null)])[0]!.sessionsMissed).toBe(0);
		expect(groupMarksByMonth([])).toEqual([]);
	});
	it('puts a month back together if days arrive out of order', () => {
		const months = groupMarksByMonth([day('2026-11-02', '/', '/'), day('2026-10-30', 'I', 'I'), day('2026-11-03', 'O', 'O')]);
		expect(months.map((m) => [m.month, m.days.length, m.sessionsMissed])).toEqual([
			['2026-11', 2, 2],
			['2026-10', 1, 2]
		]);
	});
});
