/**
 * Leave of absence (docs/domain-rules.md §6–7): the types a parent can ask for, the code each becomes
 * when granted, and the instant feedback shown before they submit: school days and sessions
 * affected, the notice period, protected periods, attendance below 96%, no retrospective
 * requests, religious observance is one day, a holiday is not an exceptional circumstance, and
 * what unauthorised leave means. Plain words, no threats.
 *
 * Pure: no I/O.
 */
import { PENALTY_NOTICE } from './attendance';
import { ofCompulsorySchoolAgeDuring } from './school-age';
import { tryAgainIn } from './retry';
import {
	compareDates,
	daysBetween,
	isValidIsoDate,
	sessionsKnownOrNot,
	termContaining,
	type IsoDate,
	type SchoolCalendar,
	type Session
} from './calendar';
import type { AttendanceCode } from './codes';

export const LEAVE_TYPES = [
	'exceptional',
	'religious_observance',
	'performance_abroad',
	'interview',
	'study_leave',
	'part_time_timetable',
	'traveller',
	'other'
] as const;
export type LeaveType = (typeof LEAVE_TYPES)[number];

export const LEAVE_TYPE_LABELS: Record<LeaveType, string> = {
	exceptional: 'Exceptional circumstances (for example a bereavement or serious family problem)',
	religious_observance: 'Religious observance',
	performance_abroad: 'A licensed performance or work abroad',
	interview: 'An interview (for a school, college or job)',
	study_leave: 'Study leave (Year 11 public exams)',
	part_time_timetable: 'A part-time timetable agreed with the school',
	traveller: 'Travelling for work (Gypsy, Roma, Traveller, showmen or circus families)',
	other: 'Something else'
};

/** The code a granted request is recorded with (2024 set). "Other" is exceptional circumstances if granted. */
export const LEAVE_CODES: Record<LeaveType, AttendanceCode> = {
	exceptional: 'C',
	religious_observance: 'R',
	performance_abroad: 'C1',
	interview: 'J1',
	study_leave: 'S',
	part_time_timetable: 'C2',
	traveller: 'T',
	other: 'C'
};

/**
 * The year groups a leave type applies to, where it does not apply to every child. Study leave
 * (code S) is for Year 11 pupils taking public examinations only, so it is never offered to a
 * primary family.
 */
export const LEAVE_TYPE_YEAR_GROUPS: Partial<Record<LeaveType, readonly number[]>> = {
	study_leave: [11]
};

/** Does `type` apply to a child in `yearGroup`? */
export function leaveTypeAppliesTo(type: LeaveType, yearGroup: number): boolean {
	const groups = LEAVE_TYPE_YEAR_GROUPS[type];
	return !groups || groups.includes(yearGroup);
}

/** The leave types to offer a family for these children: each must apply to every child chosen. */
export function leaveTypesFor(yearGroups: readonly number[]): LeaveType[] {
	return LEAVE_TYPES.filter((t) => yearGroups.every((y) => leaveTypeAppliesTo(t, y)));
}

/** The types to offer when the parent has not chosen yet: those that apply to at least one of their children. */
export function leaveTypesForAnyOf(yearGroups: readonly number[]): LeaveType[] {
	return LEAVE_TYPES.filter((t) => yearGroups.length === 0 || yearGroups.some((y) => leaveTypeAppliesTo(t, y)));
}

export function isLeaveType(v: unknown): v is LeaveType {
	return typeof v === 'string' && (LEAVE_TYPES as readonly string[]).includes(v);
}

export type LeaveStatus = 'submitted' | 'more_information' | 'approved' | 'partly_approved' | 'declined' | 'withdrawn';

export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
	submitted: 'Waiting for the headteacher',
	more_information: 'The school has asked for more information',
	approved: 'Agreed',
	partly_approved: 'Partly agreed',
	declined: 'Not agreed',
	withdrawn: 'Withdrawn'
};

export interface ProtectedPeriod {
	name: string;
	startsOn: IsoDate;
	endsOn: IsoDate;
	/** The year groups it protects (SATs week: Year 2 and Year 6); null or absent = every child. */
	yearGroups?: readonly number[] | null;
}

