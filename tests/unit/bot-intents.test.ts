import { describe, expect, it } from 'vitest';
import { matchChildren, parseIntent, reasonFromText, sessionsFromText, smsSegments, type Intent } from '../../src/lib/domain/bot-intents';

const SAM = { pupilId: 'p-sam', name: 'Sam' };
const ELLA = { pupilId: 'p-ella', name: 'Ella' };
const MOHAMMED = { pupilId: 'p-mo', name: 'Mohammed' };
const kids = [SAM, ELLA, MOHAMMED];

type Expect = Partial<Omit<Extract<Intent, { kind: 'report' }>, 'kind'>> & { kind: Intent['kind'] };

describe('parseIntent: real-world phrasings', () => {
	const table: [string, Expect][] = [
		['Sam is off sick today', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness', day: 'today', sessions: 'BOTH' }],
		['sam off sick', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness' }],
		['Ella has the dentist at 10', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', sessions: 'AM' }],
		['ella doctors appointment at 2pm', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', sessions: 'PM' }],
		['both kids ill', { kind: 'report', allChildren: true, pupilIds: ['p-sam', 'p-ella', 'p-mo'], reason: 'illness' }],
		['Mohamed has a temperature', { kind: 'report', pupilIds: ['p-mo'], reason: 'illness' }],
		['Elal is poorly', { kind: 'report', pupilIds: ['p-ella'], reason: 'illness' }],
		['not coming in today, vomiting all night', { kind: 'report', pupilIds: [], reason: 'illness' }],
		['Sam wont be in tomorrow', { kind: 'report', pupilIds: ['p-sam'], reason: null, day: 'tomorrow' }],
		['Sam is too anxious to come in', { kind: 'report', pupilIds: ['p-sam'], reason: 'mental_health' }],
		['Ella off for Eid', { kind: 'report', pupilIds: ['p-ella'], reason: 'religious_observance' }],
		['her nan passed away, Ella will be off', { kind: 'report', pupilIds: ['p-ella'], reason: 'bereavement' }],
		['STOP', { kind: 'stop' }],
		['Stop', { kind: 'stop' }],
		['unsubscribe', { kind: 'stop' }],
		['START', { kind: 'start' }],
		['help', { kind: 'help' }],
		['my son is being bullied', { kind: 'help' }],
		['the bus never came', { kind: 'help' }],
		['attendance', { kind: 'attendance' }],
		['How many days has Sam missed?', { kind: 'attendance' }],
		['Yes', { kind: 'still_off' }],
		['back', { kind: 'back' }],
		['Hello', { kind: 'greeting' }],
		['Dzień dobry', { kind: 'greeting' }],
		['Salam', { kind: 'greeting' }],
		['Bună', { kind: 'greeting' }],
		['what time is the nativity?', { kind: 'unknown' }],
		['', { kind: 'unknown' }]
	];
	it.each(table)('%s', (text, expected) => {
		expect(parseIntent(text, kids)).toMatchObject(expected);
	});

	it('reads a number as a choice only when we asked a numbered question', () => {
		expect(parseIntent('2', kids, { awaitingChoice: true })).toEqual({ kind: 'choice', number: 2 });
		expect(parseIntent('2', kids)).toEqual({ kind: 'unknown' });
	});
});

describe('helpers', () => {
	it('matches children by name with one typo for longer names, not for short ones', () => {
		expect(matchChildren("Sam's got a cold", kids)).toEqual(['p-sam']);
		expect(matchChildren('Ela and Sam', kids)).toEqual(['p-sam', 'p-ella']);
		expect(matchChildren('Tom is ill', kids)).toEqual([]);
		expect(matchChildren('Same here', kids)).toEqual([]);
	});
	it('finds the reason and the session', () => {
		expect(reasonFromText('funeral on Friday')).toBe('bereavement');
		expect(reasonFromText('a day out')).toBeNull();
		expect(sessionsFromText('dentist at 9.30')).toBe('AM');
		expect(sessionsFromText('dentist at 3')).toBe('PM');
		expect(sessionsFromText('dentist this afternoon')).toBe('PM');
		expect(sessionsFromText('dentist')).toBe('BOTH');
	});
});

describe('smsSegments', () => {
	it('counts GSM-7 texts in 160 / 153 character parts', () => {
		expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
		expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
		expect(smsSegments('a'.repeat(306)).segments).toBe(2);
		expect(smsSegments('a'.repeat(307)).segments).toBe(3);
	});
	it('counts the GSM-7 extension characters twice', () => {
		expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
		expect(smsSegments('€'.repeat(81)).segments).toBe(2);
	});
	it('switches the whole text to UCS-2 for any other character', () => {
		expect(smsSegments('Dzień dobry')).toEqual({ encoding: 'UCS-2', units: 11, segments: 1 });
		expect(smsSegments('We’ve told the school').encoding).toBe('UCS-2');
		expect(smsSegments('x'.repeat(70) + 'ł').segments).toBe(2);
		expect(smsSegments('😀').units).toBe(2);
	});
});
