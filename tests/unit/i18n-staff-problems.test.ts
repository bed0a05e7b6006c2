import { describe, expect, it } from 'vitest';
import {
	calendarProblemText,
	directoryProblemText,
	importProblemText,
	marksPayloadProblemText,
	rosterProblemText,
	firstDayContactProblemText,
	schoolProblemText,
	timeLostProblemText
} from '../../src/lib/i18n-staff-problems';
import { validateCalendar } from '../../src/lib/domain/calendar';
import { parseTimeLostPercents } from '../../src/lib/domain/attendance';
import type { CalendarFileProblem, CalendarRuleProblem } from '../../src/lib/domain/calendar-problems';
import type { TimeLostProblem } from '../../src/lib/domain/attendance';
import type { CalendarServiceProblem, SchoolProblem } from '../../src/lib/server/features/schools';
import type { FirstDayContactProblem } from '../../src/lib/server/features/school-day';
import type { DirectoryProblem } from '../../src/lib/server/features/support';
import type { ImportProblem, MarksPayloadProblem, RosterProblem, RosterRowProblem } from '../../src/lib/server/features/register-import';

/** One example of every code in a union: a code left out here fails svelte-check. */
type Every<P extends { code: string }> = { [C in P['code']]: P & { code: C } };

const school: Every<SchoolProblem> = {
	time_am_opens: { code: 'time_am_opens' },
	time_am_closes: { code: 'time_am_closes' },
	time_pm_opens: { code: 'time_pm_opens' },
	time_pm_closes: { code: 'time_pm_closes' },
	time_key_stage_pm_opens: { code: 'time_key_stage_pm_opens' },
	time_key_stage_pm_closes: { code: 'time_key_stage_pm_closes' },
	time_first_day_contact: { code: 'time_first_day_contact' },
	time_day_ends: { code: 'time_day_ends' },
	day_ends_before_pm_closes: { code: 'day_ends_before_pm_closes' },
	lessons_missing: { code: 'lessons_missing' },
	lessons_not_whole: { code: 'lessons_not_whole' },
	lessons_too_few: { code: 'lessons_too_few' },
	lessons_too_many: { code: 'lessons_too_many' },
	notice_missing: { code: 'notice_missing' },
	notice_not_whole: { code: 'notice_not_whole' },
	notice_negative: { code: 'notice_negative' },
	notice_too_long: { code: 'notice_too_long' },
	phone_too_long: { code: 'phone_too_long' },
	school_email: { code: 'school_email' },
	am_closes_before_opens: { code: 'am_closes_before_opens' },
	pm_closes_before_opens: { code: 'pm_closes_before_opens' },
	pm_opens_before_am_closes: { code: 'pm_opens_before_am_closes' },
	first_day_contact_before_am_closes: { code: 'first_day_contact_before_am_closes' },
	school_name_missing: { code: 'school_name_missing' },
	school_name_too_long: { code: 'school_name_too_long' },
	school_urn: { code: 'school_urn' },
	school_phase: { code: 'school_phase' },
	school_time_zone: { code: 'school_time_zone' },
	first_staff_name: { code: 'first_staff_name' },
	first_staff_email: { code: 'first_staff_email' },
	invitee_name_missing: { code: 'invitee_name_missing' },
	invitee_name_too_long: { code: 'invitee_name_too_long' },
	invitee_email: { code: 'invitee_email' },
	invitee_role: { code: 'invitee_role' },
	key_stage_pm_closes_before_opens: { code: 'key_stage_pm_closes_before_opens', keyStage: 'KS2' },
	only_la_adds_schools: { code: 'only_la_adds_schools' },
	urn_taken: { code: 'urn_taken' },
	settings_not_allowed: { code: 'settings_not_allowed' },
	email_has_account: { code: 'email_has_account' },
	only_head_invites: { code: 'only_head_invites' },
	no_such_school: { code: 'no_such_school' },
	password_too_short: { code: 'password_too_short', min: 12 },
	password_too_long: { code: 'password_too_long' },
	passwords_differ: { code: 'passwords_differ' },
	enter_authenticator_code: { code: 'enter_authenticator_code' },
	invitation_gone: { code: 'invitation_gone' },
	too_many_codes: { code: 'too_many_codes', minutes: 1 },
	wrong_code: { code: 'wrong_code' },
	not_accepted: { code: 'not_accepted', detail: 'Invalid input' }
};

