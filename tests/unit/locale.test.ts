import { describe, expect, it } from 'vitest';
import {
	LOCALES,
	chooseMessageLocale,
	chooseWebLocale,
	isEnglishOnlyPath,
	localeFromAcceptLanguage,
	textDirection,
	toLocale
} from '../../src/lib/domain/locale';

describe('toLocale', () => {
	it.each([
		['pl', 'pl'],
		['PL', 'pl'],
		['pl-PL', 'pl'],
		['ro_RO', 'ro'],
		[' ar ', 'ar'],
		['bn-BD', 'bn'],
		['Polish', 'pl'],
		['Romanian', 'ro'],
		['Arabic', 'ar'],
		['Bengali', 'bn'],
		['en-GB', 'en'],
		['ur', null],
		['fr-FR', null],
		['', null],
		[null, null],
		[undefined, null]
	] as const)('%s → %s', (input, expected) => {
		expect(toLocale(input)).toBe(expected);
	});
});

describe('localeFromAcceptLanguage', () => {
	it.each([
		['pl-PL,pl;q=0.9,en;q=0.8', 'pl'],
		['en-US,en;q=0.9', 'en'],
		['fr-FR, ro;q=0.5', 'ro'],
		['ro;q=0.8, pl', 'pl'],
		['ar;q=0.5, bn;q=0.5', 'ar'],
		['pl;q=0, ro;q=0.1', 'ro'],
		['fr, de', null],
		['*', null],
		['', null],
		[null, null]
	] as const)('%s → %s', (header, expected) => {
		expect(localeFromAcceptLanguage(header)).toBe(expected);
	});
});

describe('chooseWebLocale', () => {
	const base = { pathname: '/report', guardianPreference: null, cookie: null, acceptLanguage: null };
	it('is English with nothing to go on', () => expect(chooseWebLocale(base)).toBe('en'));
	it('a signed-in parent’s preference wins over the cookie and the browser', () => {
		expect(chooseWebLocale({ ...base, guardianPreference: 'bn', cookie: 'pl', acceptLanguage: 'ro' })).toBe('bn');
		expect(chooseWebLocale({ ...base, guardianPreference: 'en', cookie: 'pl', acceptLanguage: 'ro' })).toBe('en');
	});
	it('an unsupported preference falls through to the cookie, then the browser', () => {
		expect(chooseWebLocale({ ...base, guardianPreference: 'ur', cookie: 'pl', acceptLanguage: 'ro' })).toBe('pl');
		expect(chooseWebLocale({ ...base, guardianPreference: 'ur', cookie: null, acceptLanguage: 'ro' })).toBe('ro');
	});
	it('the cookie wins over the browser; a bad cookie is ignored', () => {
		expect(chooseWebLocale({ ...base, cookie: 'ar', acceptLanguage: 'pl' })).toBe('ar');
		expect(chooseWebLocale({ ...base, cookie: 'xx', acceptLanguage: 'pl' })).toBe('pl');
	});
	it('staff, admin and dev pages are always English', () => {
		for (const pathname of ['/staff', '/staff/reports', '/admin', '/admin/directory', '/dev/outbox', '/dev']) {
			expect(chooseWebLocale({ pathname, guardianPreference: 'pl', cookie: 'ar', acceptLanguage: 'bn' })).toBe('en');
		}
	});
	it('every combination gives a supported locale, and the first usable source decides', () => {
		const prefs = [null, 'en', 'pl', 'ur'];
		const cookies = [null, 'ro', 'zz'];
		const headers = [null, 'ar', 'fr'];
		for (const guardianPreference of prefs)
			for (const cookie of cookies)
				for (const acceptLanguage of headers) {
					const got = chooseWebLocale({ pathname: '/', guardianPreference, cookie, acceptLanguage });
					const expected = toLocale(guardianPreference) ?? toLocale(cookie) ?? toLocale(acceptLanguage) ?? 'en';
					expect(got).toBe(expected);
					expect(LOCALES).toContain(got);
				}
	});
});

describe('isEnglishOnlyPath', () => {
	it.each([
		['/staff', true],
		['/staff/sign-in', true],
		['/admin', true],
		['/dev/phone', true],
		['/staffroom', false],
		['/developer', false],
		['/', false],
		['/report', false],
		['/support', false]
	] as const)('%s → %s', (path, expected) => expect(isEnglishOnlyPath(path)).toBe(expected));
});

describe('chooseMessageLocale', () => {
	it.each([
		[{ guardianPreference: 'pl' }, 'pl'],
		[{ guardianPreference: 'pl', telegramLanguage: 'ro' }, 'pl'],
		[{ guardianPreference: 'en', telegramLanguage: 'ro' }, 'ro'],
		[{ guardianPreference: 'en', telegramLanguage: 'de' }, 'en'],
		[{ guardianPreference: 'en', telegramLanguage: null }, 'en'],
		[{ guardianPreference: 'ur', telegramLanguage: 'bn' }, 'bn'],
		[{ guardianPreference: 'ur' }, 'en'],
		[{ guardianPreference: null }, 'en']
	] as const)('%o → %s', (input, expected) => expect(chooseMessageLocale(input)).toBe(expected));
});

describe('textDirection', () => {
	it('Arabic is right to left, the rest left to right', () => {
		expect(LOCALES.map((l) => [l, textDirection(l)])).toEqual([
			['en', 'ltr'],
			['pl', 'ltr'],
			['ro', 'ltr'],
			['ar', 'rtl'],
			['bn', 'ltr']
		]);
	});
});