/** Does the protected period matter for a child in `yearGroup` (unknown year group: assume it does)? */
export function protectedPeriodAppliesTo(p: ProtectedPeriod, yearGroup: number | null | undefined): boolean {
	if (!p.yearGroups || p.yearGroups.length === 0) return true;
	return yearGroup === null || yearGroup === undefined || p.yearGroups.includes(yearGroup);
}

export interface LeaveInput {
	type: LeaveType;
	from: IsoDate;
	to: IsoDate;
	reason: string;
	/** Today in the school's zone. */
	today: IsoDate;
	/** Notice the school asks for, in calendar days (school setting). */
	noticeDays: number;
	protectedPeriods: readonly ProtectedPeriod[];
	/**
	 * Each child: attendance this year (null before any register), and what decides which rules
	 * apply to them — year group (leave types, protected periods) and date of birth (compulsory
	 * school age: the penalty-notice explanation is only for children of that age).
	 */
	attendance: readonly { name: string; percent: number | null; yearGroup?: number | null; dateOfBirth?: IsoDate | null }[];
}

export type FeedbackLevel = 'info' | 'warning';

/**
 * What the rules found, as data (kind + numbers, dates, names), so parent pages can say it in the
 * parent's language (src/lib/i18n-leave.ts). The English `text`/`message` is derived from these.
 */
export type LeavePointFinding =
	| { kind: 'sessions'; schoolDays: number; sessions: number }
	| { kind: 'notice_met'; givenDays: number; requiredDays: number }
	| { kind: 'notice_short'; givenDays: number; requiredDays: number }
	| { kind: 'protected_period'; name: string }
	| { kind: 'religious_one_day' }
	| { kind: 'holiday_not_exceptional' }
	| { kind: 'low_attendance'; name: string; percent: number }
	| { kind: 'no_retrospective' }
	| { kind: 'calendar_not_published'; academicYears: string[] }
	| { kind: 'notice_not_needed' }
	| { kind: 'wedding_one_day' }
	| { kind: 'service_return' }
	| { kind: 'protest_never' }
	| { kind: 'unauthorised'; thresholdSessions: number; rollingSchoolWeeks: number; amountWithin21Days: number; amountWithin28Days: number };

export type LeaveErrorFinding =
	| { kind: 'from_invalid' }
	| { kind: 'to_invalid' }
	| { kind: 'reason_missing' }
	| { kind: 'reason_too_long'; max: number }
	| { kind: 'to_before_from' }
	| { kind: 'not_in_advance' }
	| { kind: 'school_closed' }
	| { kind: 'outside_term' }
	| { kind: 'children_missing' }
	| { kind: 'type_missing' }
	| { kind: 'type_not_for_year_group'; names: string[] }
	| { kind: 'children_not_own' }
	| { kind: 'children_separate_schools' }
	| { kind: 'children_not_living_with'; names: string[] }
	/** The family's daily limit on requests (kept so a script cannot flood a headteacher). */
	| { kind: 'too_many_requests'; retryAfterSeconds: number };

export type LeaveErrorField = 'from' | 'to' | 'type' | 'reason' | 'pupilIds';