const calendar: Every<CalendarFileProblem | CalendarRuleProblem | CalendarServiceProblem> = {
	csv_header_missing: { code: 'csv_header_missing', column: 'Type' },
	csv_unknown_type: { code: 'csv_unknown_type', type: 'Holiday' },
	csv_start_not_date: { code: 'csv_start_not_date', value: 'soon' },
	csv_end_not_date: { code: 'csv_end_not_date', value: 'later' },
	csv_ends_before_starts: { code: 'csv_ends_before_starts' },
	csv_sessions: { code: 'csv_sessions', value: 'noon' },
	csv_year_groups: { code: 'csv_year_groups', value: 'Year 14' },
	csv_empty: { code: 'csv_empty' },
	ics_not_calendar: { code: 'ics_not_calendar' },
	ics_no_start: { code: 'ics_no_start', summary: 'Fair' },
	ics_unknown_event: { code: 'ics_unknown_event', summary: 'Harvest festival' },
	unknown_time_zone: { code: 'unknown_time_zone', timeZone: 'Europe/Lundun' },
	term_invalid_date: { code: 'term_invalid_date', term: 'Broken' },
	term_ends_before_start: { code: 'term_ends_before_start', term: 'Backwards', startsOn: '2027-02-12', endsOn: '2027-01-04' },
	terms_overlap: { code: 'terms_overlap', first: 'Autumn 1', second: 'Autumn 2' },
	closure_invalid_date: { code: 'closure_invalid_date', description: 'Typo', date: '2026-13-01' },
	closure_outside_terms: { code: 'closure_outside_terms', date: '2026-12-25', what: 'Christmas Day' },
	calendar_not_allowed: { code: 'calendar_not_allowed' },
	closure_already_on_line: { code: 'closure_already_on_line', date: '2026-11-20', otherLine: 3 },
	bank_holidays_unknown_after: { code: 'bank_holidays_unknown_after', until: '2028-12-31' },
	calendar_file_has_no_entries: { code: 'calendar_file_has_no_entries' },
	choose_entry_kind: { code: 'choose_entry_kind' },
	entry_name_too_long: { code: 'entry_name_too_long' },
	entry_first_day_not_date: { code: 'entry_first_day_not_date' },
	entry_last_day_not_date: { code: 'entry_last_day_not_date' },
	entry_name_missing: { code: 'entry_name_missing' },
	entry_last_before_first: { code: 'entry_last_before_first' },
	not_accepted: { code: 'not_accepted', detail: 'Invalid input' }
};

const timeLost: Every<TimeLostProblem> = {
	time_lost_count: { code: 'time_lost_count' },
	time_lost_range: { code: 'time_lost_range' },
	time_lost_repeated: { code: 'time_lost_repeated' }
};

const firstDayContact: Every<FirstDayContactProblem> = {
	school_not_found: { code: 'school_not_found' },
	contact_time_format: { code: 'contact_time_format' },
	contact_time_before_am_closes: { code: 'contact_time_before_am_closes', amCloses: '09:15' },
	contact_time_too_late: { code: 'contact_time_too_late', latest: '15:00' }
};

type DirectoryWords = DirectoryProblem extends infer P ? (P extends { where: string } ? Omit<P, 'where'> : never) : never;
const directory: Every<DirectoryWords> = {
	not_a_web_address: { code: 'not_a_web_address' },
	not_http: { code: 'not_http' },
	unknown_category: { code: 'unknown_category', allowed: ['illness', 'transport'] },
	required: { code: 'required' },
	needs_link_contact_or_source: { code: 'needs_link_contact_or_source' },
	bad_slug: { code: 'bad_slug' },
	no_services: { code: 'no_services' },
	unknown_audience: { code: 'unknown_audience', allowed: ['families', 'professionals'] },
	age_out_of_range: { code: 'age_out_of_range', max: 25 },
	ages_reversed: { code: 'ages_reversed' },
	not_accepted: { code: 'not_accepted', detail: 'Invalid input' }
};

