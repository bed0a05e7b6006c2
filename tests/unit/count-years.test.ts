import { describe, expect, it } from 'vitest';
import { countYearCovering, countYearOf } from '../../src/lib/domain/count-years';

describe('count years (1 August to 31 July)', () => {
	it('puts September to July in the year that started on 1 August', () => {
		expect(countYearOf('2026-09-01')).toEqual({ start: '2026-08-01', end: '2027-07-31' });
		expect(countYearOf('2027-07-31')).toEqual({ start: '2026-08-01', end: '2027-07-31' });
		expect(countYearOf('2026-08-01')).toEqual({ start: '2026-08-01', end: '2027-07-31' });
		expect(countYearOf('2026-07-31')).toEqual({ start: '2025-08-01', end: '2026-07-31' });
		expect(countYearOf('2027-01-15')).toEqual({ start: '2026-08-01', end: '2027-07-31' });
	});

	it('covers an academic year or a term, but not a range across 1 August', () => {
		expect(countYearCovering('2026-09-01', '2027-07-21')).toEqual({ start: '2026-08-01', end: '2027-07-31' });
		expect(countYearCovering('2026-11-02', '2026-12-18')).toEqual({ start: '2026-08-01', end: '2027-07-31' });
		expect(countYearCovering('2026-07-01', '2026-09-30')).toBeNull();
		expect(countYearCovering('2026-09-10', '2026-09-01')).toBeNull();
	});
});
