/**
 * Absence reports (docs/domain-rules.md §5): the reasons a parent gives, the code we suggest to the school,
 * which register sessions a report covers and whether each was reported in time, and the short
 * human reference shown on the confirmation.
 *
 * Parents report a reason, never a code. The school decides the code; `suggestedCode` is only a
 * suggestion shown on the staff board.
 *
 * Pure: no I/O, no framework imports.
 */
import {
	addSchoolDays,
	compareDates,
	dayOfWeek,
	isValidIsoDate,
	localDateOf,
	reportTiming,
	schoolSessionsBetween,
	termContaining,
	type IsoDate,
	type RegisterTimes,
	type SchoolCalendar,
	type Session
} from './calendar';
import type { AttendanceCode } from './codes';

export const ABSENCE_REASONS = [
	'illness',
	'mental_health',
	'medical_appointment',
	'religious_observance',
	'family_emergency',
	'bereavement',
	'other'
] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];

/** Plain parent-facing labels (never codes). */
export const ABSENCE_REASON_LABELS: Record<AbsenceReason, string> = {
	illness: 'Illness',
	mental_health: 'Mental health',
	medical_appointment: 'Medical or dental appointment',
	religious_observance: 'Religious observance',
	family_emergency: 'Family emergency',
	bereavement: 'Bereavement',
	other: 'Something else'
};

export function isAbsenceReason(value: unknown): value is AbsenceReason {
	return typeof value === 'string' && (ABSENCE_REASONS as readonly string[]).includes(value);
}

/** Which sessions of each day a report covers. */
export type ReportSessions = 'AM' | 'PM' | 'BOTH';

/** Longest free-text details a parent may give. */
export const MAX_DETAILS_LENGTH = 500;
/** A report may not reach further ahead than this many school days after today. */
export const MAX_SCHOOL_DAYS_AHEAD = 60;

/**
 * The attendance code we suggest for a reason (2024 code set, docs/domain-rules.md §3). A suggestion only:
 * the school decides and records the code in its MIS.
 * - illness, mental_health → `I` (illness — mental health is illness);
 * - medical_appointment → `M` (medical or dental appointment);
 * - religious_observance → `R` (day set apart for religious observance by the parent's body);
 * - family_emergency, bereavement → `C` (leave for exceptional circumstances, authorised at the
 *   headteacher's discretion — the school may decide otherwise);
 * - other → `N` (no reason yet: pending the school's decision; must be resolved within
 *   5 school days).
 */
export function suggestedCode(reason: AbsenceReason): AttendanceCode {
	switch (reason) {
		case 'illness':
		case 'mental_health':
			return 'I';
		case 'medical_appointment':
			return 'M';
		case 'religious_observance':
			return 'R';
		case 'family_emergency':
		case 'bereavement':
			return 'C';
		case 'other':
			return 'N';
	}
}

// ---------------------------------------------------------------------------------------------
// Which sessions a report covers
// ---------------------------------------------------------------------------------------------

export type SessionTiming = 'on_time' | 'late';

export interface PlannedSession {
	date: IsoDate;
	session: Session;
	/** 'on_time' when reported before that session's register closed (incl. before it opened). */
	timing: SessionTiming;
}

export interface PlanError {
	field: 'from' | 'to' | 'sessions';
	message: string;
}

export interface PlanReportInput {
	from: IsoDate;
	/** Last day, inclusive; default `from` (a single day). Ignored when untilFurtherNotice. */
	to?: IsoDate | null;
	/** Open-ended: covers only the first school day from `from`; daily check-ins extend it. */
	untilFurtherNotice?: boolean;
	/** Default 'BOTH'. 'AM' or 'PM' applies to every day in the range. */
	sessions?: ReportSessions;
	/** The instant of the report. */
	now: Date;
	/** Today in the school's zone; default: the local date of `now` in `timeZone`. */
	today?: IsoDate;
	registerTimes: RegisterTimes;
	/** Default: the calendar's zone. */
	timeZone?: string;
	/** Default {@link MAX_SCHOOL_DAYS_AHEAD}. */
	maxSchoolDaysAhead?: number;
}

