/**
 * Attendance arithmetic: tallies, percentages, bands (Portsmouth graduated response), persistent
 * and severe absence, time lost in days/weeks, lateness, projections, the school-career view and
 * the penalty-notice rolling window (docs/domain-rules.md §3, §4, §7).
 *
 * Thresholds are decided with exact integer arithmetic (cross-multiplication), never by comparing
 * rounded or floating-point percentages.
 *
 * Pure: no I/O, no framework imports.
 */
import {
	ATTENDANCE_CODES,
	codeCategory,
	isAttendanceCode,
	isUnauthorisedAbsence,
	type AttendanceCode
} from './codes';
import {
	compareDates,
	schoolWeeksEndingAt,
	type IsoDate,
	type SchoolCalendar,
	type Session
} from './calendar';

export type { IsoDate, Session } from './calendar';

/** A normal English school year: 190 days = 380 sessions. Prefer the school's own calendar. */
export const DEFAULT_SCHOOL_DAYS_IN_YEAR = 190;
/** Default lessons in a school day (a school setting). */
export const DEFAULT_LESSONS_PER_DAY = 5;
/** Reception to Year 11. */
export const DEFAULT_SCHOOL_CAREER_YEARS = 12;
/**
 * Length of a school day used to turn minutes of lateness into days: 5 hours (300 minutes)
 * of learning. This is the assumption behind the widely used "5 minutes late every day = 3 days
 * lost a year" figures (190 × 5 = 950 minutes ≈ 3.2 days of 300 minutes; 30 minutes a day =
 * exactly 19 days). Pass the school's own figure to {@link latenessTimeLost} if it differs.
 */
export const DEFAULT_SCHOOL_DAY_MINUTES = 300;

/**
 * A school's own learning day, in minutes: from when the morning register opens to when the
 * day ends ('HH:MM' or 'HH:MM:SS'; 08:40 to 15:10 = 390). Null when the day would end at or
 * before it starts, or a time is not a time: such a day cannot measure lateness.
 */
export function learningDayMinutes(amRegisterOpens: string, schoolDayEnds: string): number | null {
	const at = (t: string) => {
		const m = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(t.trim());
		return m ? Number(m[1]) * 60 + Number(m[2]) : null;
	};
	const opens = at(amRegisterOpens);
	const ends = at(schoolDayEnds);
	if (opens === null || ends === null || ends <= opens) return null;
	return ends - opens;
}

export interface Mark {
	date: IsoDate;
	session: Session;
	code: AttendanceCode;
	minutesLate?: number | null;
}

export interface Tally {
	/** Possible sessions: every code except the "not possible" ones. */
	possible: number;
	/** Present + approved educational activity. */
	attended: number;
	present: number;
	approvedActivity: number;
	authorisedAbsence: number;
	unauthorisedAbsence: number;
	notPossible: number;
	/** `L` marks. */
	lateBeforeClose: number;
	/** `U` marks. */
	lateAfterClose: number;
	/** Sum of recorded minutes late. */
	minutesLate: number;
	byCode: Partial<Record<AttendanceCode, number>>;
}

function assertCount(value: number, label: string): void {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new RangeError(`${label} must be a non-negative whole number, got ${String(value)}`);
	}
}

function assertNonNegative(value: number, label: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new RangeError(`${label} must be a non-negative number, got ${String(value)}`);
	}
}

function assertPositive(value: number, label: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new RangeError(`${label} must be a positive number, got ${String(value)}`);
	}
}

function assertPercent(percent: number): void {
	if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
		throw new RangeError(`Attendance percent must be between 0 and 100, got ${String(percent)}`);
	}
}

function assertAttendedPossible(attended: number, possible: number): void {
	assertCount(attended, 'Attended sessions');
	assertCount(possible, 'Possible sessions');
	if (attended > possible) {
		throw new RangeError(`Attended sessions (${attended}) cannot exceed possible sessions (${possible})`);
	}
}

