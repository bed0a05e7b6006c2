/**
 * The words for the problems staff-facing services return (school setup and settings,
 * invitations, the calendar, the time-lost table, first day contact...). The services return
 * codes with their values; this is the one place that turns them into sentences.
 *
 * The staff pages, the admin pages and the MIS API are in English only, so these words are
 * English and live here rather than in the message files (which hold what parents read, in
 * their languages). Each union has its own switch with no default: a code without words fails
 * svelte-check.
 */
import type { CalendarRuleProblem, CalendarFileProblem } from './domain/calendar-problems';
import type { TimeLostProblem } from './domain/attendance';
import type { CalendarServiceProblem, SchoolProblem } from './server/features/schools';
import type { FirstDayContactProblem } from './server/features/school-day';
import type { DirectoryProblem } from './server/features/support';
import type { ImportError, ImportProblem, MarksPayloadProblem, RosterError, RosterProblem, RosterRowProblem } from './server/features/register-import';
import { CODE_MEANINGS, type CodeProblem } from './domain/codes';

/** A problem with a new school, its settings or a staff invitation. */
export function schoolProblemText(problem: SchoolProblem): string {
	const time = (label: string) => `Enter ${label} as a 24-hour time, like 08:45`;
	switch (problem.code) {
		case 'time_am_opens': return time('when the morning register opens');
		case 'time_am_closes': return time('when the morning register closes');
		case 'time_pm_opens': return time('when the afternoon register opens');
		case 'time_pm_closes': return time('when the afternoon register closes');
		case 'time_key_stage_pm_opens': return time('the key stage’s afternoon register opening');
		case 'time_key_stage_pm_closes': return time('the key stage’s afternoon register closing');
		case 'time_first_day_contact': return time('the first day contact time');
		case 'time_day_ends': return time('when the school day ends');
		case 'lessons_missing': return 'Enter the number of lessons a day';
		case 'lessons_not_whole': return 'Enter a whole number of lessons';
		case 'lessons_too_few': return 'A school day has at least 1 lesson';
		case 'lessons_too_many': return 'Enter at most 12 lessons a day';
		case 'notice_missing': return 'Enter the notice period in days';
		case 'notice_not_whole': return 'Enter a whole number of days';
		case 'notice_negative': return 'The notice period cannot be negative';
		case 'notice_too_long': return 'Enter a notice period of at most 90 days';
		case 'phone_too_long': return 'Enter a phone number of at most 40 characters';
		case 'school_email': return 'Enter an email address like office@school.example.org';
		case 'am_closes_before_opens': return 'The morning register must close after it opens';
		case 'pm_closes_before_opens': return 'The afternoon register must close after it opens';
		case 'key_stage_pm_closes_before_opens': return `The ${problem.keyStage} afternoon register must close after it opens`;
		case 'pm_opens_before_am_closes': return 'The afternoon register must open after the morning register closes';
		case 'first_day_contact_before_am_closes': return 'Choose a first day contact time after the morning register closes';
		case 'day_ends_before_pm_closes': return 'The school day must end after the afternoon register closes';
		case 'school_name_missing': return 'Enter the school’s name';
		case 'school_name_too_long': return 'Enter a name of at most 120 characters';
		case 'school_urn': return 'Enter the school’s URN: 6 digits, like 116123';
		case 'school_phase': return 'Choose the school’s phase';
		case 'school_time_zone': return 'Enter a time zone like Europe/London';
		case 'first_staff_name': return 'Enter the name of the first member of staff';
		case 'first_staff_email': return 'Enter their email address, like head@school.example.org';
		case 'invitee_name_missing': return 'Enter their name';
		case 'invitee_name_too_long': return 'Enter a name of at most 120 characters';
		case 'invitee_email': return 'Enter an email address like name@school.example.org';
		case 'invitee_role': return 'Choose their role';
		case 'only_la_adds_schools': return 'Only the local authority can add a school';
		case 'urn_taken': return 'A school with this URN is already in Every Day';
		case 'settings_not_allowed': return 'You cannot change this school’s settings';
		case 'email_has_account': return 'Someone with this email address already has a staff account';
		case 'only_head_invites': return 'Only the headteacher or school administrator can invite staff';
		case 'no_such_school': return 'No such school';
		case 'password_too_short': return `Choose a password of at least ${problem.min} characters`;
		case 'password_too_long': return 'Choose a password of at most 1024 characters';
		case 'passwords_differ': return 'The two passwords are not the same';
		case 'enter_authenticator_code': return 'Enter the 6-digit code your authenticator app shows, like 123456';
		case 'invitation_gone': return 'This invitation link has expired or has already been used';
		case 'too_many_codes': return `Too many codes tried. Wait ${problem.minutes} minute${problem.minutes === 1 ? '' : 's'} and try again`;
		case 'wrong_code': return 'That code is not right. Check the app shows Every Day and enter the code it shows now';
		case 'not_accepted': return problem.detail;
	}
}

