/**
 * The attendance page's figures and the bot's attendance summary in the parent's language
 *. The domain (attendance.ts, attendance-detail.ts) keeps computing numbers and its
 * English wording; in English these helpers return exactly that wording, and in other languages
 * they turn the same numbers into words with the language's plural forms (Intl.PluralRules:
 * Polish and Romanian have several, Arabic six). Halves stay as '½' after the number.
 */
import {
	BAND_INFO,
	type Band,
	formatDays,
	formatDaysAsWeeks,
	formatPercent,
	attendancePercent,
	daysFromSessions,
	missedSessions,
	splitDaysIntoWeeks,
	type Tally
} from './domain/attendance';
import { attendanceSummaryText, changeText, freshnessText } from './domain/attendance-detail';
import type { IsoDate } from './domain/calendar';
import type { Locale } from './domain/locale';
import { formatLongDate } from './i18n';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

type Opts = { locale?: Locale };
type Msg = (i: { n: string }, o?: Opts) => string;
type Category = Intl.LDMLPluralRule;
type Unit = 'days' | 'weeks' | 'times' | 'half_days' | 'points';

const UNITS: Record<Unit, Record<Category, Msg>> = {
	days: { zero: m.att_days_zero, one: m.att_days_one, two: m.att_days_two, few: m.att_days_few, many: m.att_days_many, other: m.att_days_other },
	weeks: { zero: m.att_weeks_zero, one: m.att_weeks_one, two: m.att_weeks_two, few: m.att_weeks_few, many: m.att_weeks_many, other: m.att_weeks_other },
	times: { zero: m.att_times_zero, one: m.att_times_one, two: m.att_times_two, few: m.att_times_few, many: m.att_times_many, other: m.att_times_other },
	half_days: {
		zero: m.att_half_days_zero,
		one: m.att_half_days_one,
		two: m.att_half_days_two,
		few: m.att_half_days_few,
		many: m.att_half_days_many,
		other: m.att_half_days_other
	},
	points: {
		zero: m.att_points_zero,
		one: m.att_points_one,
		two: m.att_points_two,
		few: m.att_points_few,
		many: m.att_points_many,
		other: m.att_points_other
	}
};

const pluralRules = new Map<Locale, Intl.PluralRules>();
/** The CLDR plural category of `n` in `locale` ('one', 'few', 'many', …). */
export function pluralCategory(n: number, locale: Locale): Category {
	let rules = pluralRules.get(locale);
	if (!rules) {
		rules = new Intl.PluralRules(locale);
		pluralRules.set(locale, rules);
	}
	return rules.select(n);
}

/** 4.5 → '4½', 0.5 → '½', 3 → '3' (the number as the attendance rules round it, to the half). */
export function halvesText(n: number): string {
	const d = Math.round(n * 2) / 2;
	const whole = Math.floor(d);
	if (d === whole) return String(whole);
	return whole === 0 ? '½' : `${whole}½`;
}

/** `n` with its unit in the plural form the language needs: 'n dni', '5 tygodni', '2 razy'. */
export function unitText(unit: Unit, n: number, locale: Locale = getLocale(), shown: string = halvesText(n)): string {
	return UNITS[unit][pluralCategory(n, locale)]({ n: shown }, { locale });
}

/** Days to the nearest half: '4½ days' / '4½ dnia' / '5 dni'. */
export function daysWords(days: number, locale: Locale = getLocale()): string {
	if (locale === 'en') return formatDays(days);
	return unitText('days', Math.round(days * 2) / 2, locale);
}

/** Whole weeks and the remaining days: '2 weeks 3½ days' / '2 tygodnie 3½ dnia'. */
export function daysAsWeeksWords(days: number, locale: Locale = getLocale()): string {
	if (locale === 'en') return formatDaysAsWeeks(days);
	const { weeks, remainderDays } = splitDaysIntoWeeks(days);
	const parts: string[] = [];
	if (weeks > 0) parts.push(unitText('weeks', weeks, locale));
	if (remainderDays > 0 || weeks === 0) parts.push(daysWords(remainderDays, locale));
	return parts.join(' ');
}

