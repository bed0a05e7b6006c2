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
import type { ReportProblem } from './report-problems';
import {
	addDays,
	addSchoolDays,
	calendarPublishedFor,
	compareDates,
	dayOfWeek,
	isValidIsoDate,
	isWeekend,
	localDateOf,
	parseTimeOfDay,
	reportTiming,
	schoolSessionsBetween,
	sessionsKnownOrNot,
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

/**
 * A parent's answers to "report an absence", as typed (nothing checked yet): what the web form
 * posts, what the page queues on the phone while offline, and what the JSON API receives.
 */
export interface ReportAnswers {
	pupilIds: string[];
	when: string;
	date: string;
	from: string;
	to: string;
	reason: string;
	details: string;
	/** How much of the day: 'all' (default), 'am', 'pm', 'late', 'early', 'appointment' (absent in reports queued by an older page). */
	part?: string;
	/** Local times 'HH:MM' for a part day. */
	arrivesBy?: string;
	leavesAt?: string;
	apptLeavesAt?: string;
	apptReturnsAt?: string;
	idempotencyKey: string;
}

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

/**
 * Part of a day, with local wall-clock times 'HH:MM': coming in late ("in by 10"), leaving early
 * and not coming back, or out for an appointment and back. A whole morning or afternoon is
 * `sessions: 'AM' | 'PM'` instead.
 */
export type PartDay =
	| { kind: 'late_arrival'; arrivesBy: string }
	| { kind: 'leaving_early'; leavesAt: string }
	| { kind: 'appointment'; leavesAt: string; returnsAt: string };

export const PART_DAY_KINDS = ['late_arrival', 'leaving_early', 'appointment'] as const;

/**
 * The sessions a part day actually misses. A child counts as present for a session when they are
 * in school at some time while its register is open (from when it opens to when it closes): the
 * register is taken then. So a child present at registration who leaves later for an
 * appointment is not absent for that session (the DfE's guidance on code M: pupils should
 * attend school before or after an appointment, and are marked present when they are there at
 * registration), and a child back before the register closes is present (late at worst).
 * Away from `leaves` to `returns` (minutes after midnight): the session is missed when they are
 * away for the whole of its register window.
 */
export function sessionsMissedByPartDay(times: RegisterTimes, part: PartDay): Session[] {
	const DAY_END = 24 * 60;
	const [leaves, returns] =
		part.kind === 'late_arrival'
			? [0, parseTimeOfDay(part.arrivesBy)]
			: part.kind === 'leaving_early'
				? [parseTimeOfDay(part.leavesAt), DAY_END]
				: [parseTimeOfDay(part.leavesAt), parseTimeOfDay(part.returnsAt)];
	const missed: Session[] = [];
	for (const session of ['AM', 'PM'] as const) {
		const opens = parseTimeOfDay(times[session].opens);
		const closes = parseTimeOfDay(times[session].closes);
		if (leaves <= opens && returns > closes) missed.push(session);
	}
	return missed;
}

/** Local 'HH:MM' from a stored PostgreSQL `time` ('10:30:00'). */
const hhmm = (t: string) => t.slice(0, 5);

/** The part day stored on a report (columns part_day, arrives_by, leaves_at, returns_at), or null. */
export function partDayFromRow(row: { partDay: string | null; arrivesBy: string | null; leavesAt: string | null; returnsAt: string | null }): PartDay | null {
	if (row.partDay === 'late_arrival' && row.arrivesBy) return { kind: 'late_arrival', arrivesBy: hhmm(row.arrivesBy) };
	if (row.partDay === 'leaving_early' && row.leavesAt) return { kind: 'leaving_early', leavesAt: hhmm(row.leavesAt) };
	if (row.partDay === 'appointment' && row.leavesAt && row.returnsAt) return { kind: 'appointment', leavesAt: hhmm(row.leavesAt), returnsAt: hhmm(row.returnsAt) };
	return null;
}

/** For staff: 'Appointment: leaves at 10:30, back by 13:00'. */
export function partDayLabel(part: PartDay): string {
	switch (part.kind) {
		case 'late_arrival':
			return `Coming in late: in by ${part.arrivesBy}`;
		case 'leaving_early':
			return `Leaving early at ${part.leavesAt}`;
		case 'appointment':
			return `Appointment: leaves at ${part.leavesAt}, back by ${part.returnsAt}`;
	}
}

/** Who reported an absence, and their link to the child (from the school's MIS). */
export interface Reporter {
	name: string;
	relationship: string | null;
	livesWith: boolean | null;
	parentalResponsibility: boolean | null;
}

/**
 * For staff, as they would hear it on the phone: 'Tom Smith (Father, does not live with the
 * child)'. What matters is said only when it is not the usual case: a parent who does not live
 * with the child, or someone without parental responsibility.
 */
export function reporterLabel(r: Reporter): string {
	return `${r.name} (${reporterNotes(r)})`;
}

/** 'Father, does not live with the child': how the reporter stands to the child. */
export function reporterNotes(r: Reporter): string {
	const notes = [r.relationship ?? 'no longer linked to the child'];
	if (r.livesWith === false) notes.push('does not live with the child');
	if (r.parentalResponsibility === false) notes.push('no parental responsibility');
	return notes.join(', ');
}

/** Does staff need to notice who reported (not living with the child, or no parental responsibility)? */
export function reporterNeedsAttention(r: Reporter): boolean {
	return r.livesWith === false || r.parentalResponsibility === false || r.relationship === null;
}

/** Why a part day cannot be planned, or null when it can. */
export function partDayProblem(part: PartDay): ReportProblem | null {
	const valid = (t: string) => {
		try {
			parseTimeOfDay(t);
			return true;
		} catch {
			return false;
		}
	};
	if (part.kind === 'late_arrival') return valid(part.arrivesBy) ? null : { code: 'time_in' };
	if (!valid(part.leavesAt)) return { code: 'time_leave' };
	if (part.kind === 'appointment') {
		if (!valid(part.returnsAt)) return { code: 'time_back' };
		if (parseTimeOfDay(part.returnsAt) <= parseTimeOfDay(part.leavesAt)) return { code: 'back_after_leave' };
	}
	return null;
}

export interface PlannedSession {
	date: IsoDate;
	session: Session;
	/** 'on_time' when reported before that session's register closed (incl. before it opened). */
	timing: SessionTiming;
}

export type PlanError = { field: 'from' | 'to' | 'sessions' } & ReportProblem;

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
	/** Part of one day (times): only for a single-day report; `sessions` is then ignored. */
	partDay?: PartDay | null;
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
			/**
			 * Academic years in the range whose term dates the school has not published yet: their
			 * weekdays are counted provisionally, to be checked when the calendar arrives.
			 */
			unpublished: string[];
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
		errors.push({ field: 'sessions', code: 'choose_sessions' });
	}
	if (!isValidIsoDate(input.from)) {
		return { ok: false, errors: [...errors, { field: 'from', code: 'real_date' }] };
	}
	if (!openEnded && input.to != null && !isValidIsoDate(input.to)) {
		return { ok: false, errors: [...errors, { field: 'to', code: 'real_date' }] };
	}
	const from = input.from;
	if (compareDates(from, today) < 0) {
		errors.push({ field: 'from', code: 'date_in_past' });
	} else if (!termContaining(cal, from) && calendarPublishedFor(cal, from)) {
		// Unknown is not closed: a day in a year whose dates are not published yet is accepted.
		errors.push({ field: 'from', code: 'not_term_time', date: from });
	}
	const part = input.partDay ?? null;
	if (part) {
		const problem = partDayProblem(part);
		if (problem) errors.push({ field: 'sessions', ...problem });
		if (openEnded || (input.to != null && input.to !== from)) {
			errors.push({ field: 'sessions', code: 'part_one_day' });
		}
	}

	let last: IsoDate;
	if (openEnded) {
		// Only the first school day from `from`: the daily check-in extends the report.
		if (!calendarPublishedFor(cal, from)) {
			let d = from;
			while (isWeekend(d)) d = addDays(d, 1);
			last = d;
		} else {
			const first = termContaining(cal, from) ? sessionsKnownOrNot(cal, from, from).sessions.length > 0 : false;
			last = first ? from : (addSchoolDays(cal, from, 1) ?? from);
		}
	} else {
		const to = input.to ?? from;
		last = to;
		if (compareDates(to, from) < 0) {
			errors.push({ field: 'to', code: 'last_before_first' });
		} else if (to !== from && !termContaining(cal, to) && calendarPublishedFor(cal, to)) {
			errors.push({ field: 'to', code: 'not_term_time', date: to });
		}
	}

	const horizon = addSchoolDays(cal, today, input.maxSchoolDaysAhead ?? MAX_SCHOOL_DAYS_AHEAD);
	if (errors.length === 0 && horizon && compareDates(last, horizon) > 0) {
		errors.push({ field: openEnded ? 'from' : 'to', code: 'too_far_ahead', days: input.maxSchoolDaysAhead ?? MAX_SCHOOL_DAYS_AHEAD });
	}
	if (errors.length > 0) return { ok: false, errors };

	const span = sessionsKnownOrNot(cal, from, last);
	const missedPart = part ? sessionsMissedByPartDay(input.registerTimes, part) : null;
	const schoolSessions = span.sessions;
	const sessions = schoolSessions
		.filter((s) => (missedPart ? missedPart.includes(s.session) : which === 'BOTH' || s.session === which))
		.map((s) => ({
			date: s.date,
			session: s.session,
			timing: (reportTiming(input.now, timeZone, s.date, s.session, input.registerTimes) === 'late'
				? 'late'
				: 'on_time') as SessionTiming
		}));
	// A part day that misses no session (back before the register closes, or leaving after it was
	// taken) is still worth telling the school, so it is planned with no absent sessions — but only
	// on a day the school is open.
	if (sessions.length === 0 && !(missedPart && schoolSessions.length > 0)) {
		return {
			ok: false,
			errors: [
				{ field: openEnded ? 'from' : 'to', code: which === 'BOTH' ? 'school_closed' : which === 'AM' ? 'no_morning' : 'no_afternoon' }
			]
		};
	}
	return {
		ok: true,
		startsOn: from,
		endsOn: openEnded ? null : last,
		coversThrough: sessions.at(-1)?.date ?? from,
		sessions,
		late: sessions.some((s) => s.timing === 'late'),
		unpublished: span.unpublished
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