/** Round to the nearest half (halves round up), tolerant of floating-point noise. */
export function roundToHalf(value: number): number {
	return Math.round(value * 2 + 1e-9) / 2;
}

// ---------------------------------------------------------------------------------------------
// Tallies
// ---------------------------------------------------------------------------------------------

function emptyTally(): Tally {
	return {
		possible: 0,
		attended: 0,
		present: 0,
		approvedActivity: 0,
		authorisedAbsence: 0,
		unauthorisedAbsence: 0,
		notPossible: 0,
		lateBeforeClose: 0,
		lateAfterClose: 0,
		minutesLate: 0,
		byCode: {}
	};
}

function addCode(t: Tally, code: AttendanceCode, count: number): void {
	if (count === 0) return;
	t.byCode[code] = (t.byCode[code] ?? 0) + count;
	switch (codeCategory(code)) {
		case 'present':
			t.present += count;
			t.attended += count;
			t.possible += count;
			break;
		case 'approved_educational_activity':
			t.approvedActivity += count;
			t.attended += count;
			t.possible += count;
			break;
		case 'authorised_absence':
			t.authorisedAbsence += count;
			t.possible += count;
			break;
		case 'unauthorised_absence':
			t.unauthorisedAbsence += count;
			t.possible += count;
			break;
		case 'not_possible':
			t.notPossible += count;
			break;
	}
	if (code === 'L') t.lateBeforeClose += count;
	if (code === 'U') t.lateAfterClose += count;
}

/**
 * Count marks. Pass one mark per pupil session (the current register entry, not amendment
 * history); duplicates are counted as given. `minutesLate` is summed over every mark that has
 * it (null/undefined count as 0); a negative or non-finite value throws.
 */
export function tallyMarks(marks: readonly Mark[]): Tally {
	const t = emptyTally();
	for (const m of marks) {
		if (!isAttendanceCode(m.code)) {
			throw new RangeError(`Unknown attendance code "${String(m.code)}" on ${m.date} ${m.session}`);
		}
		addCode(t, m.code, 1);
		if (m.minutesLate !== null && m.minutesLate !== undefined) {
			assertNonNegative(m.minutesLate, `Minutes late on ${m.date} ${m.session}`);
			t.minutesLate += m.minutesLate;
		}
	}
	return t;
}

/**
 * Build a tally from per-code counts (e.g. `SELECT code, count(*) … GROUP BY code`) and the
 * total minutes late. Counts must be non-negative whole numbers; unknown codes throw.
 */
export function tallyFromCodeCounts(
	counts: Partial<Record<AttendanceCode, number>>,
	minutesLate = 0
): Tally {
	const t = emptyTally();
	for (const [code, count] of Object.entries(counts)) {
		if (!isAttendanceCode(code)) throw new RangeError(`Unknown attendance code "${code}"`);
		if (count === undefined) continue;
		assertCount(count, `Count for code "${code}"`);
		addCode(t, code, count);
	}
	assertNonNegative(minutesLate, 'Minutes late');
	t.minutesLate = minutesLate;
	// Keep byCode in register order for stable output.
	const ordered: Partial<Record<AttendanceCode, number>> = {};
	for (const c of ATTENDANCE_CODES) {
		const n = t.byCode[c];
		if (n !== undefined) ordered[c] = n;
	}
	t.byCode = ordered;
	return t;
}

/** Possible sessions not attended (authorised + unauthorised absence). */
export function missedSessions(t: Pick<Tally, 'possible' | 'attended'>): number {
	return t.possible - t.attended;
}

// ---------------------------------------------------------------------------------------------
// Percentages and bands
// ---------------------------------------------------------------------------------------------

/** attended ÷ possible × 100, unrounded; null when there are no possible sessions. */
export function attendancePercent(attended: number, possible: number): number | null {
	assertAttendedPossible(attended, possible);
	if (possible === 0) return null;
	return (attended * 100) / possible;
}

