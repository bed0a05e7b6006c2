import { describe, expect, it } from 'vitest';
import { matchChildren, parseIntent, reasonFromText, sessionsFromText, smsSegments, type DateRange, type Intent } from '../../bot/understanding';

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

describe('parseIntent: parents’ own languages', () => {
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

describe('parseIntent: days, times, questions and follow-ups', () => {
	const two = [SAM, ELLA];
	const CAL = {
		timeZone: 'Europe/London',
		terms: [{ name: 'Autumn 2', startsOn: '2026-11-02', endsOn: '2026-12-18' }],
		closures: [{ date: '2026-11-27', sessions: 'BOTH' as const, kind: 'inset' as const, description: 'Training' }]
	};
	const report = (text: string, opts: Parameters<typeof parseIntent>[2] = {}) => {
		const i = parseIntent(text, two, { today: TODAY, time: '08:00', calendar: CAL, ...opts });
		if (i.kind !== 'report') throw new Error(`not a report: ${i.kind}`);
		return i;
	};
	const day = (from: string, to: string | null = null) => ({ from, to, untilFurtherNotice: false });

	it('asks which day rather than assuming today when the school day is over, or on a weekend', () => {
		expect(report('Sam is ill', { time: '18:10' }).dateOptions).toEqual([day('2026-11-06'), day(TODAY)]);
		expect(report('Sam is ill', { today: '2026-11-07' }).dateOptions).toEqual([day('2026-11-09')]);
		// Said "today" in the evening: taken as said.
		expect(report('Sam was ill today', { time: '18:10' }).dateOptions).toBeUndefined();
	});

	it('asks about the British "next Tuesday" when this week’s Tuesday is still to come', () => {
		expect(report('Sam off next tues', { today: '2026-11-09' }).dateOptions).toEqual([day('2026-11-17'), day('2026-11-10')]);
		// On a Thursday, this week’s Tuesday has gone: no doubt.
		expect(report('Sam off next tues').dates).toEqual(day('2026-11-10'));
	});

	it('asks whether "until Friday" includes Friday, unless the parent said so', () => {
		expect(report('Ella off until Friday').dateOptions).toEqual([day(TODAY, '2026-11-06'), day(TODAY)]);
		expect(report('Ella off until Friday inclusive').dates).toEqual(day(TODAY, '2026-11-06'));
		expect(report('Ella back on Wednesday').dates).toEqual(day(TODAY, '2026-11-10'));
	});

	it('reads ranges, weeks and open-ended absences', () => {
		expect(report('sam off mon-wed').dates).toEqual(day('2026-11-09', '2026-11-11'));
		expect(report('sam off all next week').dates).toEqual(day('2026-11-09', '2026-11-13'));
		expect(report('sam off for the rest of the week').dates).toEqual(day(TODAY, '2026-11-06'));
		expect(report('sam ill, not sure when he will be back').dates).toEqual({ from: TODAY, to: null, untilFurtherNotice: true });
		// Two separate days are two reports.
		expect(report('sam off monday and wednesday').items.map((i) => i.dates)).toEqual([day('2026-11-09'), day('2026-11-11')]);
	});

	it('queries a day in the past, beyond the terms we know, or with no school', () => {
		expect(report('Sam was off yesterday').dateProblem).toBe('past');
		expect(report('Sam has an appointment on 12/3').dateProblem).toBe('too_far');
		expect(report('Sam off on the 27th').dateProblem).toBe('closed');
		expect(report('Sam off sick on Saturday').dateProblem).toBe('closed');
	});

	it('exposes the times a parent gives, and the sessions they mean', () => {
		expect(report('picking sam up at 1:30 for the dentist, back by 3')).toMatchObject({ leavesAt: '13:30', returnsAt: '15:00', sessions: 'PM' });
		expect(report('sam will be late, in by 10')).toMatchObject({ arrivesBy: '10:00', lateArrival: true, sessions: 'AM', reason: null });
		expect(report('ella orthodontist at half 10')).toMatchObject({ appointmentAt: '10:30', sessions: 'AM' });
		expect(report('ella hospital appt, in after lunch')).toMatchObject({ sessions: 'AM' });
		expect(report('collecting ella at lunchtime for the doctors')).toMatchObject({ leavesAt: '12:00', sessions: 'PM' });
	});

	it('reads a follow-up as a change to the report just made, and only then', () => {
		expect(parseIntent('sorry, I meant Friday', two, { today: TODAY, recentReport: true })).toMatchObject({ kind: 'amend', dates: day('2026-11-06'), addPupilIds: [] });
		expect(parseIntent('and Ella too', two, { today: TODAY, recentReport: true })).toMatchObject({ kind: 'amend', addPupilIds: ['p-ella'] });
		expect(parseIntent('sorry not Sam, Ella', two, { today: TODAY, recentReport: true })).toMatchObject({ kind: 'amend', replacePupilIds: ['p-ella'] });
		expect(parseIntent('sorry, it is the dentist not illness', two, { today: TODAY, recentReport: true })).toMatchObject({ kind: 'amend', reason: 'medical_appointment' });
		expect(parseIntent('and Ella too', two, { today: TODAY }).kind).not.toBe('amend');
	});

	it('never picks between two children a word fits equally, nor assumes an unknown name is the only child', () => {
		const twins = [{ pupilId: 'a', name: 'Ella' }, { pupilId: 'b', name: 'Elle' }];
		expect(parseIntent('Elly is sick', twins, { today: TODAY })).toMatchObject({ kind: 'report', childOptions: [['a'], ['b']] });
		expect(parseIntent('Jack is ill', [SAM], { today: TODAY })).toMatchObject({ kind: 'report', unknownName: 'Jack' });
		// A nickname learned before is a name like any other.
		expect(parseIntent('Buster is ill', [{ ...SAM, aliases: ['Buster'] }], { today: TODAY })).toMatchObject({ kind: 'report', pupilIds: ['p-sam'] });
		// Names that are words count only with a capital letter.
		expect(parseIntent('he will be off sick', [{ pupilId: 'w', name: 'Will' }, ELLA], { today: TODAY })).toMatchObject({ pupilIds: [] });
		expect(parseIntent('Will is off sick', [{ pupilId: 'w', name: 'Will' }, ELLA], { today: TODAY })).toMatchObject({ pupilIds: ['w'] });
	});
});

describe('parseIntent: follow-ups that are not changes', () => {
	const two = [SAM, ELLA];
	it('"sorry, Ella is sick too" adds Ella; "and Ella has the dentist at 2" is a report of its own', () => {
		expect(parseIntent('sorry, Ella is sick too', two, { today: TODAY, recentReport: true })).toMatchObject({ kind: 'amend', addPupilIds: ['p-ella'], replacePupilIds: [] });
		expect(parseIntent('and Ella has the dentist at 2', two, { today: TODAY, recentReport: true })).toMatchObject({ kind: 'report', pupilIds: ['p-ella'], reason: 'medical_appointment', sessions: 'PM' });
		expect(parseIntent('sorry I meant Ella', two, { today: TODAY, recentReport: true })).toMatchObject({ kind: 'amend', replacePupilIds: ['p-ella'] });
	});
});

describe('parseIntent: an appointment "next week"', () => {
	it('asks which day of the week rather than reporting the whole week', () => {
		const i = parseIntent('Ella has a dentist appointment next week', [SAM, ELLA], { today: TODAY });
		expect(i).toMatchObject({ kind: 'report', reason: 'medical_appointment' });
		expect(i.kind === 'report' && i.dateOptions?.map((d) => d.from)).toEqual(['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13']);
		// Off all next week for an operation is the whole week.
		const all = parseIntent('Ella off all next week, hospital appointment', [SAM, ELLA], { today: TODAY });
		expect(all.kind === 'report' && all.dateOptions).toBeUndefined();
	});
});

describe('parseIntent: a question about one child’s day leaves the other’s alone', () => {
	it('"Sam is ill today and Ella is off next Friday": the question is for Ella’s report only', () => {
		const i = parseIntent('Sam is ill today and Ella is off next Friday with a hospital appointment', [SAM, ELLA], { today: TODAY });
		expect(i).toMatchObject({ kind: 'report', dateOptionItems: [1] });
		expect(i.kind === 'report' && i.items.map((x) => [x.pupilIds, x.reason, x.dates.from])).toEqual([
			[['p-sam'], 'illness', TODAY],
			[['p-ella'], 'medical_appointment', '2026-11-13']
		]);
	});
});
