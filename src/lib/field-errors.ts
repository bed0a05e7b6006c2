/**
 * Parent-facing validation messages in the parent's language, in one place. The
 * domain rules and services report errors in plain English (the wording the English pages and
 * tests use); this table maps each of them to a message key, so the schemas and rules stay
 * language-free. An English message not in the table is shown as it is.
 */
import type { Locale } from './domain/locale';
import { formatLongDate } from './i18n';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

type Opts = { locale?: Locale };
type Rule = [RegExp, (match: RegExpMatchArray, o: Opts) => string];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 'Thursday 5 November 2026' (the domain's longDate) → the same date in the parent's language. */
function relocaliseDate(english: string, o: Opts): string {
	const parts = /^\w+ (\d{1,2}) (\w+) (\d{4})$/.exec(english);
	const month = parts ? MONTHS.indexOf(parts[2]!) + 1 : 0;
	if (!parts || month === 0) return english;
	const iso = `${parts[3]}-${String(month).padStart(2, '0')}-${parts[1]!.padStart(2, '0')}`;
	return formatLongDate(iso, o.locale);
}

const RULES: Rule[] = [
	[/^Choose who is off school$/, (_, o) => m.error_choose_who({}, o)],
	[/^Choose when they will be off$/, (_, o) => m.error_choose_when({}, o)],
	[/^Enter the date they will be off$/, (_, o) => m.error_enter_date({}, o)],
	[/^Enter the first day they will be off$/, (_, o) => m.error_enter_first_day({}, o)],
	[/^Enter the last day they will be off$/, (_, o) => m.error_enter_last_day({}, o)],
	[/^Choose why they will be off$/, (_, o) => m.error_choose_why({}, o)],
	[/^(Please )?[Tt]ell the school the reason\.?$/, (_, o) => m.error_tell_reason({}, o)],
	[/^(?:Please k|K)eep the details to (\d+) characters or fewer\.?$/, (x, o) => m.error_details_too_long({ max: x[1]! }, o)],
	[/^Choose morning, afternoon or the whole day\.$/, (_, o) => m.error_choose_sessions({}, o)],
	[/^Enter a real date\.$/, (_, o) => m.error_real_date({}, o)],
	[/^The date is in the past\./, (_, o) => m.error_date_in_past({}, o)],
	[/^(.+) is not in term time\.$/, (x, o) => m.error_not_term_time({ date: relocaliseDate(x[1]!, o) }, o)],
	[/^The last day must be on or after the first day\.$/, (_, o) => m.error_last_before_first({}, o)],
	[/^You can report up to (\d+) school days ahead\./, (x, o) => m.error_too_far_ahead({ days: x[1]! }, o)],
	[/^The school is closed on those days/, (_, o) => m.error_school_closed({}, o)],
	[/^There is no morning session on those days\.$/, (_, o) => m.error_no_morning({}, o)],
	[/^There is no afternoon session on those days\.$/, (_, o) => m.error_no_afternoon({}, o)],
	[/^We could not find that child on your account\./, (_, o) => m.error_child_not_found({}, o)],
	[/^Choose a reason\.$/, (_, o) => m.error_choose_reason({}, o)],
	[/^We could not find that report\.$/, (_, o) => m.error_report_not_found({}, o)],
	[/^The school has already seen this report/, (_, o) => m.error_report_acknowledged({}, o)],
	[/^This report has been withdrawn\.$/, (_, o) => m.error_report_withdrawn({}, o)],
	[/^This report already has an end date\.$/, (_, o) => m.error_report_has_end({}, o)],
	[/^The report could not be read\./, (_, o) => m.error_report_unreadable({}, o)],
	[/^Enter the time they will be in school/, (_, o) => m.error_time_in({}, o)],
	[/^Enter the time they will leave school/, (_, o) => m.error_time_leave({}, o)],
	[/^Enter the time they will be back/, (_, o) => m.error_time_back({}, o)],
	[/^The time they are back must be after the time they leave\.$/, (_, o) => m.error_back_after_leave({}, o)],
	[/^Part of a day is for one day only\./, (_, o) => m.error_part_one_day({}, o)]
];

/** One English validation message in the given (default: the request's) language. */
export function localiseErrorMessage(message: string, locale: Locale = getLocale()): string {
	// English is the rules' own wording: unchanged.
	if (locale === 'en') return message;
	const o: Opts = { locale };
	for (const [pattern, translate] of RULES) {
		const match = message.match(pattern);
		if (match) return translate(match, o);
	}
	return message;
}

/** The same, for a list of field errors (as the forms' error summaries show them). */
export function localiseFieldErrors<E extends { message: string }>(errors: E[], locale?: Locale): E[] {
	return errors.map((e) => ({ ...e, message: localiseErrorMessage(e.message, locale) }));
}