/** The English wording of a finding (staff see this; parents in English see exactly this). */
export function leavePointText(f: LeavePointFinding): string {
	switch (f.kind) {
		case 'sessions':
			return `This is ${f.schoolDays} school ${f.schoolDays === 1 ? 'day' : 'days'} (${f.sessions} ${f.sessions === 1 ? 'session' : 'sessions'}) of learning.`;
		case 'notice_met':
			return `You are giving ${f.givenDays} days’ notice. The school asks for at least ${f.requiredDays}.`;
		case 'notice_short':
			return `The school asks for at least ${f.requiredDays} days’ notice and this gives ${f.givenDays}. The headteacher may not be able to agree it in time.`;
		case 'protected_period':
			return `The dates include ${f.name}. The school does not usually agree leave then.`;
		case 'religious_one_day':
			return 'For religious observance, the school can agree only the day set apart by your religious body. Any other days would need to be exceptional circumstances.';
		case 'holiday_not_exceptional':
			return 'A holiday is not an exceptional circumstance, so the headteacher is unlikely to agree it.';
		case 'low_attendance':
			return `${f.name}’s attendance this year is ${f.percent.toFixed(1)}%. Below 96%, leave is unlikely to be agreed, because every day in school matters for ${f.name}.`;
		case 'no_retrospective':
			return 'Leave cannot be agreed after it has been taken, so please wait for the headteacher’s answer.';
		case 'notice_not_needed':
			return 'The notice period does not apply to a bereavement or a serious family emergency: the headteacher will look at it as soon as possible.';
		case 'wedding_one_day':
			return 'For the wedding of someone close to the family, the school can agree up to 1 day.';
		case 'service_return':
			return 'Leave can be agreed when someone close to the family in the armed forces returns from a tour of duty and cannot take leave in the school holidays. The school may ask for evidence of the dates.';
		case 'protest_never':
			return 'Leave is never agreed for a child to take part in protest activity during school hours.';
		case 'calendar_not_published':
			return `The school has not published its term dates for ${f.academicYears.join(' and ')} yet, so we have counted every weekday. You can still ask now: the school will check the days when its dates are ready.`;
		case 'unauthorised':
			return (
				`If a child is kept off without the school’s agreement, the days are recorded as unauthorised (code G). ` +
				`After ${f.thresholdSessions} unauthorised sessions in ${f.rollingSchoolWeeks} school weeks the school must consider a penalty notice: ` +
				`£${f.amountWithin21Days} per parent per child if paid within 21 days, £${f.amountWithin28Days} within 28 days. The school will always talk with you first.`
			);
	}
}

export function leaveErrorText(f: LeaveErrorFinding): string {
	switch (f.kind) {
		case 'from_invalid':
			return 'Enter the first day of the leave as a real date';
		case 'to_invalid':
			return 'Enter the last day of the leave as a real date';
		case 'reason_missing':
			return 'Tell the headteacher why you are asking';
		case 'reason_too_long':
			return `Keep the reason to ${f.max} characters or fewer`;
		case 'to_before_from':
			return 'The last day must be on or after the first day';
		case 'not_in_advance':
			return 'Leave can only be asked for in advance. The school cannot agree leave for today or a day that has passed; please talk to the school.';
		case 'school_closed':
			return 'The school is closed on those days, so no leave is needed.';
		case 'outside_term':
			return 'Those dates are outside term time, so no leave is needed.';
		case 'children_missing':
			return 'Choose the children the leave is for';
		case 'type_missing':
			return 'Choose what the leave is for';
		case 'type_not_for_year_group':
			return `That kind of leave is not for ${f.names.join(' and ')}'s year group. Please choose another, or talk to the school.`;
		case 'children_not_own':
			return 'Choose from your own children';
		case 'children_separate_schools':
			return 'Make a separate request for each school: each headteacher decides for their own school';
		case 'children_not_living_with':
			return `Only a parent ${f.names.join(' and ')} normally lives with can ask for leave. Please ask them, or talk to the school.`;
		case 'too_many_requests':
			return `You have sent a lot of leave requests today. ${tryAgainIn(f.retryAfterSeconds)}`;
	}
}

export interface LeavePoint {
	level: FeedbackLevel;
	text: string;
	finding: LeavePointFinding;
}

export interface LeaveError {
	field: LeaveErrorField;
	message: string;
	finding: LeaveErrorFinding;
}

const point = (level: FeedbackLevel, finding: LeavePointFinding): LeavePoint => ({ level, text: leavePointText(finding), finding });
export const leaveError = (field: LeaveErrorField, finding: LeaveErrorFinding): LeaveError => ({ field, message: leaveErrorText(finding), finding });

export interface LeaveFeedback {
	ok: boolean;
	/** Problems that stop the request being sent. */
	errors: LeaveError[];
	schoolDays: number;
	sessions: { date: IsoDate; session: Session }[];
	noticeGivenDays: number;
	noticeMet: boolean;
	protectedHit: string[];
	/** Plain-English points, in order, each with its finding. */
	points: LeavePoint[];
}

/** A bereavement or a serious family emergency: the notice period does not apply to these. */
const URGENT_WORDS = /\b(funeral|bereave\w*|passed away|died|death|dying|emergency|critically ill|hospital(ised|ized)?|intensive care|end of life)\b/i;
const WEDDING_WORDS = /\b(wedding|marriage ceremony|getting married|nikah)\b/i;
const SERVICE_WORDS = /\b(tour of duty|deployment|deployed|armed forces|service personnel|(army|navy|raf|royal marines?|military)\b.*\b(return\w*|home|leave)|(return\w*|home)\b.*\b(army|navy|raf|royal marines?|military|tour))\b/i;
const PROTEST_WORDS = /\b(protest\w*|demonstration|climate strike|school strike|rally|march(ing)? (for|against))\b/i;