/** A count of lates: '1 time', '3 razy'. */
export function timesWords(n: number, locale: Locale = getLocale()): string {
	return unitText('times', n, locale);
}

/** A count of half-day sessions: '3 half days', '3 półdnie'. */
export function halfDaysWords(n: number, locale: Locale = getLocale()): string {
	return unitText('half_days', n, locale);
}

/** 'Register data to Friday 13 November 2026' in the language. */
export function freshnessWords(lastMarkDate: IsoDate | null, locale: Locale = getLocale()): string {
	if (locale === 'en') return freshnessText(lastMarkDate);
	return lastMarkDate ? m.att_freshness({ date: formatLongDate(lastMarkDate, locale) }, { locale }) : m.att_freshness_none({}, { locale });
}

/** The change since the last half term, supportive either way; null when steady (as changeText). */
export function changeWords(change: number | null, halfTermName: string, locale: Locale = getLocale()): string | null {
	if (locale === 'en') return changeText(change, halfTermName);
	if (change === null || Math.abs(change) < 0.1) return null;
	const size = Math.abs(change);
	const points = unitText('points', size, locale, size.toFixed(1));
	return (change > 0 ? m.att_change_up : m.att_change_down)({ points, term: halfTermName }, { locale });
}

/** '3.0 school years' / 'about 0.4 school years' for the whole school career. */
export function schoolYearsWords(schoolYears: number, locale: Locale = getLocale(), english?: string): string {
	const rounded = Math.round(schoolYears * 10 + 1e-9) / 10;
	if (locale === 'en' && english !== undefined) return english;
	const years = rounded.toFixed(1);
	return (rounded === schoolYears ? m.att_career_years : m.att_career_years_about)({ years }, { locale });
}

/** 'Monday 5 October 2026' without the weekday and year, for a week's row: '5 October'. */
export function weekStartLabel(weekStart: IsoDate, locale: Locale = getLocale()): string {
	if (locale === 'en') return formatLongDate(weekStart, 'en').replace(/^Monday /, '').replace(/ \d{4}$/, '');
	return new Intl.DateTimeFormat(locale === 'ar' ? 'ar-u-nu-latn' : locale === 'bn' ? 'bn-BD-u-nu-latn' : locale, {
		day: 'numeric',
		month: 'long',
		timeZone: 'UTC'
	}).format(new Date(`${weekStart}T12:00:00Z`));
}

/**
 * The bot's answer to "attendance" for one child, in the guardian's language; in English exactly
 * the domain's attendanceSummaryText.
 */
export function attendanceSummaryWords(
	input: {
		childName: string;
		academicYear: string;
		tally: Pick<Tally, 'possible' | 'attended'>;
		lastMarkDate: IsoDate | null;
		change?: number | null;
		halfTermName?: string | null;
	},
	locale: Locale
): string {
	const change = input.halfTermName ? changeWords(input.change ?? null, input.halfTermName, locale) : null;
	if (locale === 'en') return attendanceSummaryText({ ...input, change });
	const o = { locale };
	const percent = attendancePercent(input.tally.attended, input.tally.possible);
	if (percent === null) return m.att_summary_none({ name: input.childName }, o);
	const days = daysFromSessions(missedSessions(input.tally));
	return [
		m.att_summary({ name: input.childName, percent: formatPercent(percent), year: input.academicYear, days: daysAsWeeksWords(days, locale) }, o),
		change,
		`${freshnessWords(input.lastMarkDate, locale)}.`
	]
		.filter(Boolean)
		.join(' ');
}

