/** Public shapes of the register import (CSV upload, CLI and the MIS API share them). */

/** One problem with the input. `row` is the 1-based line in the CSV (the header is line 1), or the 1-based index in the API's marks array; 0 = the request as a whole. */
export interface ImportError {
	row: number;
	message: string;
}

export interface ImportResult {
	/** The register_imports row recording this attempt (applied or rejected). */
	importId: string;
	status: 'applied' | 'rejected';
	/** Data rows read (CSV lines after the header, or marks in the API array), blank ones included. */
	rowsRead: number;
	/** Marks that did not exist before. */
	marksInserted: number;
	/** Existing marks whose code or minutes late changed (a code change also writes an attendance_mark_amendments row). */
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