const HOLIDAY_WORDS = /\b(holiday|vacation|trip abroad|cheaper flights?|flights are cheaper|villa|cruise|disney|half[- ]term prices)\b/i;

export const MAX_LEAVE_REASON_LENGTH = 2000;

/** Everything a parent should know before they send the request. */
export function evaluateLeave(cal: SchoolCalendar, input: LeaveInput): LeaveFeedback {
	const errors: LeaveFeedback['errors'] = [];
	const points: LeaveFeedback['points'] = [];
	const empty = { schoolDays: 0, sessions: [], noticeGivenDays: 0, noticeMet: false, protectedHit: [] };
	if (!isValidIsoDate(input.from)) errors.push(leaveError('from', { kind: 'from_invalid' }));
	if (!isValidIsoDate(input.to)) errors.push(leaveError('to', { kind: 'to_invalid' }));
	if (!input.reason.trim()) errors.push(leaveError('reason', { kind: 'reason_missing' }));
	if (input.reason.length > MAX_LEAVE_REASON_LENGTH) errors.push(leaveError('reason', { kind: 'reason_too_long', max: MAX_LEAVE_REASON_LENGTH }));
	if (errors.some((e) => e.field === 'from' || e.field === 'to')) return { ok: false, errors, points, ...empty };
	if (compareDates(input.to, input.from) < 0) errors.push(leaveError('to', { kind: 'to_before_from' }));
	if (compareDates(input.from, input.today) <= 0) errors.push(leaveError('from', { kind: 'not_in_advance' }));
	const notForThem = input.attendance.filter((a) => typeof a.yearGroup === 'number' && !leaveTypeAppliesTo(input.type, a.yearGroup));
	if (notForThem.length) errors.push(leaveError('type', { kind: 'type_not_for_year_group', names: notForThem.map((a) => a.name) }));
	const span = errors.length ? null : sessionsKnownOrNot(cal, input.from, input.to);
	const sessions = span?.sessions ?? [];
	// Unknown is not closed: with next year's dates not published, the request is still taken.
	if (span && span.unpublished.length === 0) {
		if (sessions.length === 0) errors.push(leaveError('to', { kind: 'school_closed' }));
		else if (!termContaining(cal, input.from) && !termContaining(cal, input.to)) errors.push(leaveError('from', { kind: 'outside_term' }));
	}
	const schoolDays = new Set(sessions.map((s) => s.date)).size;
	const noticeGivenDays = isValidIsoDate(input.from) ? Math.max(0, daysBetween(input.today, input.from)) : 0;
	const noticeMet = noticeGivenDays >= input.noticeDays;
	const protectedHit = input.protectedPeriods
		.filter((p) => compareDates(p.startsOn, input.to) <= 0 && compareDates(p.endsOn, input.from) >= 0)
		.filter((p) => input.attendance.length === 0 || input.attendance.some((a) => protectedPeriodAppliesTo(p, a.yearGroup)))
		.map((p) => p.name);
	const compulsoryAge = input.attendance.some((a) => ofCompulsorySchoolAgeDuring(a, input.from, input.to));

	if (errors.length === 0) {
		points.push(point('info', { kind: 'sessions', schoolDays, sessions: sessions.length }));
		const urgent = (input.type === 'exceptional' || input.type === 'other') && URGENT_WORDS.test(input.reason);
		points.push(
			noticeMet
				? point('info', { kind: 'notice_met', givenDays: noticeGivenDays, requiredDays: input.noticeDays })
				: urgent
					? point('info', { kind: 'notice_not_needed' })
					: point('warning', { kind: 'notice_short', givenDays: noticeGivenDays, requiredDays: input.noticeDays })
		);
		if (PROTEST_WORDS.test(input.reason)) points.push(point('warning', { kind: 'protest_never' }));
		if (WEDDING_WORDS.test(input.reason) && schoolDays > 1) points.push(point('warning', { kind: 'wedding_one_day' }));
		if (SERVICE_WORDS.test(input.reason)) points.push(point('info', { kind: 'service_return' }));
		for (const name of protectedHit) points.push(point('warning', { kind: 'protected_period', name }));
		if (input.type === 'religious_observance' && schoolDays > 1) points.push(point('warning', { kind: 'religious_one_day' }));
		if (HOLIDAY_WORDS.test(input.reason) && (input.type === 'exceptional' || input.type === 'other')) {
			points.push(point('warning', { kind: 'holiday_not_exceptional' }));
		}
		for (const a of input.attendance) {
			if (a.percent !== null && a.percent < 96) points.push(point('warning', { kind: 'low_attendance', name: a.name, percent: a.percent }));
		}
		if (span && span.unpublished.length) points.push(point('info', { kind: 'calendar_not_published', academicYears: span.unpublished }));
		points.push(point('info', { kind: 'no_retrospective' }));
		// Penalty notices are only for children of compulsory school age (not Nursery, not a
		// Reception child before the prescribed day after their fifth birthday, not the sixth form).
		if (compulsoryAge) {
			points.push(
				point('info', {
					kind: 'unauthorised',
					thresholdSessions: PENALTY_NOTICE.thresholdSessions,
					rollingSchoolWeeks: PENALTY_NOTICE.rollingSchoolWeeks,
					amountWithin21Days: PENALTY_NOTICE.first.amountPaidWithin21Days,
					amountWithin28Days: PENALTY_NOTICE.first.amountPaidWithin28Days
				})
			);
		}
	}
	return { ok: errors.length === 0, errors, schoolDays, sessions, noticeGivenDays, noticeMet, protectedHit, points };
}

