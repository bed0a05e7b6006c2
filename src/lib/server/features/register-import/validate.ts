/**
 * Row validation shared by the CSV and JSON paths. Everything is checked in memory against the
 * school's roster and calendar (loaded once), so a whole year's file costs two small queries
 * before the load, not one per row.
 *
 * Valid marks go into parallel column arrays (not one object per mark) because they are handed
 * to PostgreSQL as arrays for unnest() and a year's file holds ~760,000 of them.
 */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import { pupils } from '../../platform/db/schema';
import { loadSchoolCalendar } from '../../platform/school-calendar';
import { CODES_WITH_DETAIL, parseAttendanceCode, takesCodeDetail } from '../../../domain/codes';
import {
	dayOfWeek,
	isValidIsoDate,
	isWeekend,
	schoolSessionsOn,
	termContaining,
	type IsoDate,
	type SchoolCalendar,
	type Session
} from '../../../domain/calendar';
import { MAX_AMENDED_BY, MAX_CODE_DETAIL, MAX_MINUTES_LATE, MAX_REPORTED_ERRORS, type ImportError, type ImportProblem } from './types';

export interface ImportContext {
	schoolId: string;
	/** pupils.mis_id → pupils.id, for this school only (a pupil of another school never matches). */
	pupilsByMisId: Map<string, string>;
	calendar: SchoolCalendar;
}

export async function loadImportContext(handle: DatabaseHandle, schoolId: string): Promise<ImportContext> {
	const calendar = await loadSchoolCalendar(handle.db, schoolId);
	const rows = await handle.db
		.select({ id: pupils.id, misId: pupils.misId })
		.from(pupils)
		.where(eq(pupils.schoolId, schoolId));
	const pupilsByMisId = new Map<string, string>();
	for (const r of rows) pupilsByMisId.set(r.misId.trim(), r.id);
	return { schoolId, pupilsByMisId, calendar };
}

/** The validated marks, column-wise, ready for unnest(). */
export interface StagedMarks {
	pupilIds: string[];
	dates: IsoDate[];
	sessions: Session[];
	codes: string[];
	minutesLate: (number | null)[];
	/** The detail of a B/K/P/V/Y mark; null = none. */
	codeDetails: (string | null)[];
	/** False when the input did not say (no such column or field): the detail held stays while the code does. */
	detailGiven: boolean[];
	/** Who the MIS says amended the mark, and their role; null = it does not say. */
	amendedBy: (string | null)[];
	amendedByRole: (string | null)[];
	minDate: IsoDate | undefined;
	maxDate: IsoDate | undefined;
}

type Parsed<T, P = ImportProblem> = { ok: true; value: T } | { ok: false; error: P };

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+00:00(?::00)?)?$/;
// Some exports write a date column as a midnight timestamp; anything but midnight is suspicious.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/;

