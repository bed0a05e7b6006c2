/**
 * Schools: a school joins (the LA adds it and invites its first staff), staff invitations and
 * their acceptance (password and authenticator), the school's settings, its calendar, its MIS
 * token, and parents' requests to change their contact details.
 */
export {
	createSchool,
	schoolSettings,
	updateSchoolSettings,
	settingsFromForm,
	slugify,
	SCHOOL_PHASES,
	PHASE_LABELS,
	KEY_STAGES,
	type NewSchoolInput,
	type SchoolSettingsView
} from './setup';
export type { FieldError, SchoolProblem, CalendarServiceProblem } from './problems';
export {
	inviteStaff,
	openInvitation,
	acceptInvitation,
	listInvitations,
	listStaff,
	withdrawInvitation,
	canInviteStaff,
	INVITATION_TTL_MS,
	type OpenInvitation,
	type InvitationListing
} from './invitations';
export {
	calendarOverview,
	addCalendarEntry,
	removeCalendarEntry,
	importCalendarFile,
	applyCalendarEntries,
	canManageCalendar,
	nextAcademicYear,
	type CalendarYearView,
	type CalendarChangeResult,
	type CalendarChangeProblem
} from './calendar';
export { requestContactChange, contactRequestsForSchool, contactRequestsOfGuardian } from './contact-requests';
export { createMisApiToken, revokeMisApiToken, misApiTokenStatus } from '../register-import';
export * from './listing';
export { setTimeLostPercents, timeLostPercents } from './time-lost';