export { calendarPublishedFor, sessionsKnownOrNot } from './calendar';

/** The sessions a decision grants: all requested ones, or those from `from` to `to` for a partial approval. */
export function grantedSessions(
	requested: readonly { date: IsoDate; session: Session }[],
	partial?: { from: IsoDate; to: IsoDate }
): { date: IsoDate; session: Session }[] {
	if (!partial) return [...requested];
	return requested.filter((s) => compareDates(s.date, partial.from) >= 0 && compareDates(s.date, partial.to) <= 0);
}

export type ReligiousSplit =
	| { ok: true; codes: Record<IsoDate, 'R' | 'C'>; allAgreed: boolean; agreedFrom: IsoDate; agreedTo: IsoDate }
	| { ok: false; problem: 'set_apart_missing' | 'set_apart_outside' };

/**
 * The headteacher's decision on a religious-observance request. Only the day (or days) set apart
 * exclusively for religious observance by the family's religious body is code R; any other day
 * asked for is either agreed as exceptional circumstances (C) or not agreed at all — it must
 * never be recorded as R. `requestedDays` are the request's school days.
 */
export function splitReligiousObservance(
	requestedDays: readonly IsoDate[],
	setApart: readonly IsoDate[],
	otherDays: 'exceptional' | 'declined'
): ReligiousSplit {
	const days = [...new Set(requestedDays)].sort(compareDates);
	const apart = new Set(setApart);
	if (apart.size === 0) return { ok: false, problem: 'set_apart_missing' };
	if ([...apart].some((d) => !days.includes(d))) return { ok: false, problem: 'set_apart_outside' };
	const codes: Record<IsoDate, 'R' | 'C'> = {};
	for (const d of days) {
		if (apart.has(d)) codes[d] = 'R';
		else if (otherDays === 'exceptional') codes[d] = 'C';
	}
	const agreed = Object.keys(codes).sort(compareDates);
	return { ok: true, codes, allAgreed: agreed.length === days.length, agreedFrom: agreed[0]!, agreedTo: agreed[agreed.length - 1]! };
}

/**
 * The code of each granted session: the decision's own code for its date when it set one
 * (a date it does not list was not agreed), otherwise the type's code.
 */
export function grantedCodes(
	granted: readonly { date: IsoDate; session: Session }[],
	type: LeaveType,
	decisionCodes?: Readonly<Record<IsoDate, string>> | null
): { date: IsoDate; session: Session; code: string }[] {
	if (!decisionCodes) return granted.map((s) => ({ ...s, code: LEAVE_CODES[type] }));
	return granted.filter((s) => s.date in decisionCodes).map((s) => ({ ...s, code: decisionCodes[s.date]! }));
}