/**
 * '95.3%' — rounded half-up to `dp` decimal places; '—' when there is no percentage yet.
 * Display only: never compare formatted or rounded values against thresholds (use
 * {@link bandFor}); e.g. 95.99% shows as '96.0%' but is still in the at-risk band.
 */
export function formatPercent(p: number | null, dp = 1): string {
	if (p === null || !Number.isFinite(p)) return '—';
	if (!Number.isInteger(dp) || dp < 0 || dp > 10) throw new RangeError(`Invalid decimal places ${dp}`);
	const factor = 10 ** dp;
	const rounded = Math.round(p * factor + (p >= 0 ? 1e-9 : -1e-9)) / factor;
	return `${rounded.toFixed(dp)}%`;
}

export type Band =
	| 'excellent'
	| 'at_risk'
	| 'persistently_absent'
	| 'persistently_absent_formal'
	| 'severely_absent';

export const BANDS: readonly Band[] = [
	'excellent',
	'at_risk',
	'persistently_absent',
	'persistently_absent_formal',
	'severely_absent'
];

/**
 * The graduated-response band, decided on the exact percentage with integer cross-multiplication
 * (100 × attended compared with threshold × possible):
 * ≥ 96 excellent; > 90 and < 96 at risk; > 85 and ≤ 90 persistently absent;
 * > 50 and ≤ 85 persistently absent (formal stage); ≤ 50 severely absent.
 * Null when there are no possible sessions.
 */
export function bandFor(attended: number, possible: number): Band | null {
	assertAttendedPossible(attended, possible);
	if (possible === 0) return null;
	const a = attended * 100;
	if (a >= 96 * possible) return 'excellent';
	if (a > 90 * possible) return 'at_risk';
	if (a > 85 * possible) return 'persistently_absent';
	if (a > 50 * possible) return 'persistently_absent_formal';
	return 'severely_absent';
}

export interface BandInfo {
	/** Staff-facing band name. */
	staffLabel: string;
	/** The attendance range, as on the Portsmouth chart. */
	range: string;
	/** Parent-facing headline: supportive, never shaming. */
	parentLabel: string;
	/** Parent-facing explanation. */
	parentMessage: string;
	/** What the school will do next, in words for families. */
	parentNextSteps: string[];
	/** What the school should do next (Portsmouth §4 graduated response), for staff. */
	staffNextSteps: string[];
}

