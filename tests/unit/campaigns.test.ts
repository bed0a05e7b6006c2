import { describe, expect, it } from 'vitest';
import {
	CAMPAIGN_TEMPLATES,
	CAMPAIGN_TRANSLATION_LOCALES,
	SEND_LATER_MAX_DAYS,
	campaignVersionFor,
	mergeValuesFor,
	parseSendLater,
	renderMessage,
	smsCostEstimate,
	toneConflict,
	unknownMergeFields
} from '../../src/lib/domain/campaigns';
import { CAMPAIGN_BODY_MAX, campaignProblemFromCode } from '../../src/lib/domain/campaign-problems';
import { campaignProblemText } from '../../src/lib/i18n-campaigns';

describe('campaign messages', () => {
	const values = { firstName: 'Sam', attendance: '97.4%', daysMissed: '2½ days' };
	it('fills the merge fields', () => {
		expect(renderMessage('{firstName}: {attendance}, {daysMissed} missed', values)).toBe('Sam: 97.4%, 2½ days missed');
		expect(renderMessage('Hello {parentName}', values)).toBe('Hello {parentName}');
	});
	it('finds unknown merge fields', () => {
		expect(unknownMergeFields('Hi {firstName} and {surname}{x}')).toEqual(['surname', 'x']);
		expect(unknownMergeFields(CAMPAIGN_TEMPLATES.map((t) => t.body).join(' '))).toEqual([]);
	});
	it('estimates the SMS cost by segments', () => {
		expect(smsCostEstimate(['a'.repeat(160), 'a'.repeat(161)], 3.5)).toEqual({ segments: 3, pence: 10.5 });
		// "½" is not GSM-7: the whole text is UCS-2, 70 characters a segment.
		expect(smsCostEstimate([renderMessage(CAMPAIGN_TEMPLATES[2].body, values)], 4)).toEqual({ segments: 3, pence: 12 });
	});
});

describe('send later (Europe/London)', () => {
	const now = new Date('2027-03-20T12:00:00Z');

	it('reads the date and time on a UK clock: GMT in winter, BST after the clocks go forward', () => {
		expect(parseSendLater('2027-03-27', '09:30', now)).toEqual({ ok: true, at: new Date('2027-03-27T09:30:00Z') });
		expect(parseSendLater('2027-03-29', '09:30', now)).toEqual({ ok: true, at: new Date('2027-03-29T08:30:00Z') });
	});

	it('refuses a time the clocks skip (01:30 on 28 March 2027 does not exist in the UK)', () => {
		expect(parseSendLater('2027-03-28', '01:30', now)).toMatchObject({ ok: false, field: 'sendTime', problem: { code: 'send_time_skipped_by_clock_change' } });
	});

	it('must be in the future', () => {
		expect(parseSendLater('2027-03-20', '12:00', now)).toMatchObject({ ok: false, field: 'sendDate', problem: { code: 'send_time_past' } });
		expect(parseSendLater('2027-03-19', '18:00', now)).toMatchObject({ ok: false, field: 'sendDate' });
		expect(parseSendLater('2027-03-20', '12:01', now)).toMatchObject({ ok: true });
	});

	it(`is at most ${SEND_LATER_MAX_DAYS} days ahead`, () => {
		const last = new Date(now.getTime() + SEND_LATER_MAX_DAYS * 86_400_000);
		const iso = last.toISOString().slice(0, 10);
		// 90 days after 12:00Z on 20 March is 18 June, 13:00 BST.
		expect(parseSendLater(iso, '13:00', now)).toMatchObject({ ok: true });
		expect(parseSendLater(iso, '13:01', now)).toMatchObject({ ok: false, field: 'sendDate', problem: { code: 'send_time_too_far', maxDays: SEND_LATER_MAX_DAYS } });
	});

	it('explains a missing or malformed date or time', () => {
		expect(parseSendLater('', '09:00', now)).toMatchObject({ ok: false, field: 'sendDate', problem: { code: 'send_date_missing' } });
		expect(parseSendLater('2027-02-30', '09:00', now)).toMatchObject({ ok: false, field: 'sendDate' });
		expect(parseSendLater('2027-03-27', '', now)).toMatchObject({ ok: false, field: 'sendTime', problem: { code: 'send_time_missing' } });
		expect(parseSendLater('2027-03-27', '9.30am', now)).toMatchObject({ ok: false, field: 'sendTime' });
		expect(parseSendLater('2027-03-27', '24:00', now)).toMatchObject({ ok: false, field: 'sendTime' });
	});
});

