/**
 * Leave statuses, types and dates as parents read them. The leave rules keep their
 * English labels for staff pages, letters and the CSV; parent pages use these.
 */
import type { IsoDate } from './domain/calendar';
import { leaveErrorText, leavePointText, type FeedbackLevel, type LeaveErrorFinding, type LeavePoint, type LeavePointFinding, type LeaveStatus, type LeaveType } from './domain/leave';
import type { LeaveChangeProblem, LeaveDecisionProblem } from './domain/leave-problems';
import type { Locale } from './domain/locale';
import { waitText } from './i18n-problems';
import { formatLongDate, joinNames } from './i18n';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

type Opts = { locale?: Locale };
type Message = (i?: object, o?: Opts) => string;

const STATUS: Record<LeaveStatus, Message> = {
	submitted: m.leave_status_submitted,
	more_information: m.leave_status_more_information,
	approved: m.leave_status_approved,
	partly_approved: m.leave_status_partly_approved,
	declined: m.leave_status_declined,
	withdrawn: m.leave_status_withdrawn
};

const TYPE: Record<LeaveType, Message> = {
	exceptional: m.leave_type_exceptional,
	religious_observance: m.leave_type_religious_observance,
	performance_abroad: m.leave_type_performance_abroad,
	interview: m.leave_type_interview,
	study_leave: m.leave_type_study_leave,
	part_time_timetable: m.leave_type_part_time_timetable,
	traveller: m.leave_type_traveller,
	other: m.leave_type_other
};

export function leaveStatusLabel(status: LeaveStatus, locale: Locale = getLocale()): string {
	return STATUS[status]({}, { locale });
}

/** An unknown stored type (from an older version) is shown as stored. */
export function leaveTypeLabel(type: string, locale: Locale = getLocale()): string {
	return type in TYPE ? TYPE[type as LeaveType]({}, { locale }) : type;
}

/** 'Monday 23 November 2026' or '… to …' in the parent's language. */
export function leaveDatesLabel(from: IsoDate, to: IsoDate, locale: Locale = getLocale()): string {
	return from === to ? formatLongDate(from, locale) : m.leave_dates_range({ from: formatLongDate(from, locale), to: formatLongDate(to, locale) }, { locale });
}

// ---------------------------------------------------------------------------------------------
// The leave rules' instant feedback and errors. The domain returns findings; English
// uses the domain's own wording (byte-identical to what staff and English parents always saw),
// other languages the messages below. A finding we do not know (older data) falls back to English.
// ---------------------------------------------------------------------------------------------

