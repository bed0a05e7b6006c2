/**
 * Leave statuses, types and dates as parents read them (issue 10). The leave rules keep their
 * English labels for staff pages, letters and the CSV; parent pages use these.
 */
import type { IsoDate } from './domain/calendar';
import type { LeaveStatus, LeaveType } from './domain/leave';
import type { Locale } from './domain/locale';
import { formatLongDate } from './i18n';
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