/** Field errors as the forms show them: the field and its sentence. */
export function fieldErrorMessages<P extends { field: string } & SchoolProblem>(errors: P[]): { field: string; message: string }[] {
	return errors.map((e) => ({ field: e.field, message: schoolProblemText(e) }));
}

/** A problem with a calendar change: a line of the file, a rule of the calendar, or the change itself. */
export function calendarProblemText(problem: CalendarFileProblem | CalendarRuleProblem | CalendarServiceProblem): string {
	switch (problem.code) {
		case 'csv_header_missing': return `The header has no "${problem.column}" column`;
		case 'csv_unknown_type': return `Unknown type "${problem.type}": use term, INSET, closure, bank holiday or protected`;
		case 'csv_start_not_date': return `"${problem.value}" is not a date (use DD/MM/YYYY)`;
		case 'csv_end_not_date': return `"${problem.value}" is not a date (use DD/MM/YYYY)`;
		case 'csv_ends_before_starts': return 'It ends before it starts';
		case 'csv_sessions': return `Sessions must be AM, PM or both, not "${problem.value}"`;
		case 'csv_year_groups': return `Year groups must be like "Year 6; Year 2" or "R", not "${problem.value}"`;
		case 'csv_empty': return 'The file is empty: expected a header row (Type, Name, Start, End)';
		case 'ics_not_calendar': return 'This is not an iCalendar file (no BEGIN:VCALENDAR)';
		case 'ics_no_start': return `The event "${problem.summary}" has no start date`;
		case 'ics_unknown_event': return `Cannot tell what "${problem.summary}" is: name it as a term, INSET day, closure, bank holiday or exams week`;
		case 'unknown_time_zone': return `Unknown time zone "${problem.timeZone}"`;
		case 'term_invalid_date': return `Term "${problem.term}" has an invalid date`;
		case 'term_ends_before_start': return `Term "${problem.term}" ends (${problem.endsOn}) before it starts (${problem.startsOn})`;
		case 'terms_overlap': return `Terms "${problem.first}" and "${problem.second}" overlap`;
		case 'closure_invalid_date': return `Closure "${problem.description}" has an invalid date "${problem.date}"`;
		case 'closure_outside_terms': return `Closure on ${problem.date} (${problem.what}) is outside every term`;
		case 'calendar_not_allowed': return 'You cannot change this school’s calendar';
		case 'closure_already_on_line': return `${problem.date} is already closed on line ${problem.otherLine}`;
		case 'bank_holidays_unknown_after': return `Every Day knows bank holidays only until ${problem.until}; term dates after it cannot be checked yet`;
		case 'calendar_file_has_no_entries': return 'The file has no term dates, closures or protected periods';
		case 'choose_entry_kind': return 'Choose what you are adding';
		case 'entry_name_too_long': return 'Enter a name of at most 120 characters';
		case 'entry_first_day_not_date': return 'Enter the first day as a date';
		case 'entry_last_day_not_date': return 'Enter the last day as a date';
		case 'entry_name_missing': return 'Enter a name, like Autumn 1';
		case 'entry_last_before_first': return 'The last day must be on or after the first day';
		case 'not_accepted': return problem.detail;
	}
}

