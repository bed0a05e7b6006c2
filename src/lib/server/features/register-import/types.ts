/** Public shapes of the register import (CSV upload, CLI and the MIS API share them). */
import type { Session } from '../../../domain/calendar';
import type { AttendanceCode, CodeProblem } from '../../../domain/codes';

/** What is wrong with a row (or the file), as a code with its values; the words are src/lib/i18n-staff-problems.ts's. */
export type ImportProblem =
	| { code: 'pupil_id_blank' }
	/** The identifiers the row gave, as tried. */
	| { code: 'pupil_unknown'; refs: string[] }
	| { code: 'date_blank' }
	| { code: 'date_invalid'; value: string }
	| { code: 'session_blank' }
	| { code: 'session_invalid'; value: string }
	/** `session` is null when the row's session itself could not be read. */
	| { code: 'attendance_code_invalid'; session: Session | null; problem: CodeProblem }
	| { code: 'minutes_late_invalid'; session: Session; value: string; max: number }
	/** A detail given for a code that takes none (only B, K, P, V and Y1–Y7 do). */
	| { code: 'code_detail_not_allowed'; session: Session; markCode: AttendanceCode; allowed: readonly AttendanceCode[] }
	| { code: 'code_detail_too_long'; session: Session; max: number }
	| { code: 'amended_by_too_long'; field: 'amended_by' | 'amended_by_role'; max: number }
	| { code: 'mark_text_type'; field: 'amendedBy' | 'amendedByRole' | 'codeDetail' }
	| { code: 'weekend'; date: string; weekday: string }
	| { code: 'holiday'; date: string; weekday: string; noTermsYet: boolean }
	| { code: 'school_closed'; date: string; weekday: string; session: Session; closure: { kind: 'inset' | 'bank_holiday' | 'closure'; description: string } | null }
	| { code: 'duplicate_mark'; pupilRef: string; date: string; session: Session; firstRow: number }
	| { code: 'header_no_pupil_column'; found: string[] }
	| { code: 'header_no_date_column'; found: string[] }
	| { code: 'header_no_mark_columns'; found: string[] }
	| { code: 'row_width'; fields: number; headerFields: number }
	/** csv-parse's own description of where the file stops being CSV. */
	| { code: 'csv_malformed'; detail: string }
	| { code: 'csv_empty' }
	| { code: 'mark_not_object' }
	| { code: 'mark_pupil_id_required' }
	| { code: 'mark_date_required' }
	| { code: 'mark_session_required' }
	| { code: 'mark_code_required' }
	| { code: 'mark_minutes_late_type'; max: number }
	| { code: 'mark_minutes_late_range'; max: number }
	/** What the mark schema refused in words of its own (zod's). */
	| { code: 'mark_not_accepted'; detail: string };

/** One problem with the input. `row` is the 1-based line in the CSV (the header is line 1), or the 1-based index in the API's marks array; 0 = the request as a whole. */
export type ImportError = { row: number } & ImportProblem;

export interface ImportResult {
	/** The register_imports row recording this attempt (applied or rejected). */
	importId: string;
	status: 'applied' | 'rejected';
	/** Data rows read (CSV lines after the header, or marks in the API array), blank ones included. */
	rowsRead: number;
	/** Marks that did not exist before. */
	marksInserted: number;
	/** Existing marks whose code, minutes late or code detail changed (a code change also writes an attendance_mark_amendments row). */
	marksAmended: number;
	/** Marks already held with the same code and minutes late: nothing was written for them. */
	marksUnchanged: number;
	/** Every error found, even beyond those listed in `errors`. */
	errorCount: number;
	/** The first {@link MAX_REPORTED_ERRORS} errors, in input order. */
	errors: ImportError[];
}

/** Who is importing, for register_imports.source and the audit log. */
export type ImportSource = 'csv_import' | 'api';
export type ImportActorType = 'staff' | 'mis' | 'system';

export interface ImportCommonOptions {
	schoolId: string;
	/** Recorded as amended_by on amendments and as the audit actor id: a staff user id, 'mis:<school>' or 'cli:<user>'. */
	importedBy: string;
	/** Reason recorded on each amendment; default 'Register import'. */
	amendmentReason?: string;
	/** Defaults: 'csv_import' for CSV, 'api' for JSON marks. */
	source?: ImportSource;
	/** Defaults: 'staff' for CSV, 'mis' for JSON marks. */
	actorType?: ImportActorType;
}

/** Errors kept in the result and in register_imports.errors; errorCount still counts them all. */
export const MAX_REPORTED_ERRORS = 500;
/** Most marks one API call may carry. */
export const MAX_API_MARKS = 100_000;
/** Largest minutes-late value accepted: a session is at most a few hours long. */
export const MAX_MINUTES_LATE = 600;
/** Longest description of a B/K/P/V/Y mark kept. */
export const MAX_CODE_DETAIL = 200;
/** Longest name or role of whoever amended a mark. */
export const MAX_AMENDED_BY = 100;
