import { describe, expect, it } from 'vitest';
import { matchChildren, parseIntent, reasonFromText, sessionsFromText, smsSegments, type DateRange, type Intent } from '../../src/lib/domain/bot-intents';

const SAM = { pupilId: 'p-sam', name: 'Sam' };
const ELLA = { pupilId: 'p-ella', name: 'Ella' };
const MOHAMMED = { pupilId: 'p-mo', name: 'Mohammed' };
const kids = [SAM, ELLA, MOHAMMED];
/* A Thursday in term. */
const TODAY = '2026-11-05';
const TOMORROW = '2026-11-06';
const PAIRS = [['p-sam', 'p-ella'], ['p-sam', 'p-mo'], ['p-ella', 'p-mo']];

type Expect = Partial<Omit<Extract<Intent, { kind: 'report' }>, 'kind' | 'dates'>> & { kind: Intent['kind']; dates?: Partial<DateRange> };

describe('parseIntent: real-world phrasings', () => {
	const table: [string, Expect][] = [
		['Sam is off sick today', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness', dates: { from: TODAY, to: null, untilFurtherNotice: false }, sessions: 'BOTH' }],
		['sam off sick', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness' }],
		['Ella has the dentist at 10', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', sessions: 'AM' }],
		['ella doctors appointment at 2pm', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', sessions: 'PM' }],
		// "both" from a parent of three: which two? Asked, not guessed.
		['both kids ill', { kind: 'report', pupilIds: [], childOptions: PAIRS, reason: 'illness' }],
		['all the kids are ill', { kind: 'report', allChildren: true, pupilIds: ['p-sam', 'p-ella', 'p-mo'], reason: 'illness' }],
		['Mohamed has a temperature', { kind: 'report', pupilIds: ['p-mo'], reason: 'illness' }],
		['Elal is poorly', { kind: 'report', pupilIds: ['p-ella'], reason: 'illness' }],
		['not coming in today, vomiting all night', { kind: 'report', pupilIds: [], reason: 'illness' }],
		['Sam wont be in tomorrow', { kind: 'report', pupilIds: ['p-sam'], reason: null, dates: { from: TOMORROW, to: null, untilFurtherNotice: false } }],
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
		expect(parseIntent(text, kids, { today: TODAY })).toMatchObject(expected);
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

describe('parseIntent: parents’ own languages (issue 10)', () => {
	const table: [string, string, Expect][] = [
		// Polish
		['pl', 'Sam jest dziś chory', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness', dates: { from: TODAY, to: null, untilFurtherNotice: false } }],
		['pl', 'Ella ma gorączkę', { kind: 'report', pupilIds: ['p-ella'], reason: 'illness' }],
		['pl', 'Ella ma wizytę u dentysty o 10', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', sessions: 'AM' }],
		['pl', 'Sam nie będzie jutro w szkole', { kind: 'report', pupilIds: ['p-sam'], reason: null, dates: { from: TOMORROW, to: null, untilFurtherNotice: false } }],
		['pl', 'oboje są chorzy, chore', { kind: 'report', pupilIds: [], childOptions: PAIRS, reason: 'illness' }],
		['pl', 'dzieci są chore', { kind: 'report', allChildren: true, pupilIds: ['p-sam', 'p-ella', 'p-mo'], reason: 'illness' }],
		['pl', 'pomocy', { kind: 'help' }],
		['pl', 'frekwencja', { kind: 'attendance' }],
		['pl', 'obecność Sama', { kind: 'attendance' }],
		['pl', 'Tak', { kind: 'still_off' }],
		['pl', 'nadal chory', { kind: 'still_off' }],
		['pl', 'wrócił', { kind: 'back' }],
		['pl', 'Nie', { kind: 'back' }],
		['pl', 'wypisz', { kind: 'stop' }],
		['pl', 'zapisz', { kind: 'start' }],
		// Romanian
		['ro', 'Sam este bolnav azi', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness' }],
		['ro', 'Ella e bolnavă', { kind: 'report', pupilIds: ['p-ella'], reason: 'illness' }],
		['ro', 'Ella are programare la medic la 14:00', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', sessions: 'PM' }],
		['ro', 'Sam nu vine mâine', { kind: 'report', pupilIds: ['p-sam'], dates: { from: TOMORROW, to: null, untilFurtherNotice: false } }],
		['ro', 'ajutor', { kind: 'help' }],
		['ro', 'prezența', { kind: 'attendance' }],
		['ro', 'Da', { kind: 'still_off' }],
		['ro', 'nu', { kind: 'back' }],
		['ro', 'dezabonare', { kind: 'stop' }],
		['ro', 'pornește', { kind: 'start' }],
		// Arabic
		['ar', 'سام مريض اليوم', { kind: 'report', reason: 'illness', dates: { from: TODAY, to: null, untilFurtherNotice: false } }],
		['ar', 'ابنتي مريضة', { kind: 'report', reason: 'illness' }],
		['ar', 'عنده حمى', { kind: 'report', reason: 'illness' }],
		['ar', 'Ella عندها موعد مع الطبيب غدا', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', dates: { from: TOMORROW, to: null, untilFurtherNotice: false } }],
		['ar', 'Sam غائب', { kind: 'report', pupilIds: ['p-sam'], reason: null }],
		['ar', 'أحتاج مساعدة', { kind: 'help' }],
		['ar', 'الحضور', { kind: 'attendance' }],
		['ar', 'نعم', { kind: 'still_off' }],
		['ar', 'لا', { kind: 'back' }],
		['ar', 'توقف', { kind: 'stop' }],
		['ar', 'ابدأ', { kind: 'start' }],
		// Bengali, and romanised Bengali
		['bn', 'Sam আজ অসুস্থ', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness' }],
		['bn', 'ওর জ্বর', { kind: 'report', reason: 'illness' }],
		['bn', 'Ella ডাক্তারের কাছে যাবে', { kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment' }],
		['bn', 'Sam আগামীকাল স্কুলে যাবে না', { kind: 'report', pupilIds: ['p-sam'], dates: { from: TOMORROW, to: null, untilFurtherNotice: false } }],
		['bn', 'sam oshustho', { kind: 'report', pupilIds: ['p-sam'], reason: 'illness' }],
		['bn', 'Ella r jor', { kind: 'report', pupilIds: ['p-ella'], reason: 'illness' }],
		['bn', 'সাহায্য', { kind: 'help' }],
		['bn', 'উপস্থিতি', { kind: 'attendance' }],
		['bn', 'হ্যাঁ', { kind: 'still_off' }],
		['bn', 'না', { kind: 'back' }],
		['bn', 'বন্ধ', { kind: 'stop' }],
		['bn', 'শুরু', { kind: 'start' }]
	];
	it.each(table)('%s: %s', (_lang, text, expected) => {
		expect(parseIntent(text, kids, { today: TODAY })).toMatchObject(expected);
	});

	it('keeps the English STOP and START handling exactly, and only whole-message answers count as yes/no', () => {
		expect(parseIntent('STOP', kids)).toEqual({ kind: 'stop' });
		expect(parseIntent('stop please', kids).kind).not.toBe('stop');
		expect(parseIntent('START', kids)).toEqual({ kind: 'start' });
		// "da" and "nu" inside a sentence are not answers.
		expect(parseIntent('da mi znać', kids).kind).not.toBe('still_off');
		expect(parseIntent('nu știu ce ora', kids).kind).not.toBe('back');
		// A Polish word is not matched inside a longer one ("chory" in "chorych" is fine, "tak" in "taki" is not an answer).
		expect(parseIntent('taki', kids).kind).toBe('unknown');
	});

	it('does not read an unrelated message in those languages as a report', () => {
		expect(parseIntent('O której jest jasełka?', kids)).toEqual({ kind: 'unknown' });
		expect(parseIntent('متى تبدأ المسرحية؟', kids)).toEqual({ kind: 'unknown' });
		expect(parseIntent('নাটক কখন?', kids)).toEqual({ kind: 'unknown' });
	});
});
