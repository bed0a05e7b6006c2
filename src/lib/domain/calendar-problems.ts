/**
 * What is wrong with a school calendar or a calendar file, as codes with their values. The
 * rules (calendar.ts, calendar-import.ts) return these; the words for staff come from
 * src/lib/i18n-staff-problems.ts, so nothing parses a sentence to find the entry it is about.
 */
import type { IsoDate } from './calendar';

/** A calendar that cannot be used as it stands (validateCalendar). */
export type CalendarRuleProblem =
	| { code: 'unknown_time_zone'; timeZone: string }
	| { code: 'term_invalid_date'; term: string }
	| { code: 'term_ends_before_start'; term: string; startsOn: IsoDate; endsOn: IsoDate }
	| { code: 'terms_overlap'; first: string; second: string }
	| { code: 'closure_invalid_date'; description: string; date: string }
	/** `what` is the closure's description, or its kind when it has none. */
	| { code: 'closure_outside_terms'; date: IsoDate; what: string };

/** A line of a CSV or iCalendar file that cannot be read. */
export type CalendarFileProblem =
	| { code: 'csv_header_missing'; column: string }
	| { code: 'csv_unknown_type'; type: string }
	| { code: 'csv_start_not_date'; value: string }
	| { code: 'csv_end_not_date'; value: string }
	| { code: 'csv_ends_before_starts' }
	| { code: 'csv_sessions'; value: string }
	| { code: 'csv_year_groups'; value: string }
	| { code: 'csv_empty' }
	| { code: 'ics_not_calendar' }
	| { code: 'ics_no_start'; summary: string }
	| { code: 'ics_unknown_event'; summary: string };
