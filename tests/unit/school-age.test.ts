import { describe, expect, it } from 'vitest';
import {
	compulsorySchoolAgeBegins,
	compulsorySchoolAgeEnds,
	isOfCompulsorySchoolAge,
	ofCompulsorySchoolAgeDuring,
	schoolLeavingDate
} from '../../src/lib/domain/school-age';

describe('compulsory school age begins on the prescribed day after the fifth birthday', () => {
	it('31 March for a birthday from 1 January to 31 March', () => {
		expect(compulsorySchoolAgeBegins('2019-02-10')).toBe('2024-03-31'); // the guidance's own example
		expect(compulsorySchoolAgeBegins('2020-01-01')).toBe('2025-03-31');
	});
	it('on the birthday itself when it is a prescribed day', () => {
		expect(compulsorySchoolAgeBegins('2019-03-31')).toBe('2024-03-31');
		expect(compulsorySchoolAgeBegins('2019-08-31')).toBe('2024-08-31');
		expect(compulsorySchoolAgeBegins('2019-12-31')).toBe('2024-12-31');
	});
	it('31 August for April to August, 31 December for September to December', () => {
		expect(compulsorySchoolAgeBegins('2019-04-01')).toBe('2024-08-31');
		expect(compulsorySchoolAgeBegins('2019-09-01')).toBe('2024-12-31');
		expect(compulsorySchoolAgeBegins('2020-02-29')).toBe('2025-03-31');
	});
	it('a child the day before and the day it begins', () => {
		const child = { dateOfBirth: '2021-10-15', yearGroup: 0 }; // Reception in 2026/27, five in October
		expect(isOfCompulsorySchoolAge(child, '2026-12-30')).toBe(false);
		expect(isOfCompulsorySchoolAge(child, '2026-12-31')).toBe(true);
		const summerBorn = { dateOfBirth: '2022-06-01', yearGroup: 0 };
		expect(isOfCompulsorySchoolAge(summerBorn, '2027-07-21')).toBe(false); // all of Reception below it
		expect(isOfCompulsorySchoolAge(summerBorn, '2027-08-31')).toBe(true);
	});
	it('Nursery children are not of compulsory school age', () => {
		expect(isOfCompulsorySchoolAge({ dateOfBirth: '2023-01-05', yearGroup: -1 }, '2027-03-01')).toBe(false);
		expect(isOfCompulsorySchoolAge({ yearGroup: -1 }, '2027-03-01')).toBe(false);
	});
});

describe('compulsory school age ends on the last Friday in June of the school year the child turns 16', () => {
	it('finds the last Friday in June', () => {
		expect(schoolLeavingDate(2024)).toBe('2024-06-28');
		expect(schoolLeavingDate(2027)).toBe('2027-06-25');
		expect(schoolLeavingDate(2028)).toBe('2028-06-30');
	});
	it('for a September birthday it is the following June (the guidance example: born 23 Sep 2007, ends 28 Jun 2024)', () => {
		expect(compulsorySchoolAgeEnds('2007-09-23')).toBe('2024-06-28');
		expect(compulsorySchoolAgeEnds('2008-08-31')).toBe('2024-06-28');
		expect(compulsorySchoolAgeEnds('2008-07-15')).toBe('2024-06-28');
	});
	it('the day of the leaving date and the day after', () => {
		const y11 = { dateOfBirth: '2011-03-02', yearGroup: 11 };
		expect(isOfCompulsorySchoolAge(y11, '2027-06-25')).toBe(true);
		expect(isOfCompulsorySchoolAge(y11, '2027-06-26')).toBe(false);
	});
	it('without a date of birth: Years 1–11 are, Reception and the sixth form are not assumed to be', () => {
		expect(isOfCompulsorySchoolAge({ yearGroup: 1 }, '2026-09-10')).toBe(true);
		expect(isOfCompulsorySchoolAge({ yearGroup: 11 }, '2026-09-10')).toBe(true);
		expect(isOfCompulsorySchoolAge({ yearGroup: 0 }, '2026-09-10')).toBe(false);
		expect(isOfCompulsorySchoolAge({ yearGroup: 12 }, '2026-09-10')).toBe(false);
		expect(isOfCompulsorySchoolAge({}, '2026-09-10')).toBe(false);
	});
	it('during a range: reaching it on the last day counts', () => {
		const child = { dateOfBirth: '2021-10-15', yearGroup: 0 };
		expect(ofCompulsorySchoolAgeDuring(child, '2026-12-14', '2026-12-30')).toBe(false);
		expect(ofCompulsorySchoolAgeDuring(child, '2026-12-14', '2026-12-31')).toBe(true);
	});
	it('rejects a bad date', () => {
		expect(() => compulsorySchoolAgeBegins('2020-02-30')).toThrow(RangeError);
	});
});
