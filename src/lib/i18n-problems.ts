/**
 * The words for an absence report's problems, in the parent's language (English included: the
 * message files hold every language). Services return problem codes with their values; this is
 * the one place that turns them into sentences.
 */
import type { Locale } from './domain/locale';
import type { FieldProblem, ReportProblem } from './domain/report-problems';
import { formatLongDate } from './i18n';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

/** "Please try again in 5 minutes." in the given language. */
export function waitText(seconds: number, o: { locale: Locale }): string {
	if (seconds < 90) return m.retry_in_a_minute({}, o);
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 90) return m.retry_in_minutes({ count: minutes }, o);
	return m.retry_in_hours({ count: Math.ceil(minutes / 60) }, o);
}

/** One problem as a sentence in the given (default: the request's) language. */
export function reportProblemText(problem: ReportProblem, locale: Locale = getLocale()): string {
	const o = { locale };
	switch (problem.code) {
		case 'choose_who': return m.error_choose_who({}, o);
		case 'choose_when': return m.error_choose_when({}, o);
		case 'enter_date': return m.error_enter_date({}, o);
		case 'enter_first_day': return m.error_enter_first_day({}, o);
		case 'enter_last_day': return m.error_enter_last_day({}, o);
		case 'choose_why': return m.error_choose_why({}, o);
		case 'choose_reason': return m.error_choose_reason({}, o);
		case 'tell_reason': return m.error_tell_reason({}, o);
		case 'details_too_long': return m.error_details_too_long({ max: String(problem.max) }, o);
		case 'choose_sessions': return m.error_choose_sessions({}, o);
		case 'real_date': return m.error_real_date({}, o);
		case 'date_in_past': return m.error_date_in_past({}, o);
		case 'not_term_time': return m.error_not_term_time({ date: formatLongDate(problem.date, locale) }, o);
		case 'last_before_first': return m.error_last_before_first({}, o);
		case 'too_far_ahead': return m.error_too_far_ahead({ days: String(problem.days) }, o);
		case 'school_closed': return m.error_school_closed({}, o);
		case 'no_morning': return m.error_no_morning({}, o);
		case 'no_afternoon': return m.error_no_afternoon({}, o);
		case 'child_not_found': return m.error_child_not_found({}, o);
		case 'report_not_found': return m.error_report_not_found({}, o);
		case 'report_acknowledged': return m.error_report_acknowledged({}, o);
		case 'report_withdrawn': return m.error_report_withdrawn({}, o);
		case 'report_has_end': return m.error_report_has_end({}, o);
		case 'report_unreadable': return m.error_report_unreadable({}, o);
		case 'time_in': return m.error_time_in({}, o);
		case 'time_leave': return m.error_time_leave({}, o);
		case 'time_back': return m.error_time_back({}, o);
		case 'back_after_leave': return m.error_back_after_leave({}, o);
		case 'part_one_day': return m.error_part_one_day({}, o);
		case 'too_many_reports': return m.error_too_many_reports({ wait: waitText(problem.retryAfterSeconds, o) }, o);
	}
}

/** A field's problem as a sentence, with the child's name first when it is about one of several. */
export function fieldProblemText(problem: FieldProblem, locale: Locale = getLocale()): string {
	const text = reportProblemText(problem, locale);
	return problem.child ? `${problem.child}: ${text}` : text;
}

/** Field problems as the forms' error summaries show them: the field and its sentence. */
export function reportProblemMessages(problems: FieldProblem[], locale?: Locale): { field: string; message: string }[] {
	return problems.map((p) => ({ field: p.field, message: fieldProblemText(p, locale) }));
}
