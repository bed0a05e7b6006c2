/**
 * Translated labels for the children, attendance and support pages (kept apart from i18n.ts so
 * the report-absence page's JavaScript stays small).
 */
import { formatDays } from './domain/attendance';
import type { Locale } from './domain/locale';
import type { SupportCategory } from './domain/signposting';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

type Opts = { locale?: Locale };

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
