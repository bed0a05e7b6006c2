import { describe, expect, it } from 'vitest';
import { pageOf } from '../../src/lib/domain/paging';

describe('pageOf', () => {
	it('shows the first page by default', () => {
		expect(pageOf(203, null, 100)).toEqual({ page: 1, pages: 3, start: 0, end: 100, total: 203, size: 100 });
	});

	it('shows the page asked for, the last one short', () => {
		expect(pageOf(203, '2', 100)).toMatchObject({ page: 2, start: 100, end: 200 });
		expect(pageOf(203, '3', 100)).toMatchObject({ page: 3, start: 200, end: 203 });
	});

	it('clamps a page past the end to the last page and a malformed one to the first', () => {
		expect(pageOf(203, '9', 100)).toMatchObject({ page: 3, start: 200, end: 203 });
		for (const bad of ['0', '-1', 'abc', '1.5', '', ' ', '1e3']) expect(pageOf(203, bad, 100).page).toBe(1);
	});

	it('has one empty page when there is nothing to list', () => {
		expect(pageOf(0, '4', 100)).toEqual({ page: 1, pages: 1, start: 0, end: 0, total: 0, size: 100 });
	});

	it('refuses a page size that is not a positive whole number', () => {
		expect(() => pageOf(10, '1', 0)).toThrow(RangeError);
	});
});