const rosterRow: Every<RosterRowProblem> = {
	upn_missing: { code: 'upn_missing' },
	upn_invalid: { code: 'upn_invalid', upn: 'A 1' },
	legal_forename_missing: { code: 'legal_forename_missing' },
	legal_surname_missing: { code: 'legal_surname_missing' },
	name_too_long: { code: 'name_too_long', max: 100 },
	year_group_invalid: { code: 'year_group_invalid', value: 'Year 14' },
	date_invalid: { code: 'date_invalid', date: 'admission', value: '31/02/2020' },
	sen_invalid: { code: 'sen_invalid', value: 'X' },
	ehcp_invalid: { code: 'ehcp_invalid', value: 'maybe' },
	flag_invalid: { code: 'flag_invalid', flag: 'fsm', value: 'maybe' },
	pupil_upn_missing: { code: 'pupil_upn_missing' },
	forename_missing: { code: 'forename_missing' },
	surname_missing: { code: 'surname_missing' },
	phone_invalid: { code: 'phone_invalid', value: '12' },
	email_invalid: { code: 'email_invalid', value: 'grace@' },
	contact_unfindable: { code: 'contact_unfindable' },
	parental_responsibility_invalid: { code: 'parental_responsibility_invalid', value: 'maybe' },
	lives_with_invalid: { code: 'lives_with_invalid', value: 'maybe' },
	contact_order_invalid: { code: 'contact_order_invalid', value: '0' }
};

const roster: Every<RosterProblem> = {
	row_invalid: { code: 'row_invalid', problems: [{ code: 'upn_missing' }, { code: 'year_group_invalid', value: 'Z' }] },
	file_too_large: { code: 'file_too_large', maxMegabytes: 20 },
	csv_unreadable: { code: 'csv_unreadable', detail: 'Invalid Closing Quote' },
	file_empty: { code: 'file_empty' },
	header_missing: { code: 'header_missing', columns: [{ field: 'firstName', example: 'legal forename' }, { field: 'yearGroup', example: 'year group' }] },
	upn_repeated: { code: 'upn_repeated', upn: 'A1', firstRow: 2 },
	pupil_not_in_file: { code: 'pupil_not_in_file', upn: 'Z999' },
	contact_differs: { code: 'contact_differs', firstRow: 2 },
	contact_listed_twice: { code: 'contact_listed_twice', upn: 'A1', firstRow: 2 },
	no_pupils_in_file: { code: 'no_pupils_in_file' },
	json_shape: { code: 'json_shape' },
	no_pupils_in_roster: { code: 'no_pupils_in_roster' },
	contact_id_differs: { code: 'contact_id_differs', same: 'email', otherRow: 4 },
	contact_matches_another: { code: 'contact_matches_another', otherRow: 4 },
	contact_details_taken: { code: 'contact_details_taken' }
};

const marksImport: Every<ImportProblem> = {
	pupil_id_blank: { code: 'pupil_id_blank' },
	pupil_unknown: { code: 'pupil_unknown', refs: ['A1', 'B2'] },
	date_blank: { code: 'date_blank' },
	date_invalid: { code: 'date_invalid', value: '31/02/2026' },
	session_blank: { code: 'session_blank' },
	session_invalid: { code: 'session_invalid', value: 'Evening' },
	attendance_code_invalid: { code: 'attendance_code_invalid', session: 'PM', problem: { code: 'code_not_in_set', value: 'ZZ' } },
	minutes_late_invalid: { code: 'minutes_late_invalid', session: 'AM', value: 'late', max: 600 },
	weekend: { code: 'weekend', date: '2026-09-12', weekday: 'Saturday' },
	holiday: { code: 'holiday', date: '2026-10-28', weekday: 'Wednesday', noTermsYet: true },
	school_closed: { code: 'school_closed', date: '2026-11-20', weekday: 'Friday', session: 'PM', closure: { kind: 'inset', description: 'Training' } },
	duplicate_mark: { code: 'duplicate_mark', pupilRef: 'A1', date: '2026-09-07', session: 'AM', firstRow: 2 },
	header_no_pupil_column: { code: 'header_no_pupil_column', found: ['Name', 'When'] },
	header_no_date_column: { code: 'header_no_date_column', found: ['UPN'] },
	header_no_mark_columns: { code: 'header_no_mark_columns', found: ['UPN', 'Date'] },
	row_width: { code: 'row_width', fields: 3, headerFields: 4 },
	csv_malformed: { code: 'csv_malformed', detail: 'Quote Not Closed' },
	csv_empty: { code: 'csv_empty' },
	mark_not_object: { code: 'mark_not_object' },
	mark_pupil_id_required: { code: 'mark_pupil_id_required' },
	mark_date_required: { code: 'mark_date_required' },
	mark_session_required: { code: 'mark_session_required' },
	mark_code_required: { code: 'mark_code_required' },
	mark_minutes_late_type: { code: 'mark_minutes_late_type', max: 600 },
	mark_minutes_late_range: { code: 'mark_minutes_late_range', max: 600 },
	code_detail_not_allowed: { code: 'code_detail_not_allowed', session: 'AM', markCode: 'N', allowed: ['B', 'K'] },
	code_detail_too_long: { code: 'code_detail_too_long', session: 'PM', max: 200 },
	amended_by_too_long: { code: 'amended_by_too_long', field: 'amended_by_role', max: 100 },
	mark_text_type: { code: 'mark_text_type', field: 'codeDetail' },
	mark_not_accepted: { code: 'mark_not_accepted', detail: 'Invalid input' }
};