/** Calendar problems as the calendar page lists them: the line and its sentence. */
export function calendarProblemMessages(problems: ({ line: number } & Parameters<typeof calendarProblemText>[0])[]): { line: number; message: string }[] {
	return problems.map((p) => ({ line: p.line, message: calendarProblemText(p) }));
}

export function timeLostProblemText(problem: TimeLostProblem): string {
	switch (problem.code) {
		case 'time_lost_count': return 'Enter between 2 and 6 percentages, like 97, 95, 90';
		case 'time_lost_range': return 'Each percentage must be a whole number from 50 to 99';
		case 'time_lost_repeated': return 'Enter each percentage once';
	}
}

export function firstDayContactProblemText(problem: FirstDayContactProblem): string {
	switch (problem.code) {
		case 'school_not_found': return 'School not found';
		case 'contact_time_format': return 'Enter a time like 10:00';
		case 'contact_time_before_am_closes': return `Choose a time after the morning register closes (${problem.amCloses})`;
		case 'contact_time_too_late': return `Choose a time before ${problem.latest}`;
	}
}

/** A problem with a support directory file, after where it is: "services[3].link must be a full web address". */
export function directoryProblemText(problem: DirectoryProblem): string {
	const text = directoryWords(problem);
	return problem.where ? `${problem.where} ${text}` : text;
}

function directoryWords(problem: DirectoryProblem): string {
	switch (problem.code) {
		case 'not_a_web_address': return 'must be a full web address';
		case 'not_http': return 'must start with https:// or http://';
		case 'unknown_category': return `must be one of: ${problem.allowed.join(', ')}`;
		case 'unknown_audience': return `must be one of: ${problem.allowed.join(', ')}`;
		case 'age_out_of_range': return `must be a whole number of years from 0 to ${problem.max}`;
		case 'ages_reversed': return 'must not be below minAge';
		case 'required': return 'is required';
		case 'needs_link_contact_or_source': return 'needs a link, a contact or its organisation';
		case 'bad_slug': return 'must be 2–40 lower-case letters, digits or hyphens';
		case 'no_services': return 'must list at least one service';
		case 'not_accepted': return problem.detail;
	}
}

const ROSTER_FLAG_LABELS = { fsm: 'FSM', eal: 'EAL', pupilPremium: 'pupilPremium', lookedAfter: 'lookedAfter', youngCarer: 'youngCarer' } as const;
const ROSTER_DATE_LABELS = { date_of_birth: 'date of birth', admission: 'admission date', leaving: 'leaving date' } as const;

