import { describe, expect, it } from 'vitest';
import { childOptions, childPress, dayTheCallIsAbout, reasonPress, spokenReference, voiceFor, MAX_CHILDREN_ON_MENU } from '../../src/lib/domain/phone-line';
import type { SchoolCalendar } from '../../src/lib/domain/calendar';
import { LOCALES } from '../../src/lib/domain/locale';

const kids = [
	{ pupilId: 'a', name: 'Sam' },
	{ pupilId: 'b', name: 'Ella' }
];

describe('the phone line menus', () => {
	it('numbers each child and offers "all of them" only when there is more than one', () => {
		expect(childOptions(kids)).toEqual([
			{ digit: '1', pupilIds: ['a'], name: 'Sam' },
			{ digit: '2', pupilIds: ['b'], name: 'Ella' },
			{ digit: '3', pupilIds: ['a', 'b'], name: null }
		]);
		expect(childOptions(kids.slice(0, 1))).toEqual([{ digit: '1', pupilIds: ['a'], name: 'Sam' }]);
	});

	it('never says more children than fit on the keypad before 9 (the language key)', () => {
		const many = Array.from({ length: 10 }, (_, i) => ({ pupilId: `p${i}`, name: `Child ${i}` }));
		const options = childOptions(many);
		expect(options).toHaveLength(MAX_CHILDREN_ON_MENU + 1);
		expect(options.at(-1)!.digit).toBe('8');
		expect(options.every((o) => o.digit !== '9' && o.digit !== '0')).toBe(true);
	});

	it('reads the child menu keys: children, 0 for the office, 9 for the language, silence, and nonsense', () => {
		expect(childPress('1', kids)).toEqual({ kind: 'children', pupilIds: ['a'] });
		expect(childPress('3', kids)).toEqual({ kind: 'children', pupilIds: ['a', 'b'] });
		expect(childPress('0', kids)).toEqual({ kind: 'office' });
		expect(childPress('9', kids)).toEqual({ kind: 'language' });
		expect(childPress('', kids)).toEqual({ kind: 'none' });
		expect(childPress(undefined, kids)).toEqual({ kind: 'none' });
		expect(childPress('4', kids)).toEqual({ kind: 'unknown' });
		expect(childPress('#', kids)).toEqual({ kind: 'unknown' });
	});

	it('reads the reason keys, star to go back', () => {
		expect(reasonPress('1')).toEqual({ kind: 'reason', reason: 'illness' });
		expect(reasonPress('2')).toEqual({ kind: 'reason', reason: 'medical_appointment' });
		expect(reasonPress('3')).toEqual({ kind: 'reason', reason: 'other' });
		expect(reasonPress('*')).toEqual({ kind: 'back' });
		expect(reasonPress('0')).toEqual({ kind: 'office' });
		expect(reasonPress('')).toEqual({ kind: 'none' });
		expect(reasonPress('5')).toEqual({ kind: 'unknown' });
	});
});

describe('what the line says', () => {
	it('reads a reference one character at a time, without its dash', () => {
		expect(spokenReference('K7Q-2M9')).toBe('K, 7, Q, 2, M, 9');
		expect(spokenReference('ab1')).toBe('A, B, 1');
	});

	it('has a Twilio voice for every language the app speaks', () => {
		for (const locale of LOCALES) expect(voiceFor(locale).language).toMatch(/^[a-z]{2,3}(-[A-Z]{2})?$/);
		expect(voiceFor('pl')).toEqual({ language: 'pl-PL', voice: 'Polly.Ewa' });
		expect(voiceFor('en').language).toBe('en-GB');
	});
});

describe('the day a call is about', () => {
	const cal: SchoolCalendar = {
		timeZone: 'Europe/London',
		terms: [{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' }],
		closures: []
	};
	it('is today during the school day', () => {
		expect(dayTheCallIsAbout(cal, '2026-11-03', '07:45', '15:15:00')).toBe('2026-11-03');
		expect(dayTheCallIsAbout(cal, '2026-11-03', '15:14', '15:15')).toBe('2026-11-03');
	});
	it('is the next school day after the school day ends, at a weekend, or in a holiday', () => {
		expect(dayTheCallIsAbout(cal, '2026-11-03', '15:15', '15:15')).toBe('2026-11-04');
		expect(dayTheCallIsAbout(cal, '2026-11-06', '19:00', '15:15')).toBe('2026-11-09');
		expect(dayTheCallIsAbout(cal, '2026-11-07', '09:00', '15:15')).toBe('2026-11-09');
		expect(dayTheCallIsAbout(cal, '2026-10-30', '09:00', '15:15')).toBe('2026-11-02');
	});
	it('is nothing once the calendar has no school day ahead', () => {
		expect(dayTheCallIsAbout(cal, '2026-12-18', '18:00', '15:15')).toBeNull();
	});
});