const marksPayload: Every<MarksPayloadProblem> = {
	not_marks_payload: { code: 'not_marks_payload' },
	too_many_marks: { code: 'too_many_marks', count: 100001, max: 100000 }
};

/** Every code's words: more than a word or two, and no value left unfilled. */
function expectWords(texts: string[]) {
	for (const t of texts) {
		expect(t.trim().length).toBeGreaterThan(3);
		expect(t).not.toMatch(/undefined|\[object|\$\{/);
	}
}

describe('the words for staff-facing problems', () => {
	it('every code has words', () => {
		expectWords(Object.values(school).map(schoolProblemText));
		expectWords(Object.values(calendar).map(calendarProblemText));
		expectWords(Object.values(timeLost).map(timeLostProblemText));
		expectWords(Object.values(firstDayContact).map(firstDayContactProblemText));
		expectWords(Object.values(roster).map(rosterProblemText));
		expectWords(Object.values(marksImport).map(importProblemText));
		expectWords(Object.values(marksPayload).map(marksPayloadProblemText));
		for (const problem of [{ code: 'code_missing' }, { code: 'code_blank' }] as const) expectWords([importProblemText({ code: 'attendance_code_invalid', session: null, problem })]);
		expectWords(Object.values(rosterRow).map((p) => rosterProblemText({ code: 'row_invalid', problems: [p] })));
		expectWords(Object.values(directory).map((p) => directoryProblemText({ where: '', ...p } as DirectoryProblem)));
	});

	it('school settings and invitations say what they said before', () => {
		expect(schoolProblemText(school.time_am_opens)).toBe('Enter when the morning register opens as a 24-hour time, like 08:45');
		expect(schoolProblemText(school.key_stage_pm_closes_before_opens)).toBe('The KS2 afternoon register must close after it opens');
		expect(schoolProblemText(school.am_closes_before_opens)).toBe('The morning register must close after it opens');
		expect(schoolProblemText(school.password_too_short)).toBe('Choose a password of at least 12 characters');
		expect(schoolProblemText(school.too_many_codes)).toBe('Too many codes tried. Wait 1 minute and try again');
		expect(schoolProblemText({ code: 'too_many_codes', minutes: 3 })).toBe('Too many codes tried. Wait 3 minutes and try again');
		expect(schoolProblemText(school.not_accepted)).toBe('Invalid input');
	});

	it('a calendar that breaks the rules is described as before', () => {
		const problems = validateCalendar({
			timeZone: 'Europe/Lundun',
			terms: [
				{ name: 'Autumn 1', startsOn: '2026-09-02', endsOn: '2026-10-23' },
				{ name: 'Autumn 2', startsOn: '2026-10-19', endsOn: '2026-12-18' },
				{ name: 'Backwards', startsOn: '2027-02-12', endsOn: '2027-01-04' },
				{ name: 'Broken', startsOn: '2027-02-30', endsOn: '2027-03-25' }
			],
			closures: [
				{ date: '2026-12-25', sessions: 'BOTH', kind: 'bank_holiday', description: 'Christmas Day' },
				{ date: '2026-13-01', sessions: 'BOTH', kind: 'closure', description: 'Typo' }
			]
		});
		expect(problems.map(calendarProblemText)).toEqual([
			'Unknown time zone "Europe/Lundun"',
			'Term "Backwards" ends (2027-01-04) before it starts (2027-02-12)',
			'Term "Broken" has an invalid date',
			'Terms "Autumn 1" and "Autumn 2" overlap',
			'Closure on 2026-12-25 (Christmas Day) is outside every term',
			'Closure "Typo" has an invalid date "2026-13-01"'
		]);
		expect(calendarProblemText(calendar.csv_header_missing)).toBe('The header has no "Type" column');
		expect(calendarProblemText(calendar.closure_already_on_line)).toBe('2026-11-20 is already closed on line 3');
	});

	it('the time-lost table and first day contact', () => {
		const repeated = parseTimeLostPercents('97, 95, 95');
		expect(repeated.ok ? null : timeLostProblemText(repeated.problem)).toBe('Enter each percentage once');
		expect(timeLostProblemText(timeLost.time_lost_count)).toBe('Enter between 2 and 6 percentages, like 97, 95, 90');
		expect(firstDayContactProblemText(firstDayContact.contact_time_before_am_closes)).toBe('Choose a time after the morning register closes (09:15)');
		expect(firstDayContactProblemText(firstDayContact.contact_time_too_late)).toBe('Choose a time before 15:00');
		expect(firstDayContactProblemText(firstDayContact.contact_time_format)).toBe('Enter a time like 10:00');
	});

	it('a directory file problem follows where it is', () => {
		expect(directoryProblemText({ where: 'services[3].link', code: 'not_a_web_address' })).toBe('services[3].link must be a full web address');
		expect(directoryProblemText({ where: 'services[0].category', code: 'unknown_category', allowed: ['illness', 'transport'] })).toBe('services[0].category must be one of: illness, transport');
		expect(directoryProblemText({ where: '', code: 'not_accepted', detail: 'Invalid input' })).toBe('Invalid input');
	});

	it('a roster row lists its problems in one sentence, as before', () => {
		expect(rosterProblemText(roster.row_invalid)).toBe('The UPN is missing; "Z" is not a year group (use R, N or 1 to 13)');
		expect(rosterProblemText({ code: 'row_invalid', problems: [rosterRow.flag_invalid, rosterRow.date_invalid] })).toBe(
			'FSM must be Y or N, not "maybe"; the admission date "31/02/2020" is not a date (use DD/MM/YYYY)'
		);
		expect(rosterProblemText(roster.header_missing)).toBe('The header has no column for: firstName (e.g. "legal forename"), yearGroup (e.g. "year group")');
		expect(rosterProblemText(roster.contact_id_differs)).toBe('This contact has the same email as the contact on row 4, but a different contact ID: one phone or email is one person');
	});

	it('register import problems say what they said before', () => {
		expect(importProblemText(marksImport.pupil_unknown)).toBe('No pupil at this school has MIS ID "A1" or "B2"');
		expect(importProblemText(marksImport.attendance_code_invalid)).toBe('PM code: "ZZ" is not an attendance code in the 2024 set');
		expect(importProblemText({ code: 'attendance_code_invalid', session: null, problem: { code: 'code_blank' } })).toBe('Code: Attendance code is blank');
		expect(importProblemText(marksImport.holiday)).toBe("2026-10-28 (Wednesday) is outside the school's terms (a holiday), not a school day — no terms are set up for this school yet");
		expect(importProblemText(marksImport.school_closed)).toBe('2026-11-20 (Friday) PM is not a school session: the school is closed (INSET day "Training"); only "#" may be recorded');
		expect(importProblemText({ ...marksImport.school_closed, closure: null })).toBe('2026-11-20 (Friday) PM is not a school session: the school is closed (closed); only "#" may be recorded');
		expect(importProblemText(marksImport.header_no_pupil_column)).toBe('The header has no pupil column (expected UPN, Pupil ID, Admission No or MIS ID); found "Name", "When"');
		expect(marksPayloadProblemText(marksPayload.too_many_marks)).toBe('Too many marks in one request: 100001 (at most 100,000); send them in several requests');
	});
});
