/**
 * Helpers for translated text shared by pages and server code. Message functions come
 * from paraglide (src/lib/paraglide, compiled from messages/*.json). Without `locale` they use the
 * current request's language; code outside a request (bot, outbox) passes it.
 */
import type { AbsenceReason } from './domain/absence';
import { longDate } from './domain/absence';
import type { Locale } from './domain/locale';
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

/** '2026-11-05' → 'Thursday 5' / 'czwartek 5': a day within a month that is already named. */
export function formatDayOfMonth(iso: string, locale: Locale = getLocale()): string {
	return new Intl.DateTimeFormat(INTL_LOCALE[locale], { weekday: 'long', day: 'numeric', timeZone: 'UTC' }).format(
		new Date(`${iso}T12:00:00Z`)
	);
}

/** '2026-11' → 'November 2026' / 'listopad 2026'. */
export function formatMonthYear(yearMonth: string, locale: Locale = getLocale()): string {
	return new Intl.DateTimeFormat(INTL_LOCALE[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(`${yearMonth}-15T12:00:00Z`)
	);
}

/** A list of names joined with "and" in the language: 'Sam and Ella', 'Sam i Ella'. */
export function joinNames(names: string[], locale: Locale = getLocale()): string {
	if (locale === 'en') return names.join(' and ');
	return new Intl.ListFormat(INTL_LOCALE[locale], { style: 'long', type: 'conjunction' }).format(names);
}