/** 'DD/MM/YYYY' (UK MIS exports; never US order) or 'YYYY-MM-DD' to an IsoDate. */
export function parseImportDate(raw: string): Parsed<IsoDate> {
	const value = raw.trim();
	if (value === '') return { ok: false, error: { code: 'date_blank' } };
	let iso: string | undefined;
	const uk = UK_DATE.exec(value);
	if (uk) iso = `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
	const isoMatch = uk ? null : ISO_DATE.exec(value);
	if (isoMatch) iso = `${isoMatch[1]}-${isoMatch[2]}-${isoMatch[3]}`;
	if (iso === undefined || !isValidIsoDate(iso)) {
		return { ok: false, error: { code: 'date_invalid', value } };
	}
	return { ok: true, value: iso };
}

export function parseImportSession(raw: string): Parsed<Session> {
	const value = raw.trim();
	switch (value.toLowerCase()) {
		case 'am':
		case 'a':
		case 'morning':
			return { ok: true, value: 'AM' };
		case 'pm':
		case 'p':
		case 'afternoon':
			return { ok: true, value: 'PM' };
		case '':
			return { ok: false, error: { code: 'session_blank' } };
		default:
			return { ok: false, error: { code: 'session_invalid', value } };
	}
}

/** A bad value comes back as the value (the caller names the session it is for). */
export function parseMinutesLate(raw: string | number | null | undefined): Parsed<number | null, string> {
	if (raw === null || raw === undefined) return { ok: true, value: null };
	const value = typeof raw === 'number' ? String(raw) : raw.trim();
	if (value === '') return { ok: true, value: null };
	const n = /^\d+$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(n) || n > MAX_MINUTES_LATE) {
		return { ok: false, error: value };
	}
	return { ok: true, value: n };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface DayInfo {
	open: readonly Session[];
	/** A weekday inside a term: where '#' (planned whole-school closure) may be recorded. */
	inTermWeekday: boolean;
}

export interface MarkFields {
	/** Identifier values from the row, most specific column first; the first one that matches a pupil wins. */
	pupilRefs: readonly string[];
	date: string;
	/** 'AM' / 'PM', or the raw cell ('am', 'Morning'...) to be parsed. */
	session: Session | string;
	code: string;
	minutesLate?: string | number | null;
	codeDetail?: string | null;
	amendedBy?: string | null;
	amendedByRole?: string | null;
}

/** The optional facts a mark may carry beside its code (undefined = the input does not say). */
export interface MarkExtras {
	codeDetail?: string | null;
	amendedBy?: string | null;
	amendedByRole?: string | null;
}

const text = (v: string | null | undefined): string | null => {
	const t = v?.trim();
	return t ? t : null;
};

/**
 * Collects valid marks and per-row errors. After the first error nothing more is staged (the
 * import will be rejected anyway) but every row is still checked so the report is complete.
 */
export class MarkCollector {
	readonly errors: ImportError[] = [];
	errorCount = 0;
	marks: StagedMarks = emptyStaged();

	private readonly seen = new Map<number, number>();
	private readonly pupilIndex = new Map<string, number>();
	private readonly dateIndex = new Map<string, number>();
	private readonly dateCache = new Map<string, Parsed<IsoDate>>();
	private readonly dayCache = new Map<IsoDate, DayInfo>();
	private readonly amenderRowsReported = new Set<number>();

	constructor(private readonly ctx: ImportContext) {}

	error(row: number, problem: ImportProblem): void {
		this.errorCount++;
		if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ row, ...problem });
		if (this.errorCount === 1) this.marks = emptyStaged();
	}

	get hasErrors(): boolean {
		return this.errorCount > 0;
	}

	/** Resolves the pupil and date once for a row that may carry two marks (AM and PM). */
	resolveRow(row: number, pupilRefs: readonly string[], rawDate: string): { pupilId: string; pupilRef: string; date: IsoDate } | null {
		const pupil = this.resolvePupil(pupilRefs);
		if (!pupil.ok) this.error(row, pupil.error);
		const date = this.parseDateCached(rawDate);
		if (!date.ok) this.error(row, date.error);
		if (!pupil.ok || !date.ok) return null;
		return { pupilId: pupil.value.id, pupilRef: pupil.value.ref, date: date.value };
	}

	/** Validates one mark of a row resolved by {@link resolveRow} and stages it; errors name the session. */
	addMark(
		row: number,
		resolved: { pupilId: string; pupilRef: string; date: IsoDate } | null,
		session: Session,
		rawCode: string,
		rawMinutes: string | number | null | undefined,
		extras: MarkExtras = {}
	): void {
		const code = parseAttendanceCode(rawCode);
		if (!code.ok) this.error(row, { code: 'attendance_code_invalid', session, problem: code.problem });
		const minutes = parseMinutesLate(rawMinutes);
		if (!minutes.ok) this.error(row, { code: 'minutes_late_invalid', session, value: minutes.error, max: MAX_MINUTES_LATE });
		const detail = text(extras.codeDetail);
		let extrasOk = true;
		if (detail !== null && detail.length > MAX_CODE_DETAIL) {
			this.error(row, { code: 'code_detail_too_long', session, max: MAX_CODE_DETAIL });
			extrasOk = false;
		} else if (detail !== null && code.ok && !takesCodeDetail(code.code)) {
			this.error(row, { code: 'code_detail_not_allowed', session, markCode: code.code, allowed: CODES_WITH_DETAIL });
			extrasOk = false;
		}
		const amendedBy = text(extras.amendedBy);
		const amendedByRole = text(extras.amendedByRole);
		// A daily row's two marks share these cells: one error for the row, not one per session.
		for (const [field, value] of [['amended_by', amendedBy], ['amended_by_role', amendedByRole]] as const) {
			if (value !== null && value.length > MAX_AMENDED_BY) {
				if (session === 'AM' || !this.amenderRowsReported.has(row)) this.error(row, { code: 'amended_by_too_long', field, max: MAX_AMENDED_BY });
				this.amenderRowsReported.add(row);
				extrasOk = false;
			}
		}
		if (!resolved || !code.ok || !minutes.ok || !extrasOk) return;

		const problem = this.checkCalendar(resolved.date, session, code.code);
		if (problem) {
			this.error(row, problem);
			return;
		}
		const key = this.markKey(resolved.pupilId, resolved.date, session);
		const firstRow = this.seen.get(key);
		if (firstRow !== undefined) {
			this.error(row, { code: 'duplicate_mark', pupilRef: resolved.pupilRef, date: resolved.date, session, firstRow });
			return;
		}
		this.seen.set(key, row);
		if (this.hasErrors) return;
		const m = this.marks;
		m.pupilIds.push(resolved.pupilId);
		m.dates.push(resolved.date);
		m.sessions.push(session);
		m.codes.push(code.code);
		m.minutesLate.push(minutes.value);
		m.codeDetails.push(detail);
		m.detailGiven.push(extras.codeDetail !== undefined);
		m.amendedBy.push(amendedBy);
		m.amendedByRole.push(amendedByRole);
		if (m.minDate === undefined || resolved.date < m.minDate) m.minDate = resolved.date;
		if (m.maxDate === undefined || resolved.date > m.maxDate) m.maxDate = resolved.date;
	}

	/** One mark given field by field (session shape and JSON). Blank code = not yet marked: skipped. */
	addSingle(row: number, f: MarkFields): void {
		if (f.code.trim() === '') return;
		const resolved = this.resolveRow(row, f.pupilRefs, f.date);
		const session = f.session === 'AM' || f.session === 'PM' ? ({ ok: true, value: f.session } as const) : parseImportSession(f.session);
		if (!session.ok) {
			this.error(row, session.error);
			// Still report a bad code on the same row.
			const code = parseAttendanceCode(f.code);
			if (!code.ok) this.error(row, { code: 'attendance_code_invalid', session: null, problem: code.problem });
			return;
		}
		this.addMark(row, resolved, session.value, f.code, f.minutesLate, { codeDetail: f.codeDetail, amendedBy: f.amendedBy, amendedByRole: f.amendedByRole });
	}

	private resolvePupil(refs: readonly string[]): Parsed<{ id: string; ref: string }> {
		const tried: string[] = [];
		for (const raw of refs) {
			const ref = raw.trim();
			if (ref === '') continue;
			const id = this.ctx.pupilsByMisId.get(ref);
			if (id !== undefined) return { ok: true, value: { id, ref } };
			tried.push(ref);
		}
		if (tried.length === 0) return { ok: false, error: { code: 'pupil_id_blank' } };
		return { ok: false, error: { code: 'pupil_unknown', refs: tried } };
	}

	private parseDateCached(raw: string): Parsed<IsoDate> {
		let parsed = this.dateCache.get(raw);
		if (!parsed) {
			parsed = parseImportDate(raw);
			this.dateCache.set(raw, parsed);
		}
		return parsed;
	}

	private dayInfo(date: IsoDate): DayInfo {
		let info = this.dayCache.get(date);
		if (!info) {
			const cal = this.ctx.calendar;
			info = {
				open: schoolSessionsOn(cal, date),
				inTermWeekday: !isWeekend(date) && termContaining(cal, date) !== undefined
			};
			this.dayCache.set(date, info);
		}
		return info;
	}

	/**
	 * A mark must fall on a session the school's calendar holds. Exception: '#' (planned
	 * whole-school closure) is accepted on any weekday in term, closed or not — it is how an MIS
	 * records INSET and other planned closures, it is not a possible session so it never
	 * changes attendance figures, and the MIS (the register of record) may know of a closure
	 * our calendar has not been told about yet. Weekends and holidays reject every code.
	 */
	private checkCalendar(date: IsoDate, session: Session, code: string): ImportProblem | null {
		const info = this.dayInfo(date);
		if (code === '#' ? info.inTermWeekday : info.open.includes(session)) return null;
		const cal = this.ctx.calendar;
		const weekday = WEEKDAYS[dayOfWeek(date)]!;
		if (isWeekend(date)) return { code: 'weekend', date, weekday };
		if (!info.inTermWeekday) return { code: 'holiday', date, weekday, noTermsYet: cal.terms.length === 0 };
		const closure = cal.closures.find((c) => c.date === date && (c.sessions === 'BOTH' || c.sessions === session));
		return { code: 'school_closed', date, weekday, session, closure: closure ? { kind: closure.kind, description: closure.description } : null };
	}

	private markKey(pupilId: string, date: IsoDate, session: Session): number {
		let p = this.pupilIndex.get(pupilId);
		if (p === undefined) {
			p = this.pupilIndex.size;
			this.pupilIndex.set(pupilId, p);
		}
		let d = this.dateIndex.get(date);
		if (d === undefined) {
			d = this.dateIndex.size;
			this.dateIndex.set(date, d);
		}
		// Numbers, not strings: a year's file has ~760,000 keys and numeric keys stay small.
		return p * 1_048_576 + d * 2 + (session === 'PM' ? 1 : 0);
	}
}

function emptyStaged(): StagedMarks {
	return {
		pupilIds: [],
		dates: [],
		sessions: [],
		codes: [],
		minutesLate: [],
		codeDetails: [],
		detailGiven: [],
		amendedBy: [],
		amendedByRole: [],
		minDate: undefined,
		maxDate: undefined
	};
}