export const BAND_INFO: Readonly<Record<Band, BandInfo>> = {
	excellent: {
		staffLabel: 'Excellent attendance',
		range: '96–100%',
		parentLabel: 'Brilliant attendance',
		parentMessage:
			'Being in school nearly every day gives your child the best chance to learn, keep up with friends and enjoy school. Thank you for all you do.',
		parentNextSteps: [
			'We will keep celebrating your child’s attendance and send you good news.',
			'If anything changes at home or school, talk to us — we are here to help.'
		],
		staffNextSteps: ['Rewards and positive messages home.']
	},
	at_risk: {
		staffLabel: 'At risk of persistent absence',
		range: '91–95%',
		parentLabel: 'Some days missed',
		parentMessage:
			'Your child has missed a few days this year. Every day counts, and small changes can make a big difference. We would like to work with you to help.',
		parentNextSteps: [
			'We may have a friendly chat with your child to see if anything is making school harder.',
			'We may suggest an attendance plan together with you, and we will keep you updated by letter or message.',
			'If attendance does not improve, we will explain the legal process to you clearly, so nothing comes as a surprise.'
		],
		staffNextSteps: [
			'Initial discussions with the child to identify barriers.',
			'Consider a Personal Attendance Plan.',
			'Refer to the school attendance policy and local authority guidance.',
			'Send attendance letters or messages to parents.',
			'Make parents aware of the legal process if improvements are not made.'
		]
	},
	persistently_absent: {
		staffLabel: 'Persistently absent',
		range: '86–90%',
		parentLabel: 'Let’s work on this together',
		parentMessage:
			'Your child has missed about one day in every ten. We know there can be many reasons, and we want to understand what is getting in the way and help.',
		parentNextSteps: [
			'We will invite you and your child to a meeting to talk about what would help.',
			'Together we can agree an attendance plan, with support in school and, if needed, from health or family services.',
			'If absence is due to illness, we may ask for medical information to help us support your child.',
			'We review attendance every half term. Formal steps are considered only if support has not worked.'
		],
		staffNextSteps: [
			'Hold a meeting with the child and parents.',
			'Identify barriers and put appropriate pathways in place (e.g. health).',
			'Send Medical 1 and Medical 2 letters for illness-related absence; consider health and electronic evidence coordination with parents.',
			'Consider a Personal Attendance Plan and/or Family Support Plan.',
			'Make targeted support and adaptations within the school environment.',
			'Consider formal action, unless evidence shows this is inappropriate.',
			'Conduct persistent absence reviews every half term.'
		]
	},
	persistently_absent_formal: {
		staffLabel: 'Persistently absent (formal stage)',
		range: '51–85%',
		parentLabel: 'We want to help your child get back on track',
		parentMessage:
			'Your child has missed a lot of school. We are worried they are missing out, and we want to work closely with you and other services to help.',
		parentNextSteps: [
			'A support plan with you and other services will include attendance.',
			'We will make changes in school to help your child attend.',
			'We may visit you at home to check in and see how we can help.',
			'The school is expected to take formal steps at this stage; we will always explain what they are and keep supporting you.'
		],
		staffNextSteps: [
			'A Family Support Plan or multi-agency plan must be in place and include attendance, or a Personal Attendance Plan alongside.',
			'Implement safeguarding and escalation measures to ensure the child has been seen, including home and community visits.',
			'Relevant adaptations must be in place.',
			'Formal action must be taken (unless a clear record of evidence demonstrates it is inappropriate).',
			'Where complex barriers are identified, formally consider a school attendance panel and record the decision rationale.'
		]
	},
	severely_absent: {
		staffLabel: 'Severely absent',
		range: '0–50%',
		parentLabel: 'We are here to support you',
		parentMessage:
			'Your child has been out of school for at least half of the time. We know this can be very hard for families, and we want to help your child back into learning with the right support.',
		parentNextSteps: [
			'We will work with you and other services on a family plan that includes attendance, reviewed at least every two weeks.',
			'A named person at the local authority will also be involved in supporting your child.',
			'The school is expected to take formal steps at this stage; we will explain each one and keep supporting you throughout.'
		],
		staffNextSteps: [
			'Add the child to the vulnerable tracking list for conversation with the Link Coordinator.',
			'Discuss the child at the termly severely absent meetings.',
			'A multi-agency assessment and family plan must be in place and include attendance.',
			'Review the attendance plan at least fortnightly and amend with relevant actions.',
			'Consider safeguarding risks and refer to the thresholds document.',
			'Formal action must be taken; this is likely to be a school attendance panel.'
		]
	}
};

/** Persistent absence: missed ≥ 10% of possible sessions (10 × missed ≥ possible). False when possible = 0. */
export function isPersistentAbsence(t: Pick<Tally, 'possible' | 'attended'>): boolean {
	assertAttendedPossible(t.attended, t.possible);
	if (t.possible === 0) return false;
	return 10 * missedSessions(t) >= t.possible;
}

/** Severe absence: missed ≥ 50% of possible sessions (2 × missed ≥ possible). False when possible = 0. */
export function isSevereAbsence(t: Pick<Tally, 'possible' | 'attended'>): boolean {
	assertAttendedPossible(t.attended, t.possible);
	if (t.possible === 0) return false;
	return 2 * missedSessions(t) >= t.possible;
}