export function leavePointLabel(f: LeavePointFinding, locale: Locale = getLocale()): string {
	if (locale === 'en') return leavePointText(f);
	const o = { locale };
	switch (f.kind) {
		case 'sessions':
			return m.leave_point_sessions({ schoolDays: f.schoolDays, sessions: f.sessions }, o);
		case 'notice_met':
			return m.leave_point_notice_met({ givenDays: f.givenDays, requiredDays: f.requiredDays }, o);
		case 'notice_short':
			return m.leave_point_notice_short({ givenDays: f.givenDays, requiredDays: f.requiredDays }, o);
		case 'protected_period':
			// The period's name is the school's own words, shown as written.
			return m.leave_point_protected_period({ name: f.name }, o);
		case 'religious_one_day':
			return m.leave_point_religious_one_day({}, o);
		case 'holiday_not_exceptional':
			return m.leave_point_holiday_not_exceptional({}, o);
		case 'low_attendance':
			return m.leave_point_low_attendance({ name: f.name, percent: new Intl.NumberFormat(INTL_NUMBER[locale], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(f.percent) }, o);
		case 'no_retrospective':
			return m.leave_point_no_retrospective({}, o);
		case 'notice_not_needed':
			return m.leave_point_notice_not_needed({}, o);
		case 'wedding_one_day':
			return m.leave_point_wedding_one_day({}, o);
		case 'service_return':
			return m.leave_point_service_return({}, o);
		case 'protest_never':
			return m.leave_point_protest_never({}, o);
		case 'calendar_not_published':
			return m.leave_point_calendar_not_published({ years: joinNames(f.academicYears, locale) }, o);
		case 'unauthorised':
			return m.leave_point_unauthorised(
				{ thresholdSessions: f.thresholdSessions, rollingSchoolWeeks: f.rollingSchoolWeeks, amountWithin21Days: f.amountWithin21Days, amountWithin28Days: f.amountWithin28Days },
				o
			);
		default:
			return leavePointText(f);
	}
}

// Latin digits everywhere (as formatLongDate): figures then read the same as the school's letters.
const INTL_NUMBER: Record<Locale, string> = { en: 'en-GB', pl: 'pl-PL', ro: 'ro-RO', ar: 'ar-u-nu-latn', bn: 'bn-BD-u-nu-latn' };

export function leaveErrorLabel(f: LeaveErrorFinding, locale: Locale = getLocale()): string {
	if (locale === 'en') return leaveErrorText(f);
	const o = { locale };
	switch (f.kind) {
		case 'from_invalid':
			return m.leave_error_from_invalid({}, o);
		case 'to_invalid':
			return m.leave_error_to_invalid({}, o);
		case 'reason_missing':
			return m.leave_error_reason_missing({}, o);
		case 'reason_too_long':
			return m.leave_error_reason_too_long({ max: f.max }, o);
		case 'to_before_from':
			return m.leave_error_to_before_from({}, o);
		case 'not_in_advance':
			return m.leave_error_not_in_advance({}, o);
		case 'school_closed':
			return m.leave_error_school_closed({}, o);
		case 'outside_term':
			return m.leave_error_outside_term({}, o);
		case 'children_missing':
			return m.leave_error_children_missing({}, o);
		case 'type_missing':
			return m.leave_error_type_missing({}, o);
		case 'type_not_for_year_group':
			return m.leave_error_type_not_for_year_group({ names: joinNames(f.names, locale) }, o);
		case 'children_not_own':
			return m.leave_error_children_not_own({}, o);
		case 'children_separate_schools':
			return m.leave_error_children_separate_schools({}, o);
		case 'children_not_living_with':
			return m.leave_error_children_not_living_with({ names: joinNames(f.names, locale) }, o);
		case 'too_many_requests':
			return m.leave_error_too_many_requests({ wait: waitText(f.retryAfterSeconds, o) }, o);
		default:
			return leaveErrorText(f);
	}
}

/** The feedback points as the parent reads them (the level stays, the text is translated). */
export function localiseLeavePoints(points: readonly LeavePoint[], locale: Locale = getLocale()): { level: FeedbackLevel; text: string }[] {
	return points.map((p) => ({ level: p.level, text: leavePointLabel(p.finding, locale) }));
}

/** The errors as the parent reads them. */
export function localiseLeaveErrors(errors: readonly { field: string; finding: LeaveErrorFinding }[], locale: Locale = getLocale()): { field: string; message: string }[] {
	return errors.map((e) => ({ field: e.field, message: leaveErrorLabel(e.finding, locale) }));
}

// ---------------------------------------------------------------------------------------------
// What stops a change to a request. A family reads it in their language; the headteacher's
// decision problems are for staff pages, which are in English.
// ---------------------------------------------------------------------------------------------

/** A family's change that could not be made, in their language. */
export function leaveChangeProblemText(problem: LeaveChangeProblem, locale: Locale = getLocale()): string {
	const o = { locale };
	switch (problem.code) {
		case 'request_not_found':
			return m.leave_problem_request_not_found({}, o);
		case 'already_decided':
			return m.leave_problem_already_decided({}, o);
		case 'answer_missing':
			return m.leave_problem_answer_missing({}, o);
		case 'answer_too_long':
			return m.leave_problem_answer_too_long({ max: problem.max }, o);
		case 'no_question_asked':
			return m.leave_problem_no_question_asked({}, o);
		case 'evidence_not_open':
			return m.leave_problem_evidence_not_open({}, o);
		case 'evidence_missing':
			return m.leave_problem_evidence_missing({}, o);
		case 'evidence_empty':
			return m.leave_problem_evidence_empty({}, o);
		case 'evidence_too_large':
			return m.leave_problem_evidence_too_large({ max: problem.maxMegabytes }, o);
		case 'evidence_wrong_type':
			return m.leave_problem_evidence_wrong_type({}, o);
		case 'evidence_heic_unreadable':
			return m.leave_problem_evidence_heic_unreadable({}, o);
		case 'evidence_not_saved':
			return m.leave_problem_evidence_not_saved({}, o);
		case 'too_many_requests':
			return m.leave_error_too_many_requests({ wait: waitText(problem.retryAfterSeconds, o) }, o);
	}
}

/** A decision the headteacher could not record, for the staff page (English). */
export function leaveDecisionProblemText(problem: LeaveDecisionProblem): string {
	switch (problem.code) {
		case 'not_allowed_to_decide':
			return 'Only the headteacher or their delegate can decide leave';
		case 'request_not_found':
			return 'We cannot find that request';
		case 'already_decided':
			return 'This request has already been decided or withdrawn';
		case 'reason_missing':
			return 'Give the reason for the family';
		case 'question_missing':
			return 'Enter the question for the family';
		case 'agreed_dates_outside_request':
			return 'The agreed dates must be within the dates asked for';
		case 'agreed_dates_are_whole_request':
			return 'Those are all the dates asked for: agree the whole request instead';
		case 'religious_one_day_at_a_time':
			return 'For religious observance, choose the day set apart by the religious body; decide the other days as exceptional circumstances or not agreed';
		case 'split_not_religious':
			return 'Only a religious observance request is split this way';
		case 'set_apart_missing':
			return 'Choose the day set apart by the religious body';
		case 'set_apart_not_requested':
			return 'The day set apart must be one of the school days asked for';
	}
}