type Plain = (i?: object, o?: Opts) => string;
const BAND_WORDS: Record<Band, { message: Plain; steps: Plain[] }> = {
	excellent: { message: m.att_band_excellent_message, steps: [m.att_band_excellent_step_1, m.att_band_excellent_step_2] },
	at_risk: { message: m.att_band_at_risk_message, steps: [m.att_band_at_risk_step_1, m.att_band_at_risk_step_2, m.att_band_at_risk_step_3] },
	persistently_absent: {
		message: m.att_band_persistently_absent_message,
		steps: [
			m.att_band_persistently_absent_step_1,
			m.att_band_persistently_absent_step_2,
			m.att_band_persistently_absent_step_3,
			m.att_band_persistently_absent_step_4
		]
	},
	persistently_absent_formal: {
		message: m.att_band_persistently_absent_formal_message,
		steps: [
			m.att_band_persistently_absent_formal_step_1,
			m.att_band_persistently_absent_formal_step_2,
			m.att_band_persistently_absent_formal_step_3,
			m.att_band_persistently_absent_formal_step_4
		]
	},
	severely_absent: {
		message: m.att_band_severely_absent_message,
		steps: [m.att_band_severely_absent_step_1, m.att_band_severely_absent_step_2, m.att_band_severely_absent_step_3]
	}
};

/** The band's message for parents (BAND_INFO's parentMessage in English). */
export function bandMessageWords(band: Band, locale: Locale = getLocale()): string {
	if (locale === 'en') return BAND_INFO[band].parentMessage;
	return BAND_WORDS[band].message({}, { locale });
}

/** What the school will do next, for parents (BAND_INFO's parentNextSteps in English). */
export function bandNextStepsWords(band: Band, locale: Locale = getLocale()): string[] {
	if (locale === 'en') return [...BAND_INFO[band].parentNextSteps];
	return BAND_WORDS[band].steps.map((step) => step({}, { locale }));
}

/** Register mark meanings for parents (CODE_MEANINGS[code].parent), keyed by the domain's English wording. */
const MARK_MEANINGS: Record<string, Plain> = {
	'In school': m.att_mark_in_school,
	'In school (arrived late)': m.att_mark_late,
	'Learning at another place arranged by the council': m.att_mark_council_place,
	'On a school trip': m.att_mark_trip,
	'At a sports event with school': m.att_mark_sports,
	'On work experience': m.att_mark_work_experience,
	'Learning away from school (approved)': m.att_mark_away_approved,
	'Leave agreed for a performance or work (licensed)': m.att_mark_licensed,
	'Medical or dental appointment': m.att_mark_medical,
	'At an interview': m.att_mark_interview,
	'Study leave': m.att_mark_study_leave,
	'Not in school because of a part-time timetable': m.att_mark_part_time,
	'Leave agreed by school': m.att_mark_leave_agreed,
	'Travelling with family for work (agreed)': m.att_mark_traveller,
	'Religious observance (authorised)': m.att_mark_religious,
	'Off ill (authorised)': m.att_mark_ill,
	'Not in school because of a suspension': m.att_mark_suspension,
	'Holiday not agreed by school (unauthorised)': m.att_mark_holiday,
	'Absent – we have not had a reason yet': m.att_mark_no_reason,
	'Absent (not authorised)': m.att_mark_unauthorised,
	'Arrived after the register closed (counts as absent)': m.att_mark_late_after,
	'At their other school': m.att_mark_other_school,
	'Not expected in school': m.att_mark_not_expected,
	'Could not attend: travel arrangements not in place': m.att_mark_no_travel,
	'Could not attend: school transport not available': m.att_mark_no_transport,
	'Could not attend: travel disruption': m.att_mark_disruption,
	'Could not attend: part of school closed': m.att_mark_part_closed,
	'School closed unexpectedly': m.att_mark_closed_unexpectedly,
	'Could not attend (not counted)': m.att_mark_not_counted,
	'Could not attend: public health rules': m.att_mark_public_health,
	'Could not attend for a reason outside the family’s control': m.att_mark_outside_control,
	'Not yet started at school': m.att_mark_not_started,
	'School closed': m.att_mark_school_closed,
};

/** What a register mark means, in plain words in the language (the English as the domain has it). */
export function markMeaningWords(englishMeaning: string, locale: Locale = getLocale()): string {
	if (locale === 'en') return englishMeaning;
	return MARK_MEANINGS[englishMeaning]?.({}, { locale }) ?? englishMeaning;
}
