/**
 * Why an absence report (or a change to one) cannot be accepted, as codes with their values.
 * The rules and services return these; the words, in every language and English included,
 * come from the message files (see src/lib/i18n-problems.ts), so no layer parses a sentence.
 */
import type { IsoDate } from './calendar';

/** The problems that carry no values: the code says it all. */
const CODES_WITHOUT_VALUES = [
	'choose_who', 'choose_when', 'enter_date', 'enter_first_day', 'enter_last_day', 'choose_why', 'choose_reason',
	'tell_reason', 'choose_sessions', 'real_date', 'date_in_past', 'last_before_first', 'school_closed', 'no_morning',
	'no_afternoon', 'child_not_found', 'report_not_found', 'report_acknowledged', 'report_withdrawn', 'report_has_end',
	'report_unreadable', 'time_in', 'time_leave', 'time_back', 'back_after_leave', 'part_one_day'
] as const;

export type ReportProblem =
	| { code: (typeof CODES_WITHOUT_VALUES)[number] }
	| { code: 'details_too_long'; max: number }
	| { code: 'not_term_time'; date: IsoDate }
	| { code: 'too_far_ahead'; days: number }
	| { code: 'too_many_reports'; retryAfterSeconds: number };

export type ReportProblemCode = ReportProblem['code'];

/** A problem tied to the form field it is about ('pupilIds', 'from', 'to', 'sessions', 'details'...). */
export type FieldProblem = { field: string; child?: string } & ReportProblem;

/** A code carried as a schema's issue message (zod) back to the problem it names; null when it is not one. */
export function problemFromCode(code: string): ReportProblem | null {
	return (CODES_WITHOUT_VALUES as readonly string[]).includes(code) ? ({ code } as ReportProblem) : null;
}