// ---------------------------------------------------------------------------------------------
// Time lost
// ---------------------------------------------------------------------------------------------

/**
 * Days missed in a year of `schoolDaysInYear` days at `percent` attendance, rounded to the
 * nearest half day (halves up): 95 → 9.5, 90 → 19, 85 → 28.5, 75 → 47.5 on 190 days.
 */
export function daysMissedForPercent(
	percent: number,
	schoolDaysInYear: number = DEFAULT_SCHOOL_DAYS_IN_YEAR
): number {
	assertPercent(percent);
	assertPositive(schoolDaysInYear, 'School days in the year');
	return roundToHalf(((100 - percent) * schoolDaysInYear) / 100);
}

function formatHalves(value: number): string {
	const whole = Math.floor(value);
	const half = value - whole >= 0.5;
	if (whole === 0 && half) return '½';
	return half ? `${whole}½` : `${whole}`;
}

/** '9½ days', '1 day', '½ day', '0 days' (rounded to the nearest half day). */
export function formatDays(days: number): string {
	assertNonNegative(days, 'Days');
	const d = roundToHalf(days);
	return `${formatHalves(d)} ${d === 1 || d === 0.5 ? 'day' : 'days'}`;
}

/** Whole weeks and remaining days (nearest half day) for `days`. */
export function splitDaysIntoWeeks(
	days: number,
	daysPerWeek = 5
): { weeks: number; remainderDays: number } {
	assertNonNegative(days, 'Days');
	if (!Number.isInteger(daysPerWeek) || daysPerWeek <= 0) {
		throw new RangeError(`Days per week must be a positive whole number, got ${daysPerWeek}`);
	}
	const d = roundToHalf(days);
	const weeks = Math.floor(d / daysPerWeek);
	return { weeks, remainderDays: d - weeks * daysPerWeek };
}

/**
 * Days as school weeks and days, with halves: '1 week 4½ days', '3 weeks 4 days',
 * '½ day', '1 day', '2 weeks', '0 days'.
 */
export function formatDaysAsWeeks(days: number, daysPerWeek = 5): string {
	const { weeks, remainderDays } = splitDaysIntoWeeks(days, daysPerWeek);
	const parts: string[] = [];
	if (weeks > 0) parts.push(`${weeks} ${weeks === 1 ? 'week' : 'weeks'}`);
	if (remainderDays > 0 || weeks === 0) parts.push(formatDays(remainderDays));
	return parts.join(' ');
}

export interface TimeLostRow {
	percent: number;
	/** Nearest half day. */
	daysMissed: number;
	weeks: number;
	remainderDays: number;
	/** e.g. '1 week 4½ days'. */
	text: string;
	/** e.g. '9½ days'. */
	daysText: string;
}

/** Why a typed time-lost table cannot be used (the words: src/lib/i18n-staff-problems.ts). */
export type TimeLostProblem = { code: 'time_lost_count' } | { code: 'time_lost_range' } | { code: 'time_lost_repeated' };

/** The percentages of the time-lost table when the school has not chosen its own. */
export const DEFAULT_TIME_LOST_PERCENTS: readonly number[] = [95, 90, 85, 75];

/**
 * The percentages a school chooses for its time-lost table, as typed ("97, 95, 90"): whole
 * numbers from 50 to 99, between 2 and 6 of them, each once; highest first.
 */
export function parseTimeLostPercents(text: string): { ok: true; percents: number[] } | { ok: false; problem: TimeLostProblem } {
	const parts = text
		.split(/[\s,;]+/)
		.map((p) => p.replace(/%$/, ''))
		.filter(Boolean);
	if (parts.length < 2 || parts.length > 6) return { ok: false, problem: { code: 'time_lost_count' } };
	const percents = parts.map(Number);
	if (percents.some((p, i) => !/^\d{2}$/.test(parts[i]!) || p < 50 || p > 99)) {
		return { ok: false, problem: { code: 'time_lost_range' } };
	}
	if (new Set(percents).size !== percents.length) return { ok: false, problem: { code: 'time_lost_repeated' } };
	return { ok: true, percents: [...percents].sort((a, b) => b - a) };
}