describe('campaign messages in families\' languages', () => {
	it('every template has a version in every parent language, with only known merge fields and the same ones as the English', () => {
		expect(CAMPAIGN_TRANSLATION_LOCALES).toEqual(['pl', 'ro', 'ar', 'bn']);
		const fields = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const t of CAMPAIGN_TEMPLATES) {
			for (const locale of CAMPAIGN_TRANSLATION_LOCALES) {
				const v = t.translations[locale];
				expect(v.title.length, `${t.key} ${locale}`).toBeGreaterThan(1);
				expect(unknownMergeFields(v.body), `${t.key} ${locale}`).toEqual([]);
				expect(fields(v.body), `${t.key} ${locale}`).toEqual(fields(t.body));
				expect(v.body, `${t.key} ${locale} is not the English`).not.toBe(t.body);
			}
		}
	});

	it('a family gets their language\'s version, or the English when there is none', () => {
		const campaign = { title: 'Hello', body: 'Hi {firstName}', translations: { pl: { title: 'Cześć', body: 'Cześć {firstName}' } } };
		expect(campaignVersionFor(campaign, 'pl')).toEqual({ title: 'Cześć', body: 'Cześć {firstName}', locale: 'pl' });
		expect(campaignVersionFor(campaign, 'ro')).toEqual({ title: 'Hello', body: 'Hi {firstName}', locale: 'en' });
		expect(campaignVersionFor(campaign, 'en')).toEqual({ title: 'Hello', body: 'Hi {firstName}', locale: 'en' });
		expect(campaignVersionFor({ title: 'A', body: 'B', translations: null }, 'ar')).toEqual({ title: 'A', body: 'B', locale: 'en' });
	});

	it('merge values read naturally in each language', () => {
		const figures = { firstName: 'Ola', percent: 95.25, daysMissed: 9.5 };
		expect(mergeValuesFor(figures, 'en')).toEqual({ firstName: 'Ola', attendance: '95.3%', daysMissed: '1 week 4½ days' });
		// Other languages: a decimal comma where theirs uses one, and a number of days (the wording names the unit).
		expect(mergeValuesFor(figures, 'pl')).toEqual({ firstName: 'Ola', attendance: '95,3%', daysMissed: '9½' });
		expect(mergeValuesFor(figures, 'ro').attendance).toMatch(/^95,3\s?%$/);
		// Bengali digits.
		expect(mergeValuesFor({ ...figures, daysMissed: 12 }, 'bn').daysMissed).toBe('১২');
		expect(mergeValuesFor({ ...figures, daysMissed: 0.5 }, 'pl').daysMissed).toBe('½');
		expect(mergeValuesFor({ ...figures, daysMissed: 0 }, 'pl').daysMissed).toBe('0');
		expect(mergeValuesFor({ ...figures, percent: null }, 'pl').attendance).toBe('—');
	});
});

describe('words for what stops a campaign', () => {
	it('names the translated version the problem is in, and keeps the values', () => {
		expect(campaignProblemText({ code: 'title_missing', language: 'pl' })).toBe('Give the message a title (Polish)');
		expect(campaignProblemText({ code: 'body_too_long', max: CAMPAIGN_BODY_MAX })).toBe('Keep the message to 600 characters or fewer');
		expect(campaignProblemText({ code: 'send_time_too_far', maxDays: SEND_LATER_MAX_DAYS })).toBe(`You can schedule a message up to ${SEND_LATER_MAX_DAYS} days ahead`);
		expect(campaignProblemText({ code: 'too_many_campaigns', retryAfterSeconds: 7200 })).toBe('Your school has sent or scheduled a lot of messages today. Please try again in 2 hours.');
	});

	it('a schema code becomes its problem; anything else is a plain "invalid"', () => {
		expect(campaignProblemFromCode('title_too_long', 'ar')).toEqual({ code: 'title_too_long', max: 100, language: 'ar' });
		expect(campaignProblemFromCode('channels_missing')).toEqual({ code: 'channels_missing' });
		expect(campaignProblemFromCode('Invalid input: expected string')).toEqual({ code: 'invalid' });
	});
});

describe('words that must fit the child\'s figures', () => {
	const positive = CAMPAIGN_TEMPLATES.find((t) => t.key === 'positive')!;
	const daysMissed = CAMPAIGN_TEMPLATES.find((t) => t.key === 'days_missed')!;

	it('congratulations fit 96% and above, not 95.9% or a child with no figures yet of their own', () => {
		expect(toneConflict(positive.body, { percent: 96, daysMissed: 3 })).toBeNull();
		expect(toneConflict(positive.body, { percent: 95.9, daysMissed: 3.5 })).toBe('praise_below_excellent');
		expect(toneConflict(positive.body, { percent: 77.8, daysMissed: 20 })).toBe('praise_below_excellent');
		expect(toneConflict(positive.body, { percent: null, daysMissed: 0 })).toBeNull();
	});

	it('every language of the congratulations template is read as praise', () => {
		for (const locale of CAMPAIGN_TRANSLATION_LOCALES) {
			expect(toneConflict(positive.translations[locale].body, { percent: 80, daysMissed: 10 }), locale).toBe('praise_below_excellent');
		}
	});

	it('worry about days missed does not fit a child who has missed none', () => {
		expect(toneConflict(daysMissed.body, { percent: 100, daysMissed: 0 })).toBe('concern_without_absence');
		expect(toneConflict(daysMissed.body, { percent: 98, daysMissed: 0.5 })).toBeNull();
		for (const locale of CAMPAIGN_TRANSLATION_LOCALES) {
			expect(toneConflict(daysMissed.translations[locale].body, { percent: 100, daysMissed: 0 }), locale).toBe('concern_without_absence');
		}
	});

	it('a plain thank-you or a reminder says neither', () => {
		const everyDay = CAMPAIGN_TEMPLATES.find((t) => t.key === 'every_day_counts')!;
		const termDates = CAMPAIGN_TEMPLATES.find((t) => t.key === 'term_dates')!;
		expect(toneConflict(everyDay.body, { percent: 70, daysMissed: 0 })).toBeNull();
		expect(toneConflict(termDates.body, { percent: 70, daysMissed: 0 })).toBeNull();
	});
});
