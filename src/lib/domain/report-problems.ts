/**
 * Why an absence report (or a change to one) cannot be accepted, as codes with their values.
 * The rules and services return these; the words, in every language and English included,
 * come from the message files (see src/lib/i18n-problems.ts), so no layer parses a sentence.
 */
import type { IsoDate } from './calendar';

export type ReportProblem =
	| { code: 'choose_who' }
	| { code: 'choose_when' }
	| { code: 'enter_date' }
	| { code: 'enter_first_day' }
	| { code: 'enter_last_day' }
	| { code: 'choose_why' }
	| { code: 'choose_reason' }
	| { code: 'tell_reason' }
	| { code: 'details_too_long'; max: number }
	| { code: 'choose_sessions' }
	| { code: 'real_date' }
	| { code: 'date_in_past' }
	| { code: 'not_term_time'; date: IsoDate }
	| { code: 'last_before_first' }
	| { code: 'too_far_ahead'; days: number }
	| { code: 'school_closed' }
	| { code: 'no_morning' }
	| { code: 'no_afternoon' }
	| { code: 'child_not_found' }
	| { code: 'report_not_found' }
	| { code: 'report_acknowledged' }
	| { code: 'report_withdrawn' }
	| { code: 'report_has_end' }
	| { code: 'report_unreadable' }
	| { code: 'time_in' }
	| { code: 'time_leave' }
	| { code: 'time_back' }
	| { code: 'back_after_leave' }
	| { code: 'part_one_day' }
	| { code: 'too_many_reports'; retryAfterSeconds: number };

export type ReportProblemCode = ReportProblem['code'];

/** A problem tied to the form field it is about ('pupilIds', 'from', 'to', 'sessions', 'details'...). */
export type FieldProblem = { field: string; child?: string } & ReportProblem;

const SIMPLE_CODES = new Set<string>([
	'choose_who', 'choose_when', 'enter_date', 'enter_first_day', 'enter_last_day', 'choose_why', 'choose_reason',
	'tell_reason', 'choose_sessions', 'real_date', 'date_in_past', 'last_before_first', 'school_closed', 'no_morning',
	'no_afternoon', 'child_not_found', 'report_not_found', 'report_acknowledged', 'report_withdrawn', 'report_has_end',
	'report_unreadable', 'time_in', 'time_leave', 'time_back', 'back_after_leave', 'part_one_day'
]);

/** A code carried as a schema's issue message (zod) back to the problem it names; null when it is not one. */
export function problemFromCode(code: string): ReportProblem | null {
	return SIMPLE_CODES.has(code) ? ({ code } as ReportProblem) : null;
}