/** The "time in school lost" table for the school's own year length (computed, not copied). */
export function timeLostTable(
	schoolDaysInYear: number = DEFAULT_SCHOOL_DAYS_IN_YEAR,
	percents: readonly number[] = DEFAULT_TIME_LOST_PERCENTS,
	daysPerWeek = 5
): TimeLostRow[] {
	return percents.map((percent) => {
		const daysMissed = daysMissedForPercent(percent, schoolDaysInYear);
		const { weeks, remainderDays } = splitDaysIntoWeeks(daysMissed, daysPerWeek);
		return {
			percent,
			daysMissed,
			weeks,
			remainderDays,
			text: formatDaysAsWeeks(daysMissed, daysPerWeek),
			daysText: formatDays(daysMissed)
		};
	});
}

/** A session is half a day. */
export function daysFromSessions(sessions: number): number {
	assertNonNegative(sessions, 'Sessions');
	return sessions / 2;
}

/**
 * Lessons missed for `sessionsMissed` half days at `lessonsPerDay` (school setting, default 5).
 * Exact (an odd number of lessons a day gives halves); round for display.
 */
export function lessonsLost(sessionsMissed: number, lessonsPerDay: number = DEFAULT_LESSONS_PER_DAY): number {
	assertNonNegative(sessionsMissed, 'Sessions missed');
	assertNonNegative(lessonsPerDay, 'Lessons per day');
	return (sessionsMissed * lessonsPerDay) / 2;
}

export interface LatenessTimeLost {
	totalMinutes: number;
	/** Exact hours. */
	hours: number;
	/** Exact school days of `schoolDayMinutes`. */
	schoolDays: number;
	/** School days to the nearest half day. */
	schoolDaysRounded: number;
	schoolDayMinutes: number;
}

/**
 * Time lost to lateness: `minutesLatePerDay` × `days`, as minutes, hours and school days.
 * A school day is assumed to be {@link DEFAULT_SCHOOL_DAY_MINUTES} (5 hours) of learning unless
 * `schoolDayMinutes` is given. Over a 190-day year this gives 5 min/day → 3 days, 10 → 6½,
 * 30 → 19 (the familiar lateness poster figures, which round loosely: their 15 → 10 and
 * 20 → 13 are 9½ and 12½ here).
 */
export function latenessTimeLost(
	minutesLatePerDay: number,
	days: number = DEFAULT_SCHOOL_DAYS_IN_YEAR,
	schoolDayMinutes: number = DEFAULT_SCHOOL_DAY_MINUTES
): LatenessTimeLost {
	assertNonNegative(minutesLatePerDay, 'Minutes late per day');
	assertNonNegative(days, 'Days');
	assertPositive(schoolDayMinutes, 'School day length in minutes');
	const totalMinutes = minutesLatePerDay * days;
	const schoolDays = totalMinutes / schoolDayMinutes;
	return {
		totalMinutes,
		hours: totalMinutes / 60,
		schoolDays,
		schoolDaysRounded: roundToHalf(schoolDays),
		schoolDayMinutes
	};
}

export interface YearEndProjection {
	/** Attended sessions by year end at the current rate (may be fractional); null with no rate yet. */
	projectedAttended: number | null;
	projectedPossible: number;
	/** Equals the current percentage (same rate); null with no rate yet. */
	projectedPercent: number | null;
	projectedSessionsMissed: number | null;
	/** Nearest half day. */
	projectedDaysMissed: number | null;
}

/**
 * Project to the end of the year at the current rate: the remaining possible sessions are
 * attended in the same proportion as so far. With no possible sessions yet there is no rate,
 * so the projected figures are null.
 */
