import { describe, expect, it } from 'vitest';
import { BANDS, BAND_INFO, formatDays, formatDaysAsWeeks } from '../../src/lib/domain/attendance';
import { m } from '../../src/lib/paraglide/messages';
import { attendanceSummaryText, changeText, freshnessText } from '../../src/lib/domain/attendance-detail';
import { LOCALES } from '../../src/lib/domain/locale';
import { CODE_MEANINGS } from '../../src/lib/domain/codes';
import {
	attendanceSummaryWords,
	bandMessageWords,
	bandNextStepsWords,
	markMeaningWords,
	changeWords,
	daysAsWeeksWords,
	daysWords,
	freshnessWords,
	halfDaysWords,
	halvesText,
	pluralCategory,
	timesWords,
	weekStartLabel
} from '../../src/lib/i18n-attendance';

describe('attendance figures in words', () => {
	it('keeps the domain’s English wording byte for byte', () => {
		for (const d of [0, 0.5, 1, 1.5, 2, 4.5, 5, 7.5, 10, 23]) {
			expect(daysWords(d, 'en')).toBe(formatDays(d));
			expect(daysAsWeeksWords(d, 'en')).toBe(formatDaysAsWeeks(d));
		}
		expect(freshnessWords('2026-11-13', 'en')).toBe(freshnessText('2026-11-13'));
		expect(freshnessWords(null, 'en')).toBe(freshnessText(null));
		expect(changeWords(1.5, 'Autumn 2', 'en')).toBe(changeText(1.5, 'Autumn 2'));
		expect(changeWords(-0.4, 'Autumn 2', 'en')).toBe(changeText(-0.4, 'Autumn 2'));
		expect(timesWords(1, 'en')).toBe('1 time');
		expect(timesWords(0, 'en')).toBe('0 times');
		expect(halfDaysWords(1, 'en')).toBe('1 half day');
		expect(halfDaysWords(3, 'en')).toBe('3 half days');
		expect(weekStartLabel('2026-10-05', 'en')).toBe('5 October');
		const input = { childName: 'Sam', academicYear: '2026/27', tally: { possible: 100, attended: 91 }, lastMarkDate: '2026-11-13' };
		expect(attendanceSummaryWords({ ...input, change: -1.2, halfTermName: 'Autumn 2' }, 'en')).toBe(
			attendanceSummaryText({ ...input, change: changeText(-1.2, 'Autumn 2') })
		);
	});

	it('writes halves as ½ after the whole number', () => {
		expect(halvesText(0.5)).toBe('½');
		expect(halvesText(4.5)).toBe('4½');
		expect(halvesText(4.26)).toBe('4½');
		expect(halvesText(3)).toBe('3');
	});

	it('uses Polish plural forms: one, few, many and fractions', () => {
		expect(daysWords(1, 'pl')).toBe('1 dzień');
		expect(daysWords(3, 'pl')).toBe('3 dni');
		expect(daysWords(4.5, 'pl')).toBe('4½ dnia');
		expect(daysAsWeeksWords(10, 'pl')).toBe('2 tygodnie');
		expect(daysAsWeeksWords(27.5, 'pl')).toBe('5 tygodni 2½ dnia');
		expect(daysAsWeeksWords(22, 'pl')).toBe('4 tygodnie 2 dni');
		expect(daysAsWeeksWords(5, 'pl')).toBe('1 tydzień');
		expect(timesWords(1, 'pl')).toBe('1 raz');
		expect(timesWords(5, 'pl')).toBe('5 razy');
		expect(halfDaysWords(2, 'pl')).toBe('2 półdnie');
		expect(halfDaysWords(12, 'pl')).toBe('12 półdni');
	});

	it('uses Romanian forms, with "de" from 20', () => {
		expect(daysWords(1, 'ro')).toBe('1 zi');
		expect(daysWords(3, 'ro')).toBe('3 zile');
		expect(daysWords(20, 'ro')).toBe('20 de zile');
		expect(daysWords(2.5, 'ro')).toBe('2½ zile');
		expect(daysAsWeeksWords(105, 'ro')).toBe('21 de săptămâni');
	});

	it('uses all six Arabic plural categories', () => {
		expect([0, 1, 2, 3, 11, 100].map((n) => pluralCategory(n, 'ar'))).toEqual(['zero', 'one', 'two', 'few', 'many', 'other']);
		expect(daysWords(2, 'ar')).toBe('يومان (2)');
		expect(daysWords(3, 'ar')).toBe('3 أيام');
		expect(daysWords(11, 'ar')).toBe('11 يومًا');
		expect(daysWords(100, 'ar')).toBe('100 يوم');
		expect(daysAsWeeksWords(15, 'ar')).toBe('3 أسابيع');
	});

	it('gives every language its own words around the same figures', () => {
		const input = { childName: 'Sam', academicYear: '2026/27', tally: { possible: 100, attended: 91 }, lastMarkDate: '2026-11-13', change: 1.5, halfTermName: 'Autumn 2' };
		const seen = new Set<string>();
		for (const locale of LOCALES) {
			const text = attendanceSummaryWords(input, locale);
			expect(text).toContain('Sam');
			expect(text).toContain('91.0%');
			expect(text).toContain('2026/27');
			expect(text).toContain('4½');
			expect(text).toContain('Autumn 2');
			if (locale !== 'en') expect(text).not.toMatch(/\b(days|missed|this year|Register data)\b/);
			seen.add(text);
		}
		expect(seen.size).toBe(LOCALES.length);
		expect(attendanceSummaryWords(input, 'pl')).toBe(
			'Sam: 91.0% w tym roku (2026/27), dotychczas opuszczone: 4½ dnia. Wzrost o 1.5 punktu procentowego od początku Autumn 2. Brawo! Dane z dziennika do: piątek, 13 listopada 2026.'
		);
		expect(attendanceSummaryWords({ ...input, tally: { possible: 0, attended: 0 } }, 'ro')).toBe('Sam: încă nu există înregistrări în catalog în acest an.');
	});

	it('says "no change" by leaving the change out in every language', () => {
		for (const locale of LOCALES) {
			expect(changeWords(0, 'Autumn 1', locale)).toBeNull();
			expect(changeWords(null, 'Autumn 1', locale)).toBeNull();
		}
	});

	it('gives each band’s message and next steps in every language, the English ones as the domain words them', () => {
		for (const band of BANDS) {
			// messages/en.json holds the same English as BAND_INFO, so a change to one shows here.
			expect(m[`att_band_${band}_message` as keyof typeof m]({} as never, { locale: 'en' })).toBe(BAND_INFO[band].parentMessage);
			expect(bandNextStepsWords(band, 'en')).toEqual(BAND_INFO[band].parentNextSteps);
			BAND_INFO[band].parentNextSteps.forEach((step, i) =>
				expect(m[`att_band_${band}_step_${i + 1}` as keyof typeof m]({} as never, { locale: 'en' })).toBe(step)
			);
			for (const locale of LOCALES.filter((l) => l !== 'en')) {
				expect(bandMessageWords(band, locale)).not.toBe(BAND_INFO[band].parentMessage);
				const steps = bandNextStepsWords(band, locale);
				expect(steps).toHaveLength(BAND_INFO[band].parentNextSteps.length);
				steps.forEach((s, i) => expect(s).not.toBe(BAND_INFO[band].parentNextSteps[i]));
			}
		}
		expect(bandMessageWords('at_risk', 'pl')).toMatch(/^Twoje dziecko opuściło w tym roku kilka dni\./);
	});

	it('has every register mark’s meaning for parents in every language', () => {
		for (const { parent } of Object.values(CODE_MEANINGS)) {
			expect(markMeaningWords(parent, 'en')).toBe(parent);
			for (const locale of LOCALES.filter((l) => l !== 'en')) expect(markMeaningWords(parent, locale)).not.toBe(parent);
		}
		expect(markMeaningWords('Off ill (authorised)', 'pl')).toBe('Choroba (usprawiedliwiona)');
	});
});