/** One field's problem, as a clause: a row's clauses are joined into one sentence. */
function rosterRowProblemText(problem: RosterRowProblem): string {
	switch (problem.code) {
		case 'upn_missing': return 'the UPN is missing';
		case 'upn_invalid': return `"${problem.upn}" is not a UPN`;
		case 'legal_forename_missing': return 'the legal forename is missing';
		case 'legal_surname_missing': return 'the legal surname is missing';
		case 'name_too_long': return `a name is longer than ${problem.max} characters`;
		case 'year_group_invalid': return `"${problem.value}" is not a year group (use R, N or 1 to 13)`;
		case 'date_invalid': return `the ${ROSTER_DATE_LABELS[problem.date]} "${problem.value}" is not a date (use DD/MM/YYYY)`;
		case 'sen_invalid': return `the SEN status "${problem.value}" is not N, K or E`;
		case 'ehcp_invalid': return `EHCP must be Y or N, not "${problem.value}"`;
		case 'flag_invalid': return `${ROSTER_FLAG_LABELS[problem.flag]} must be Y or N, not "${problem.value}"`;
		case 'pupil_upn_missing': return 'the pupil’s UPN is missing';
		case 'forename_missing': return 'the forename is missing';
		case 'surname_missing': return 'the surname is missing';
		case 'phone_invalid': return `"${problem.value}" is not a phone number`;
		case 'email_invalid': return `"${problem.value}" is not an email address`;
		case 'contact_unfindable': return 'a contact needs a contact ID, a phone number or an email address so the next import finds them again';
		case 'parental_responsibility_invalid': return `parental responsibility must be Y or N, not "${problem.value}"`;
		case 'lives_with_invalid': return `lives with must be Y or N, not "${problem.value}"`;
		case 'contact_order_invalid': return `the contact order "${problem.value}" is not a number from 1 to 20`;
	}
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A roster problem (pupils and parents from the MIS). */
export function rosterProblemText(problem: RosterProblem): string {
	switch (problem.code) {
		case 'row_invalid': return capitalise(problem.problems.map(rosterRowProblemText).join('; '));
		case 'file_too_large': return `The file is larger than ${problem.maxMegabytes} MB`;
		case 'csv_unreadable': return `The file is not a readable CSV: ${problem.detail}`;
		case 'file_empty': return 'The file is empty: expected a header row';
		case 'header_missing': return `The header has no column for: ${problem.columns.map((c) => `${c.field} (e.g. "${c.example}")`).join(', ')}`;
		case 'upn_repeated': return `The UPN ${problem.upn} is also on row ${problem.firstRow}`;
		case 'pupil_not_in_file': return `No pupil with UPN ${problem.upn} is in the pupils file`;
		case 'contact_differs': return `This contact’s name, phone or email differs from row ${problem.firstRow} for the same person`;
		case 'contact_listed_twice': return `This contact is already listed for ${problem.upn} on row ${problem.firstRow}`;
		case 'no_pupils_in_file': return 'The pupils file has no pupils: an empty roster would mark every pupil as left';
		case 'json_shape': return 'Expected JSON like {"pupils":[...],"guardians":[...]}';
		case 'no_pupils_in_roster': return 'The roster has no pupils: an empty roster would mark every pupil as left';
		case 'contact_id_differs': return `This contact has the same ${problem.same} as the contact on row ${problem.otherRow}, but a different contact ID: one phone or email is one person`;
		case 'contact_matches_another': return `This contact has the same phone or email as the contact on row ${problem.otherRow}, but a different contact ID`;
		case 'contact_details_taken': return 'This contact’s new phone or email is already another parent’s in Every Day';
	}
}

/** Roster errors as the roster page and the MIS API give them: the file, the row and the sentence (the API keeps the code beside it). */
export function rosterErrorMessages(errors: RosterError[]): { file: RosterError['file']; row: number; message: string }[] {
	return errors.map((e) => ({ file: e.file, row: e.row, message: rosterProblemText(e) }));
}

/** For the MIS API: each error keeps its code and values, with the English sentence beside them as `message`. */
export function rosterErrorsWithMessages<E extends RosterError>(errors: E[]): (E & { message: string })[] {
	return errors.map((e) => ({ ...e, message: rosterProblemText(e) }));
}

/** Why a value is not an attendance code. */
export function codeProblemText(problem: CodeProblem): string {
	switch (problem.code) {
		case 'code_missing': return 'Attendance code is missing';
		case 'code_blank': return 'Attendance code is blank';
		case 'code_not_in_set': return `"${problem.value}" is not an attendance code in the 2024 set`;
	}
}

const CLOSURE_LABELS = { inset: 'INSET day', bank_holiday: 'bank holiday', closure: 'school closure' } as const;
const quoted = (values: readonly string[], separator: string) => values.map((v) => `"${v}"`).join(separator);

/** A register import problem (marks from a CSV file or the MIS API). */
export function importProblemText(problem: ImportProblem): string {
	switch (problem.code) {
		case 'pupil_id_blank': return 'The pupil ID is blank';
		case 'pupil_unknown': return `No pupil at this school has MIS ID ${quoted(problem.refs, ' or ')}`;
		case 'date_blank': return 'The date is blank';
		case 'date_invalid': return `"${problem.value}" is not a valid date (expected DD/MM/YYYY or YYYY-MM-DD)`;
		case 'session_blank': return 'The session is blank (expected AM or PM)';
		case 'session_invalid': return `"${problem.value}" is not a session (expected AM or PM)`;
		case 'attendance_code_invalid': return `${problem.session ? `${problem.session} code` : 'Code'}: ${codeProblemText(problem.problem)}`;
		case 'minutes_late_invalid': return `${problem.session} minutes late "${problem.value}" must be a whole number from 0 to ${problem.max}`;
		case 'code_detail_not_allowed':
			return `${problem.session} code ${problem.markCode} (${CODE_MEANINGS[problem.markCode].staff}) takes no code detail: only ${problem.allowed.join(', ')} do`;
		case 'code_detail_too_long': return `${problem.session} code detail must be at most ${problem.max} characters`;
		case 'amended_by_too_long': return `${problem.field === 'amended_by' ? 'Amended by' : 'Amended by role'} must be at most ${problem.max} characters`;
		case 'mark_text_type': return `${problem.field} must be text, or null`;
		case 'weekend': return `${problem.date} (${problem.weekday}) is a weekend, not a school day`;
		case 'holiday':
			return `${problem.date} (${problem.weekday}) is outside the school's terms (a holiday), not a school day${problem.noTermsYet ? ' — no terms are set up for this school yet' : ''}`;
		case 'school_closed': {
			const c = problem.closure;
			const what = c ? `${CLOSURE_LABELS[c.kind]}${c.description ? ` "${c.description}"` : ''}` : 'closed';
			return `${problem.date} (${problem.weekday}) ${problem.session} is not a school session: the school is closed (${what}); only "#" may be recorded`;
		}
		case 'duplicate_mark': return `Duplicate mark: pupil "${problem.pupilRef}" on ${problem.date} ${problem.session} already appears on row ${problem.firstRow}`;
		case 'header_no_pupil_column': return `The header has no pupil column (expected UPN, Pupil ID, Admission No or MIS ID); found ${quoted(problem.found, ', ')}`;
		case 'header_no_date_column': return `The header has no Date column; found ${quoted(problem.found, ', ')}`;
		case 'header_no_mark_columns':
			return `The header needs AM and PM columns (one row per pupil per day) or Session and Code columns (one row per session); found ${quoted(problem.found, ', ')}`;
		case 'row_width': return `Malformed row: it has ${problem.fields} fields but the header has ${problem.headerFields}`;
		case 'csv_malformed': return `Malformed CSV: ${problem.detail}`;
		case 'csv_empty': return 'The file is empty: expected a header row and marks';
		case 'mark_not_object': return 'Each mark must be an object { "pupilId", "date", "session", "code" }';
		case 'mark_pupil_id_required': return "pupilId is required: the pupil's MIS ID as a string";
		case 'mark_date_required': return 'date is required, as "YYYY-MM-DD"';
		case 'mark_session_required': return 'session is required: "AM" or "PM"';
		case 'mark_code_required': return 'code is required: an attendance code such as "/" or "N" ("" = not yet marked)';
		case 'mark_minutes_late_type': return `minutesLate must be a whole number from 0 to ${problem.max}, or null`;
		case 'mark_minutes_late_range': return `minutesLate must be a whole number from 0 to ${problem.max}`;
		case 'mark_not_accepted': return problem.detail;
	}
}

/** Import errors as the CLI and the staff pages list them: the row and its sentence. */
export function importErrorMessages(errors: ImportError[]): { row: number; message: string }[] {
	return errors.map((e) => ({ row: e.row, message: importProblemText(e) }));
}

/** For the MIS API: each error keeps its code and values, with the English sentence beside them as `message`. */
export function importErrorsWithMessages<E extends ImportError>(errors: E[]): (E & { message: string })[] {
	return errors.map((e) => ({ ...e, message: importProblemText(e) }));
}

/** Why a request to the MIS marks API is not a marks payload at all. */
export function marksPayloadProblemText(problem: MarksPayloadProblem): string {
	switch (problem.code) {
		case 'not_marks_payload': return 'Expected a JSON object { "marks": [ { "pupilId", "date", "session", "code", "minutesLate"? }, ... ] }';
		case 'too_many_marks': return `Too many marks in one request: ${problem.count} (at most ${problem.max.toLocaleString('en-GB')}); send them in several requests`;
	}
}