export function projectToYearEnd(
	current: { attended: number; possible: number },
	remainingPossibleSessions: number
): YearEndProjection {
	assertAttendedPossible(current.attended, current.possible);
	assertCount(remainingPossibleSessions, 'Remaining possible sessions');
	const projectedPossible = current.possible + remainingPossibleSessions;
	if (current.possible === 0) {
		return {
			projectedAttended: null,
			projectedPossible,
			projectedPercent: null,
			projectedSessionsMissed: null,
			projectedDaysMissed: null
		};
	}
	const missedSoFar = current.possible - current.attended;
	const projectedSessionsMissed = (missedSoFar * projectedPossible) / current.possible;
	const projectedAttended = projectedPossible - projectedSessionsMissed;
	return {
		projectedAttended,
		projectedPossible,
		projectedPercent: (current.attended * 100) / current.possible,
		projectedSessionsMissed,
		projectedDaysMissed: roundToHalf(projectedSessionsMissed / 2)
	};
}

export interface CareerTimeLost {
	percent: number;
	years: number;
	schoolDaysInYear: number;
	/** Nearest half day. */
	daysMissed: number;
	/** daysMissed ÷ 5, exact. */
	weeks: number;
	/** daysMissed ÷ schoolDaysInYear, exact. */
	schoolYears: number;
	/** e.g. '45 weeks 3 days'. */
	weeksText: string;
	/** e.g. 'about 1.2 school years'. */
	schoolYearsText: string;
}

/**
 * Time missed over a school career at `percent` attendance: 12 years (Reception to Year 11) of
 * 190 days by default. 90% → 228 days = 45 weeks 3 days ≈ 1.2 school years.
 */
export function schoolCareerTimeLost(
	percent: number,
	years: number = DEFAULT_SCHOOL_CAREER_YEARS,
	schoolDaysInYear: number = DEFAULT_SCHOOL_DAYS_IN_YEAR
): CareerTimeLost {
	assertPercent(percent);
	assertPositive(years, 'Years');
	assertPositive(schoolDaysInYear, 'School days in the year');
	const daysMissed = roundToHalf(((100 - percent) * schoolDaysInYear * years) / 100);
	const schoolYears = daysMissed / schoolDaysInYear;
	const roundedYears = Math.round(schoolYears * 10 + 1e-9) / 10;
	return {
		percent,
		years,
		schoolDaysInYear,
		daysMissed,
		weeks: daysMissed / 5,
		schoolYears,
		weeksText: formatDaysAsWeeks(daysMissed),
		schoolYearsText: `${roundedYears === schoolYears ? '' : 'about '}${roundedYears.toFixed(1)} school ${roundedYears === 1 ? 'year' : 'years'}`
	};
}

// ---------------------------------------------------------------------------------------------
// Penalty notices (National Framework from 19 August 2024)
// ---------------------------------------------------------------------------------------------

export const PENALTY_NOTICE = {
	/** Unauthorised sessions (any mix of G, N, O, U) that meet the threshold… */
	thresholdSessions: 10,
	/** …within a rolling period of this many school weeks, which can span terms. */
	rollingSchoolWeeks: 10,
	unauthorisedCodes: ['G', 'N', 'O', 'U'] as const,
	/** Per parent, per child. */
	first: {
		amountPaidWithin21Days: 80,
		amountPaidWithin28Days: 160,
		reducedPeriodDays: 21,
		fullPeriodDays: 28
	},
	/** A second notice to the same parent for the same child within 3 years: £160 within 28 days. */
	second: { amount: 160, paymentPeriodDays: 28, withinYears: 3 },
	/** No third notice within 3 years of the first: prosecution is considered instead. */
	maxNoticesWithinYears: { notices: 2, years: 3 },
	/** A notice to improve gives 3 to 6 weeks to improve. */
	noticeToImproveWeeks: { min: 3, max: 6 }
} as const;

