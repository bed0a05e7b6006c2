/**
 * Recognising the two CSV shapes MIS exports use, from the header row:
 *  (a) one row per pupil per day:  UPN, Date, AM, PM [, Minutes Late AM, Minutes Late PM]
 *  (b) one row per session:        UPN, Date, Session, Code [, Minutes Late]
 * Either may add who amended the marks (Amended By, Amended By Role) and the detail of a
 * B/K/P/V/Y mark (Code Detail; Code Detail AM and Code Detail PM in the daily shape).
 * Header names are compared with case, spaces and punctuation removed, so "Admission No.",
 * "admission_no" and "ADMISSION NO" are the same column. Unknown columns (names, year group,
 * class...) are ignored.
 */
import type { ImportProblem } from './types';

export interface DailyColumns {
	shape: 'daily';
	/** Pupil identifier columns, most specific first. */
	ids: number[];
	date: number;
	am: number;
	pm: number;
	lateAm?: number;
	latePm?: number;
	codeDetailAm?: number;
	codeDetailPm?: number;
	amendedBy?: number;
	amendedByRole?: number;
}

export interface SessionColumns {
	shape: 'session';
	ids: number[];
	date: number;
	session: number;
	code: number;
	late?: number;
	codeDetail?: number;
	amendedBy?: number;
	amendedByRole?: number;
}

export type CsvColumns = DailyColumns | SessionColumns;

export type HeaderResult = { ok: true; columns: CsvColumns } | { ok: false; error: ImportProblem };

// Several identifier columns may be present (SIMS exports both UPN and Admission No): each is
// tried in this order and the first value that matches a pupil wins, so it does not matter
// which of them the school loaded into pupils.mis_id.
const ID_KEYS = [
	'misid',
	'pupilmisid',
	'upn',
	'pupilupn',
	'pupilid',
	'studentid',
	'admissionno',
	'admissionnumber',
	'adno',
	'admno'
];
const DATE_KEYS = ['date', 'sessiondate', 'attendancedate', 'markdate', 'registerdate'];
const AM_KEYS = ['am', 'amcode', 'ammark', 'amsession', 'amattendance', 'amattendancecode', 'morning'];
const PM_KEYS = ['pm', 'pmcode', 'pmmark', 'pmsession', 'pmattendance', 'pmattendancecode', 'afternoon'];
const SESSION_KEYS = ['session', 'sessionampm', 'ampm', 'amorpm', 'sessionname'];
const CODE_KEYS = ['code', 'mark', 'attendancecode', 'attendancemark', 'sessioncode', 'markcode'];
const LATE_KEYS = ['minuteslate', 'minslate', 'lateminutes', 'latemins'];
const LATE_AM_KEYS = ['minuteslateam', 'amminuteslate', 'minslateam', 'amminslate', 'lateminutesam', 'amlateminutes'];
const LATE_PM_KEYS = ['minuteslatepm', 'pmminuteslate', 'minslatepm', 'pmminslate', 'lateminutespm', 'pmlateminutes'];
// Who changed a mark and their role, and what a B/K/P/V/Y mark was (optional columns).
const AMENDED_BY_KEYS = ['amendedby', 'changedby', 'editedby', 'amendedbyname'];
const AMENDED_BY_ROLE_KEYS = ['amendedbyrole', 'changedbyrole', 'editedbyrole', 'amenderrole'];
const CODE_DETAIL_KEYS = ['codedetail', 'markdetail', 'codedetails'];
const CODE_DETAIL_AM_KEYS = ['codedetailam', 'amcodedetail', 'markdetailam', 'ammarkdetail'];
const CODE_DETAIL_PM_KEYS = ['codedetailpm', 'pmcodedetail', 'markdetailpm', 'pmmarkdetail'];

export function normaliseHeader(name: string): string {
	return name.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function detectColumns(header: readonly string[]): HeaderResult {
	const keys = header.map(normaliseHeader);
	const find = (candidates: readonly string[]): number | undefined => {
		for (const c of candidates) {
			const i = keys.indexOf(c);
			if (i >= 0) return i;
		}
		return undefined;
	};
	const ids: number[] = [];
	for (const c of ID_KEYS) {
		const i = keys.indexOf(c);
		if (i >= 0 && !ids.includes(i)) ids.push(i);
	}
	const found = header.map((h) => h.trim());
	if (ids.length === 0) {
		return { ok: false, error: { code: 'header_no_pupil_column', found } };
	}
	const date = find(DATE_KEYS);
	if (date === undefined) return { ok: false, error: { code: 'header_no_date_column', found } };

	const amender = { amendedBy: find(AMENDED_BY_KEYS), amendedByRole: find(AMENDED_BY_ROLE_KEYS) };
	const session = find(SESSION_KEYS);
	const code = find(CODE_KEYS);
	if (session !== undefined && code !== undefined) {
		return {
			ok: true,
			columns: { shape: 'session', ids, date, session, code, late: find(LATE_KEYS), codeDetail: find(CODE_DETAIL_KEYS), ...amender }
		};
	}
	const am = find(AM_KEYS);
	const pm = find(PM_KEYS);
	if (am !== undefined && pm !== undefined) {
		return {
			ok: true,
			columns: {
				shape: 'daily',
				ids,
				date,
				am,
				pm,
				lateAm: find(LATE_AM_KEYS),
				latePm: find(LATE_PM_KEYS),
				codeDetailAm: find(CODE_DETAIL_AM_KEYS),
				codeDetailPm: find(CODE_DETAIL_PM_KEYS),
				...amender
			}
		};
	}
	return { ok: false, error: { code: 'header_no_mark_columns', found } };
}
