import { describe, expect, it } from 'vitest';
import { LETTER_TEMPLATES, composeLetter, letterMergeValues, templateFor, toneProblems, toneProblemText, unknownLetterFields, type LetterFigures } from '../../src/lib/domain/graduated-letters';
import { LETTER_STEPS } from '../../src/lib/domain/graduated-response';
import { parseMeetingReply } from '../../src/lib/domain/graduated-meetings';
import { LOCALES } from '../../src/lib/domain/locale';

const figures: LetterFigures = { firstName: 'Sam', school: 'Harbourside Primary', period: 'Autumn 1', daysMissed: 12.5, daysMissedPeriod: 4, daysAttended: 32, daysPossible: 36, lates: 2, minutesLate: 25, contact: '01632 960123' };

describe('every template passes the tone checklist (docs/tone-checklist.md)', () => {
	it.each(LETTER_STEPS)('%s in English', (step) => {
		const t = LETTER_TEMPLATES[step];
		expect(toneProblems(step, t)).toEqual([]);
	});
	it.each(LETTER_STEPS)('%s: every translation keeps the figures, the contact and no percentages', (step) => {
		for (const t of Object.values(LETTER_TEMPLATES[step].translations)) expect(toneProblems(step, t!, { english: false })).toEqual([]);
	});
	it.each(LETTER_STEPS)('%s: support is offered before anything the school will do next', (step) => {
		const text = LETTER_TEMPLATES[step].paragraphs.join(' ');
		const help = text.search(/help|support|talk/i);
		const next = text.search(/headteacher will|invite you to a meeting/i);
		expect(help).toBeGreaterThanOrEqual(0);
		if (next >= 0) expect(help).toBeLessThan(next);
	});
});

describe('the checklist finds what is wrong', () => {
	it('percentages, no figures, no contact', () => {
		expect(toneProblems('attendance_concern', { title: 'Attendance', paragraphs: ['Attendance is 93%.'] }).map((p) => p.code)).toEqual(['mentions_percentage', 'not_specific', 'not_actionable']);
	});
	it('a consequence before any support', () => {
		const t = { title: 'Attendance', paragraphs: ['{firstName} missed {daysMissed}. A penalty notice may follow.', 'We can help: call {contact}.'] };
		expect(toneProblems('attendance_concern', t).map((p) => p.code)).toEqual(['consequence_before_support']);
		expect(toneProblems('attendance_concern', { ...t, paragraphs: ['We can help: call {contact}.', '{firstName} missed {daysMissed}. A penalty notice may follow.'] })).toEqual([]);
	});
	it('a green letter that does not celebrate, blaming words, unknown fields', () => {
		expect(toneProblems('rag_green', { title: 'Attendance', paragraphs: ['{firstName} was in for {daysAttended}. Call {contact}.'] }).map((p) => p.code)).toEqual(['not_celebrating']);
		expect(toneProblems('attendance_concern', { title: 'Unacceptable', paragraphs: ['{firstName} missed {daysMissed}; call {contact} for help. {percent}'] }).map((p) => p.code)).toEqual(['unknown_fields', 'mentions_percentage', 'blaming_words']);
		expect(toneProblemText({ code: 'unknown_fields', fields: ['percent'] })).toBe('Unknown merge fields: {percent}.');
		expect(unknownLetterFields('{firstName} {nope}')).toEqual(['nope']);
	});
});

describe('merge values and composing', () => {
	it('English days carry their unit, time lost is in weeks and days', () => {
		const v = letterMergeValues(figures, 'en');
		expect([v.daysMissed, v.daysMissedPeriod, v.timeLost, v.lates, v.minutesLate]).toEqual(['12½ days', '4 days', '2 weeks and 2½ days', '2 times', '25 minutes']);
		expect(letterMergeValues({ ...figures, daysMissed: 0.5, lates: 1, minutesLate: 1 }, 'en')).toMatchObject({ daysMissed: '½ day', timeLost: '½ day', lates: '1 time', minutesLate: '1 minute' });
		expect(letterMergeValues({ ...figures, daysMissed: 10 }, 'en').timeLost).toBe('2 weeks');
	});
	it('Polish uses bare numbers and abbreviated units (no plural forms)', () => {
		expect(letterMergeValues(figures, 'pl')).toMatchObject({ daysMissed: '12½', timeLost: '2 tyg. 2½ dn.', lates: '2' });
	});
	it('the family language where there is a draft, else English; a school edit is English for everyone', () => {
		expect(templateFor('rag_green', 'pl').locale).toBe('pl');
		expect(templateFor('rag_green', 'bn').locale).toBe('bn');
		const edited = { rag_green: { title: 'Thank you, {firstName}', paragraphs: ['Well done: {daysAttended}. {contact}'] } };
		expect(templateFor('rag_green', 'pl', edited)).toEqual({ template: edited.rag_green, locale: 'en' });
	});
	it('composes a letter as data: title, paragraphs, figures, support', () => {
		const letter = composeLetter({ step: 'lateness_letter', locale: 'en', figures, support: [{ name: 'Breakfast club', overview: 'From 8am', link: null, contact: null }] });
		expect(letter.title).toBe('Sam has been late this week');
		expect(letter.paragraphs[0]).toBe('Sam arrived late 2 times this week, missing 25 minutes of the start of the day, when the day is explained and learning begins.');
		expect(letter.figures).toEqual([
			{ label: 'Late arrivals this week', value: '2 times' },
			{ label: 'Minutes missed by arriving late this year', value: '25 minutes' }
		]);
		expect(letter.support).toHaveLength(1);
		expect(letter.dir).toBe('ltr');
	});
	it('an invitation without a time says the school will phone to agree one', () => {
		const letter = composeLetter({ step: 'meeting_invitation', locale: 'pl', figures, support: [] });
		expect(letter.paragraphs[1]).toBe('Spotkanie: zadzwonimy w ciągu kilku dni, aby ustalić dogodny dzień i godzinę.');
	});
});