/**
 * The amount due on a penalty notice paid `daysSinceIssued` days after issue, given the number of
 * earlier notices to this parent for this child in the past 3 years. Null when payment is no
 * longer possible (after 28 days) or no notice can be issued (a third within 3 years).
 */
export function penaltyNoticeAmount(previousNoticesWithin3Years: number, daysSinceIssued: number): number | null {
	assertCount(previousNoticesWithin3Years, 'Previous notices');
	assertNonNegative(daysSinceIssued, 'Days since issue');
	if (previousNoticesWithin3Years >= 2) return null;
	if (previousNoticesWithin3Years === 1) {
		return daysSinceIssued <= PENALTY_NOTICE.second.paymentPeriodDays ? PENALTY_NOTICE.second.amount : null;
	}
	if (daysSinceIssued <= PENALTY_NOTICE.first.reducedPeriodDays) return PENALTY_NOTICE.first.amountPaidWithin21Days;
	if (daysSinceIssued <= PENALTY_NOTICE.first.fullPeriodDays) return PENALTY_NOTICE.first.amountPaidWithin28Days;
	return null;
}

export interface RollingWindowResult {
	count: number;
	threshold: 10;
	windowStart: IsoDate;
	windowEnd: IsoDate;
	reachesThreshold: boolean;
	/** The school weeks in the window, oldest first. */
	weeks: { weekStart: IsoDate; weekEnd: IsoDate }[];
}

/**
 * The dates the rolling window covers (see {@link unauthorisedInRollingWindow}). The window
 * can span terms and school years: in September it still reaches back into July, so whoever
 * loads marks for it must load from `windowStart`, not from the start of this academic year.
 */
export function rollingWindowBounds(
	cal: SchoolCalendar,
	asOf: IsoDate,
	weeks: number = PENALTY_NOTICE.rollingSchoolWeeks
): { windowStart: IsoDate; windowEnd: IsoDate; weeks: { weekStart: IsoDate; weekEnd: IsoDate }[] } {
	const schoolWeeks = schoolWeeksEndingAt(cal, asOf, weeks);
	const firstWeek = schoolWeeks[0];
	const lastWeek = schoolWeeks[schoolWeeks.length - 1];
	const windowStart = firstWeek ? firstWeek.weekStart : asOf;
	const windowEnd = lastWeek && compareDates(lastWeek.weekEnd, asOf) < 0 ? lastWeek.weekEnd : asOf;
	return { windowStart, windowEnd, weeks: schoolWeeks };
}

/**
 * Unauthorised sessions (G, N, O, U) in the rolling window of `weeks` school weeks ending with
 * the school week containing `asOf` (see {@link schoolWeeksEndingAt}: holiday weeks are skipped,
 * so the window can span half terms and terms). The window runs from the Monday of its first
 * school week to `asOf` (or to the Sunday of the last school week, if asOf is in a holiday);
 * marks after asOf are ignored. With no school weeks at all, the window is just `asOf`.
 * Pass one current mark per session.
 */
export function unauthorisedInRollingWindow(
	marks: readonly Mark[],
	cal: SchoolCalendar,
	asOf: IsoDate,
	weeks: number = PENALTY_NOTICE.rollingSchoolWeeks
): RollingWindowResult {
	const { windowStart, windowEnd, weeks: schoolWeeks } = rollingWindowBounds(cal, asOf, weeks);
	const firstWeek = schoolWeeks[0];
	let count = 0;
	if (firstWeek) {
		for (const m of marks) {
			if (!isAttendanceCode(m.code) || !isUnauthorisedAbsence(m.code)) continue;
			if (compareDates(m.date, windowStart) >= 0 && compareDates(m.date, windowEnd) <= 0) count++;
		}
	}
	return {
		count,
		threshold: PENALTY_NOTICE.thresholdSessions,
		windowStart,
		windowEnd,
		reachesThreshold: count >= PENALTY_NOTICE.thresholdSessions,
		weeks: schoolWeeks
	};
}