export type ReportPlan =
	| {
			ok: true;
			startsOn: IsoDate;
			/** null = until further notice. */
			endsOn: IsoDate | null;
			/** The last date the planned sessions reach (for open-ended reports, the first school day). */
			coversThrough: IsoDate;
			sessions: PlannedSession[];
			/** Any session reported after its register closed. */
			late: boolean;
	  }
	| { ok: false; errors: PlanError[] };

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Long form for messages: 'Monday 5 October 2026' (no ICU dependence). */
export function longDate(date: IsoDate): string {
	return `${WEEKDAYS[dayOfWeek(date)]} ${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/**
 * The register sessions a report covers, skipping weekends, holidays and closures (INSET, bank
 * holidays, half-day closures), each with its timing against that session's register. Bad input
 * comes back as errors (data, not exceptions): an invalid date, a date before today, a date
 * outside every term, `to` before `from`, more than {@link MAX_SCHOOL_DAYS_AHEAD} school days
 * ahead, or no school sessions in the range (e.g. a weekend).
 */
export function planReportSessions(cal: SchoolCalendar, input: PlanReportInput): ReportPlan {
	const timeZone = input.timeZone ?? cal.timeZone;
	const today = input.today ?? localDateOf(input.now, timeZone);
	const which = input.sessions ?? 'BOTH';
	const openEnded = input.untilFurtherNotice === true;
	const errors: PlanError[] = [];

	if (which !== 'AM' && which !== 'PM' && which !== 'BOTH') {
		errors.push({ field: 'sessions', message: 'Choose morning, afternoon or the whole day.' });
	}
	if (!isValidIsoDate(input.from)) {
		return { ok: false, errors: [...errors, { field: 'from', message: 'Enter a real date.' }] };
	}
	if (!openEnded && input.to != null && !isValidIsoDate(input.to)) {
		return { ok: false, errors: [...errors, { field: 'to', message: 'Enter a real date.' }] };
	}
	const from = input.from;
	if (compareDates(from, today) < 0) {
		errors.push({
			field: 'from',
			message: 'The date is in the past. You can report today or a day to come; for earlier days, please contact the school.'
		});
	} else if (!termContaining(cal, from)) {
		errors.push({ field: 'from', message: `${longDate(from)} is not in term time.` });
	}

	let last: IsoDate;
	if (openEnded) {
		// Only the first school day from `from`: the daily check-in extends the report.
		const first = termContaining(cal, from) ? schoolSessionsBetween(cal, from, from).length > 0 : false;
		last = first ? from : (addSchoolDays(cal, from, 1) ?? from);
	} else {
		const to = input.to ?? from;
		last = to;
		if (compareDates(to, from) < 0) {
			errors.push({ field: 'to', message: 'The last day must be on or after the first day.' });
		} else if (to !== from && !termContaining(cal, to)) {
			errors.push({ field: 'to', message: `${longDate(to)} is not in term time.` });
		}
	}

	const horizon = addSchoolDays(cal, today, input.maxSchoolDaysAhead ?? MAX_SCHOOL_DAYS_AHEAD);
	if (errors.length === 0 && horizon && compareDates(last, horizon) > 0) {
		errors.push({
			field: openEnded ? 'from' : 'to',
			message: `You can report up to ${input.maxSchoolDaysAhead ?? MAX_SCHOOL_DAYS_AHEAD} school days ahead. For a longer absence, please contact the school.`
		});
	}
	if (errors.length > 0) return { ok: false, errors };

	const sessions = schoolSessionsBetween(cal, from, last)
		.filter((s) => which === 'BOTH' || s.session === which)
		.map((s) => ({
			date: s.date,
			session: s.session,
			timing: (reportTiming(input.now, timeZone, s.date, s.session, input.registerTimes) === 'late'
				? 'late'
				: 'on_time') as SessionTiming
		}));
	if (sessions.length === 0) {
		return {
			ok: false,
			errors: [
				{
					field: openEnded ? 'from' : 'to',
					message:
						which === 'BOTH'
							? 'The school is closed on those days (weekend, holiday or closure). There is nothing to report.'
							: `There is no ${which === 'AM' ? 'morning' : 'afternoon'} session on those days.`
				}
			]
		};
	}
	return {
		ok: true,
		startsOn: from,
		endsOn: openEnded ? null : last,
		coversThrough: sessions.at(-1)!.date,
		sessions,
		late: sessions.some((s) => s.timing === 'late')
	};
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/** No 0/O or 1/I, so a reference read aloud or typed from a phone screen is unambiguous. */
export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const REFERENCE_RE = /^[ABCDEFGHJKLMNPQRSTUVWXYZ2-9]{3}-[ABCDEFGHJKLMNPQRSTUVWXYZ2-9]{3}$/;

/**
 * A short reference like 'AB3-7KQ' (32^6 ≈ 10^9 values; the database's unique index catches the
 * rare collision). `rng` returns a float in [0, 1); pass a cryptographic source in production.
 */
export function generateReference(rng: () => number): string {
	let out = '';
	for (let i = 0; i < 6; i++) {
		if (i === 3) out += '-';
		const r = rng();
		if (!(r >= 0 && r < 1)) throw new RangeError(`generateReference: rng returned ${r}, expected [0, 1)`);
		out += REFERENCE_ALPHABET[Math.floor(r * REFERENCE_ALPHABET.length)];
	}
	return out;
}

/**
 * A reference as typed by a person ('ab3 7kq', 'AB37KQ', 'ab3-7kq') in canonical form, or null
 * when it cannot be one. O and I typed by mistake are read as 0/1 would be — not in the alphabet
 * — so they are rejected rather than guessed.
 */
export function normaliseReference(input: string): string | null {
	const compact = input.toUpperCase().replace(/[\s-]/g, '');
	if (compact.length !== 6) return null;
	const ref = `${compact.slice(0, 3)}-${compact.slice(3)}`;
	return REFERENCE_RE.test(ref) ? ref : null;
}

// ---------------------------------------------------------------------------------------------
// Open-ended reports ("until further notice") and daily check-ins
// ---------------------------------------------------------------------------------------------

export interface OpenEndedReportState {
	/** null while the report is open-ended. */
	endsOn: IsoDate | null;
	coversThrough: IsoDate;
	status: 'open' | 'acknowledged' | 'withdrawn';
}

/**
 * Whether an open-ended report needs today's check-in ("Is Sam still unwell?"): it is still
 * open-ended and not withdrawn, today is a school day, and the report does not yet cover today.
 */
export function needsCheckIn(cal: SchoolCalendar, report: OpenEndedReportState, today: IsoDate): boolean {
	if (report.endsOn !== null || report.status === 'withdrawn') return false;
	if (compareDates(report.coversThrough, today) >= 0) return false;
	return schoolSessionsBetween(cal, today, today).length > 0;
}

/**
 * The check-in goes out at this local time on a school day: early enough for the parent to
 * answer before the register closes.
 */
export const CHECK_IN_LOCAL_TIME = '07:30';

/**
 * Whether to gently tell the parent that the school may ask for medical evidence (docs/domain-rules.md §5):
 * an illness absence longer than the school's threshold in school days.
 */
export function mayAskForMedicalEvidence(reason: AbsenceReason, schoolDaysOff: number, thresholdDays: number): boolean {
	return (reason === 'illness' || reason === 'mental_health') && thresholdDays > 0 && schoolDaysOff > thresholdDays;
}
