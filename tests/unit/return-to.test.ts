import { describe, expect, it } from 'vitest';
import { safeReturnTo, signInThenBackTo } from '../../src/lib/domain/return-to';

describe('where to go back to after signing in', () => {
	it('keeps a path on this site, with its query', () => {
		expect(safeReturnTo('/reports/AB3-7KQ')).toBe('/reports/AB3-7KQ');
		expect(safeReturnTo('/report?child=x')).toBe('/report?child=x');
	});

	it('refuses another site, a scheme, control characters, a loop or something too long', () => {
		for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', 'reports', '', null, undefined, '/x\n/y', '/sign-in', '/sign-in/code', '/sign-in?returnTo=/x', `/${'a'.repeat(300)}`]) {
			expect(safeReturnTo(bad), String(bad)).toBeNull();
		}
	});

	it('builds the sign-in link that brings the parent back', () => {
		expect(signInThenBackTo({ pathname: '/reports/AB3-7KQ', search: '' })).toBe('/sign-in?returnTo=%2Freports%2FAB3-7KQ');
		expect(signInThenBackTo({ pathname: '/', search: '' })).toBe('/sign-in');
		expect(signInThenBackTo({ pathname: '/children', search: '' })).toBe('/sign-in');
		expect(signInThenBackTo({ pathname: '//evil.example', search: '' })).toBe('/sign-in');
	});
});