describe('every template in all five family languages', () => {
	const fields = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
	it.each(LETTER_STEPS)('%s: Polish, Romanian, Arabic and Bengali drafts with the English merge fields, paragraph by paragraph', (step) => {
		const t = LETTER_TEMPLATES[step];
		expect(Object.keys(t.translations).sort()).toEqual(['ar', 'bn', 'pl', 'ro']);
		for (const locale of LOCALES.filter((l) => l !== 'en')) {
			const draft = t.translations[locale as Exclude<typeof locale, 'en'>]!;
			expect(fields(draft.title), `${step} ${locale} title`).toEqual(fields(t.title));
			expect(draft.paragraphs).toHaveLength(t.paragraphs.length);
			draft.paragraphs.forEach((p, i) => expect(fields(p), `${step} ${locale} paragraph ${i + 1}`).toEqual(fields(t.paragraphs[i]!)));
			expect(toneProblems(step, draft, { english: false })).toEqual([]);
			expect(templateFor(step, locale).locale).toBe(locale);
		}
	});
	it.each(['meeting_invitation', 'lateness_meeting'] as const)('%s: the reply words each draft asks for are the ones the bot reads', (step) => {
		const asked = { en: ['YES', 'ANOTHER TIME'], pl: ['TAK', 'INNY TERMIN'], ro: ['DA', 'ALTĂ ORĂ'], ar: ['نعم', 'موعد آخر'], bn: ['হ্যাঁ', 'অন্য সময়'] } as const;
		for (const locale of LOCALES) {
			const { template } = templateFor(step, locale);
			const text = template.paragraphs.join(' ');
			const [yes, another] = asked[locale];
			expect(text, locale).toContain(yes);
			expect(text, locale).toContain(another);
			expect(parseMeetingReply(yes)).toBe('confirm');
			expect(parseMeetingReply(another)).toBe('another_time');
		}
	});
	it('Arabic letters run right to left, the others left to right, with figures labelled in the letter language', () => {
		for (const locale of LOCALES) {
			const letter = composeLetter({ step: 'attendance_concern', locale, figures, support: [] });
			expect(letter.locale).toBe(locale);
			expect(letter.dir).toBe(locale === 'ar' ? 'rtl' : 'ltr');
			if (locale !== 'en') expect(letter.figures[0]!.label).not.toBe('Days missed in the period');
			expect(letter.paragraphs.join(' ')).not.toMatch(/\{\w+\}/);
		}
		expect(composeLetter({ step: 'meeting_invitation', locale: 'ar', figures, support: [] }).paragraphs[1]).toBe('الاجتماع: سنتصل بكم خلال الأيام القليلة القادمة لنتفق على يوم ووقت يناسبانكم.');
	});
});

describe('merge values read correctly in each language (plural forms)', () => {
	it('Romanian: 1 zi, 2–19 zile, 20 and more "de zile"; half a day is "½ zi"; times as a sentence says them', () => {
		expect(letterMergeValues(figures, 'ro')).toMatchObject({ daysMissed: '12½ zile', daysMissedPeriod: '4 zile', daysAttended: '32 de zile', timeLost: '2 săptămâni și 2½ zile', lates: 'de 2 ori', minutesLate: '25 de minute' });
		expect(letterMergeValues({ ...figures, daysMissed: 0.5, daysMissedPeriod: 1, lates: 1, minutesLate: 1 }, 'ro')).toMatchObject({ daysMissed: '½ zi', daysMissedPeriod: '1 zi', timeLost: '½ zi', lates: 'o dată', minutesLate: '1 minut' });
		expect(letterMergeValues({ ...figures, daysMissed: 25, lates: 20 }, 'ro')).toMatchObject({ timeLost: '5 săptămâni', lates: 'de 20 de ori' });
	});
	it('Arabic: one and two in words, 3–10 plural, 11–99 singular', () => {
		expect(letterMergeValues({ ...figures, daysMissed: 1, daysMissedPeriod: 2, daysAttended: 3, daysPossible: 11, lates: 2, minutesLate: 25 }, 'ar')).toMatchObject({
			daysMissed: 'يوم واحد',
			daysMissedPeriod: 'يومان',
			daysAttended: '3 أيام',
			daysPossible: '11 يومًا',
			lates: 'مرتان',
			minutesLate: '25 دقيقة'
		});
		expect(letterMergeValues({ ...figures, daysMissed: 10 }, 'ar').timeLost).toBe('أسبوعان');
		expect(letterMergeValues(figures, 'ar').timeLost).toBe('أسبوعان و2½ يوم');
	});
	it('Bengali: the noun does not change with the number', () => {
		expect(letterMergeValues(figures, 'bn')).toMatchObject({ daysMissed: '12½ দিন', daysMissedPeriod: '4 দিন', timeLost: '2 সপ্তাহ ও 2½ দিন', lates: '2 বার', minutesLate: '25 মিনিট' });
		expect(letterMergeValues({ ...figures, daysMissed: 1 }, 'bn').daysMissed).toBe('1 দিন');
	});
	it('a lateness letter lists the count of late arrivals as a bare number under its label', () => {
		const letter = composeLetter({ step: 'lateness_letter', locale: 'ro', figures, support: [] });
		expect(letter.figures).toEqual([
			{ label: 'Întârzieri în această săptămână', value: '2' },
			{ label: 'Minute pierdute prin întârzieri în acest an', value: '25 de minute' }
		]);
		expect(letter.paragraphs[0]).toContain('a întârziat de 2 ori săptămâna aceasta');
	});
});
