/**
 * What the schools services refuse, as codes with their values. The services never build a
 * sentence: src/lib/i18n-staff-problems.ts is the one place that turns these into words.
 */
import type { z } from 'zod';
import type { IsoDate } from '../../../domain/calendar';

/** The settings problems a zod schema carries as its issue message: the code says it all. */
export const SETTINGS_CODES = [
	'time_am_opens',
	'time_am_closes',
	'time_pm_opens',
	'time_pm_closes',
	'time_key_stage_pm_opens',
	'time_key_stage_pm_closes',
	'time_first_day_contact',
	'time_day_ends',
	'lessons_missing',
	'lessons_not_whole',
	'lessons_too_few',
	'lessons_too_many',
	'notice_missing',
	'notice_not_whole',
	'notice_negative',
	'notice_too_long',
	'phone_too_long',
	'school_email',
	'am_closes_before_opens',
	'pm_closes_before_opens',
	'pm_opens_before_am_closes',
	'first_day_contact_before_am_closes',
	'day_ends_before_pm_closes'
] as const;

/** A new school's and an invitation's problems carried the same way. */
export const SCHOOL_CODES = [
	'school_name_missing',
	'school_name_too_long',
	'school_urn',
	'school_phase',
	'school_time_zone',
	'first_staff_name',
	'first_staff_email',
	'invitee_name_missing',
	'invitee_name_too_long',
	'invitee_email',
	'invitee_role'
] as const;

export type SchoolProblem =
	| { code: (typeof SETTINGS_CODES)[number] | (typeof SCHOOL_CODES)[number] }
	| { code: 'key_stage_pm_closes_before_opens'; keyStage: string }
	| { code: 'only_la_adds_schools' }
	| { code: 'urn_taken' }
	| { code: 'settings_not_allowed' }
	| { code: 'email_has_account' }
	| { code: 'only_head_invites' }
	| { code: 'no_such_school' }
	| { code: 'password_too_short'; min: number }
	| { code: 'password_too_long' }
	| { code: 'passwords_differ' }
	| { code: 'enter_authenticator_code' }
	| { code: 'invitation_gone' }
	| { code: 'too_many_codes'; minutes: number }
	| { code: 'wrong_code' }
	/** An input no form sends (a crafted request): zod's own words for it. */
	| { code: 'not_accepted'; detail: string };

export type SchoolProblemCode = SchoolProblem['code'];

/** A problem with the form field it is about ('urn', 'amRegisterCloses', 'firstStaff.email'...; 'form' = the whole form). */
export type FieldError = { field: string } & SchoolProblem;

const CARRIED: readonly string[] = [...SETTINGS_CODES, ...SCHOOL_CODES];

/** A zod issue back to the problem its message names (or zod's own words when it names none). */
export function problemFromIssue(issue: z.core.$ZodIssue): SchoolProblem {
	if (issue.code === 'custom' && issue.message === 'key_stage_pm_closes_before_opens') {
		return { code: 'key_stage_pm_closes_before_opens', keyStage: String(issue.params?.keyStage ?? '') };
	}
	return CARRIED.includes(issue.message) ? ({ code: issue.message } as SchoolProblem) : { code: 'not_accepted', detail: issue.message };
}

/** Why the calendar cannot take a change, as codes with their values. */
export type CalendarServiceProblem =
	| { code: 'calendar_not_allowed' }
	| { code: 'closure_already_on_line'; date: IsoDate; otherLine: number }
	| { code: 'bank_holidays_unknown_after'; until: IsoDate }
	| { code: 'calendar_file_has_no_entries' }
	| { code: 'choose_entry_kind' }
	| { code: 'entry_name_too_long' }
	| { code: 'entry_first_day_not_date' }
	| { code: 'entry_last_day_not_date' }
	| { code: 'entry_name_missing' }
	| { code: 'entry_last_before_first' }
	| { code: 'not_accepted'; detail: string };
