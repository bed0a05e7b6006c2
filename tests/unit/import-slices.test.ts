import { describe, expect, it } from 'vitest';
import { monthSlices } from '../../src/lib/server/features/register-import/apply';

describe('an import applied month by month', () => {
	it('covers a school year in calendar months, with no gaps or overlaps', () => {
		const slices = monthSlices('2026-09-01', '2027-07-21');
		expect(slices).toHaveLength(11);
		expect(slices[0]).toEqual({ from: '2026-09-01', to: '2026-09-30' });
		expect(slices[5]).toEqual({ from: '2027-02-01', to: '2027-02-28' });
		expect(slices.at(-1)).toEqual({ from: '2027-07-01', to: '2027-07-21' });
		for (let i = 1; i < slices.length; i++) {
			const dayAfter = new Date(Date.parse(`${slices[i - 1]!.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
			expect(slices[i]!.from).toBe(dayAfter);
		}
	});

	it('is one slice for a day or a few days in one month, and handles a leap February and December', () => {
		expect(monthSlices('2026-11-04', '2026-11-04')).toEqual([{ from: '2026-11-04', to: '2026-11-04' }]);
		expect(monthSlices('2028-02-10', '2028-03-02')).toEqual([
			{ from: '2028-02-10', to: '2028-02-29' },
			{ from: '2028-03-01', to: '2028-03-02' }
		]);
		expect(monthSlices('2026-12-30', '2027-01-02')).toEqual([
			{ from: '2026-12-30', to: '2026-12-31' },
			{ from: '2027-01-01', to: '2027-01-02' }
		]);
	});
});
