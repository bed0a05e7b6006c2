/**
 * Leave of absence (issue 6, DESIGN §6–7): the types a parent can ask for, the code each becomes
 * when granted, and the instant feedback shown before they submit: school days and sessions
 * affected, the notice period, protected periods, attendance below 96%, no retrospective
 * requests, religious observance is one day, a holiday is not an exceptional circumstance, and
 * what unauthorised leave means. Plain words, no threats.
 *
 * Pure: no I/O.
 */
import { PENALTY_NOTICE } from './attendance';
import {
	compareDates,
	daysBetween,
	isValidIsoDate,
	schoolSessionsBetween,
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
	/** Each child's attendance this year (null before any register). */
	attendance: readonly { name: string; percent: number | null }[];
}

export type FeedbackLevel = 'info' | 'warning';

export interface LeaveFeedback {
	ok: boolean;
	/** Problems that stop the request being sent. */
	errors: { field: 'from' | 'to' | 'type' | 'reason'; message: string }[];
	schoolDays: number;
	sessions: { date: IsoDate; session: Session }[];
	noticeGivenDays: number;
	noticeMet: boolean;
	protectedHit: string[];
	/** Plain-English points, in order. */
	points: { level: FeedbackLevel; text: string }[];
}

const HOLIDAY_WORDS = /\b(holiday|vacation|trip abroad|cheaper flights?|flights are cheaper|villa|cruise|disney|half[- ]term prices)\b/i;

export const MAX_LEAVE_REASON_LENGTH = 2000;

/** Everything a parent should know before they send the request. */
export function evaluateLeave(cal: SchoolCalendar, input: LeaveInput): LeaveFeedback {
	const errors: LeaveFeedback['errors'] = [];
	const points: LeaveFeedback['points'] = [];
	const empty = { schoolDays: 0, sessions: [], noticeGivenDays: 0, noticeMet: false, protectedHit: [] };
	if (!isValidIsoDate(input.from)) errors.push({ field: 'from', message: 'Enter the first day of the leave as a real date' });
	if (!isValidIsoDate(input.to)) errors.push({ field: 'to', message: 'Enter the last day of the leave as a real date' });
	if (!input.reason.trim()) errors.push({ field: 'reason', message: 'Tell the headteacher why you are asking' });
	if (input.reason.length > MAX_LEAVE_REASON_LENGTH) errors.push({ field: 'reason', message: `Keep the reason to ${MAX_LEAVE_REASON_LENGTH} characters or fewer` });
	if (errors.some((e) => e.field === 'from' || e.field === 'to')) return { ok: false, errors, points, ...empty };
	if (compareDates(input.to, input.from) < 0) errors.push({ field: 'to', message: 'The last day must be on or after the first day' });
	if (compareDates(input.from, input.today) <= 0) {
		errors.push({
			field: 'from',
			message: 'Leave can only be asked for in advance. The school cannot agree leave for today or a day that has passed; please talk to the school.'
		});
	}
	const sessions = errors.length ? [] : schoolSessionsBetween(cal, input.from, input.to);
	if (!errors.length && sessions.length === 0) {
		errors.push({ field: 'to', message: 'The school is closed on those days, so no leave is needed.' });
	}
	if (!errors.length && !termContaining(cal, input.from) && !termContaining(cal, input.to)) {
		errors.push({ field: 'from', message: 'Those dates are outside term time, so no leave is needed.' });
	}
	const schoolDays = new Set(sessions.map((s) => s.date)).size;
	const noticeGivenDays = isValidIsoDate(input.from) ? Math.max(0, daysBetween(input.today, input.from)) : 0;
	const noticeMet = noticeGivenDays >= input.noticeDays;
	const protectedHit = input.protectedPeriods
		.filter((p) => compareDates(p.startsOn, input.to) <= 0 && compareDates(p.endsOn, input.from) >= 0)
		.map((p) => p.name);

	if (errors.length === 0) {
		points.push({
			level: 'info',
			text: `This is ${schoolDays} school ${schoolDays === 1 ? 'day' : 'days'} (${sessions.length} ${sessions.length === 1 ? 'session' : 'sessions'}) of learning.`
		});
		points.push(
			noticeMet
				? { level: 'info', text: `You are giving ${noticeGivenDays} days’ notice. The school asks for at least ${input.noticeDays}.` }
				: {
						level: 'warning',
						text: `The school asks for at least ${input.noticeDays} days’ notice and this gives ${noticeGivenDays}. The headteacher may not be able to agree it in time.`
					}
		);
		for (const name of protectedHit) {
			points.push({ level: 'warning', text: `The dates include ${name}. The school does not usually agree leave then.` });
		}
		if (input.type === 'religious_observance' && schoolDays > 1) {
			points.push({
				level: 'warning',
				text: 'For religious observance, the school can agree only the day set apart by your religious body. Any other days would need to be exceptional circumstances.'
			});
		}
		if (HOLIDAY_WORDS.test(input.reason) && (input.type === 'exceptional' || input.type === 'other')) {
			points.push({ level: 'warning', text: 'A holiday is not an exceptional circumstance, so the headteacher is unlikely to agree it.' });
		}
		for (const a of input.attendance) {
			if (a.percent !== null && a.percent < 96) {
				points.push({
					level: 'warning',
					text: `${a.name}’s attendance this year is ${a.percent.toFixed(1)}%. Below 96%, leave is unlikely to be agreed, because every day in school matters for ${a.name}.`
				});
			}
		}
		points.push({ level: 'info', text: 'Leave cannot be agreed after it has been taken, so please wait for the headteacher’s answer.' });
		points.push({
			level: 'info',
			text:
				`If a child is kept off without the school’s agreement, the days are recorded as unauthorised (code G). ` +
				`After ${PENALTY_NOTICE.thresholdSessions} unauthorised sessions in ${PENALTY_NOTICE.rollingSchoolWeeks} school weeks the school must consider a penalty notice: ` +
				`£${PENALTY_NOTICE.first.amountPaidWithin21Days} per parent per child if paid within 21 days, £${PENALTY_NOTICE.first.amountPaidWithin28Days} within 28 days. The school will always talk with you first.`
		});
	}
	return { ok: errors.length === 0, errors, schoolDays, sessions, noticeGivenDays, noticeMet, protectedHit, points };
}

/** The sessions a decision grants: all requested ones, or those from `from` to `to` for a partial approval. */
export function grantedSessions(
	requested: readonly { date: IsoDate; session: Session }[],
	partial?: { from: IsoDate; to: IsoDate }
): { date: IsoDate; session: Session }[] {
	if (!partial) return [...requested];
	return requested.filter((s) => compareDates(s.date, partial.from) >= 0 && compareDates(s.date, partial.to) <= 0);
}
