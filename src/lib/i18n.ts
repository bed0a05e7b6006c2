/**
 * Helpers for translated text (issue 10) shared by pages and server code. Message functions come
 * from paraglide (src/lib/paraglide, compiled from messages/*.json). Without `locale` they use the
 * current request's language; code outside a request (bot, outbox) passes it.
 */
import type { AbsenceReason } from './domain/absence';
import { longDate } from './domain/absence';
import { formatDays } from './domain/attendance';
import type { Locale } from './domain/locale';
import type { SupportCategory } from './domain/signposting';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

type Opts = { locale?: Locale };

const REASON_LABELS: Record<AbsenceReason, (i?: object, o?: Opts) => string> = {
	illness: m.reason_illness,
	mental_health: m.reason_mental_health,
	medical_appointment: m.reason_medical_appointment,
	religious_observance: m.reason_religious_observance,
	family_emergency: m.reason_family_emergency,
	bereavement: m.reason_bereavement,
	other: m.reason_other
};

/** A reason as parents see it, e.g. 'Illness' / 'Choroba'. */
export function reasonLabel(reason: AbsenceReason, locale?: Locale): string {
	return REASON_LABELS[reason]({}, locale ? { locale } : {});
}

// Latin digits in Arabic too: references, times and dates then read the same as the school's.
const INTL_LOCALE: Record<Locale, string> = { en: 'en-GB', pl: 'pl-PL', ro: 'ro-RO', ar: 'ar-u-nu-latn', bn: 'bn-BD-u-nu-latn' };

/** '2026-11-05' → 'Thursday 5 November 2026' (English wording unchanged), 'czwartek, 5 listopada 2026'. */
export function formatLongDate(iso: string, locale: Locale = getLocale()): string {
	if (locale === 'en') return longDate(iso);
	return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(`${iso}T12:00:00Z`));
}

/** A list of names joined with "and" in the language: 'Sam and Ella', 'Sam i Ella'. */
export function joinNames(names: string[], locale: Locale = getLocale()): string {
	if (locale === 'en') return names.join(' and ');
	return new Intl.ListFormat(INTL_LOCALE[locale], { style: 'long', type: 'conjunction' }).format(names);
}

const CATEGORY_LABELS: Record<SupportCategory, (i?: object, o?: Opts) => string> = {
	illness: m.cat_illness,
	mental_health: m.cat_mental_health,
	transport: m.cat_transport,
	uniform: m.cat_uniform,
	sen: m.cat_sen,
	semh_in_school: m.cat_semh_in_school,
	eal: m.cat_eal,
	neurodiversity: m.cat_neurodiversity,
	young_carers: m.cat_young_carers,
	general: m.cat_general,
	exploitation: m.cat_exploitation
};

/** A kind of support, as parents see it. */
export function supportCategoryLabel(category: SupportCategory, locale?: Locale): string {
	return CATEGORY_LABELS[category]({}, locale ? { locale } : {});
}

/** 'Reception', 'Year 3' (schools' own names for year groups, kept in every language). */
export function yearGroupText(yearGroup: number, locale: Locale = getLocale()): string {
	if (yearGroup === 0) return m.year_reception({}, { locale });
	if (yearGroup < 0) return m.year_nursery({}, { locale });
	return m.year_n({ n: yearGroup }, { locale });
}

/** 2.5 → '2.5 days', 1 → '1 day' (the number as the attendance rules round it). */
export function daysText(days: number, locale: Locale = getLocale()): string {
	if (locale === 'en') return formatDays(days);
	const d = Math.round(days * 2) / 2;
	const whole = Math.floor(d);
	const n = d === whole ? String(whole) : whole === 0 ? '½' : `${whole}½`;
	return (d === 1 || d === 0.5 ? m.days_one : m.days_many)({ days: n }, { locale });
}

const PARENT_LABELS: Record<string, (i?: object, o?: Opts) => string> = {
	'Brilliant attendance': m.label_brilliant,
	'Some days missed': m.label_some_missed,
	'Let’s work on this together': m.label_work_together,
	'We want to help your child get back on track': m.label_back_on_track,
	'We are here to support you': m.label_support_you
};

/** The attendance band's label for parents (from the domain's English wording). */
export function parentLabelText(label: string, locale: Locale = getLocale()): string {
	return PARENT_LABELS[label]?.({}, { locale }) ?? label;
}
