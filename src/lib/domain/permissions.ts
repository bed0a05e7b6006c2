/**
 * Who on the staff side may do what: the one answer to "may this member of staff...?". Pages,
 * services and the bot ask `can(staff, 'campaigns.manage')` rather than listing roles.
 */

export const STAFF_ROLES = ['office', 'attendance_lead', 'headteacher', 'school_admin', 'la_admin', 'la_officer'] as const;
export type StaffRoleName = (typeof STAFF_ROLES)[number];

/** Every role that works inside one school (the local authority's admin and attendance officers have no school). */
export const SCHOOL_STAFF_ROLES: readonly StaffRoleName[] = ['office', 'attendance_lead', 'headteacher', 'school_admin'];

const PERMISSIONS = {
	/** Today's reports, unexplained absences, first day contact, register import and export, pupils' figures. */
	'register.handle': SCHOOL_STAFF_ROLES,
	/** Leave of absence decisions: the headteacher, or the school admin acting as delegate. */
	'leave.decide': ['headteacher', 'school_admin'],
	/** Every Day Counts messages to families. */
	'campaigns.manage': ['attendance_lead', 'headteacher', 'school_admin'],
	/** The school's settings (register times, first day contact, notice period...). */
	'settings.manage': ['attendance_lead', 'headteacher', 'school_admin'],
	/** The school's MIS API token: issued, replaced and revoked by the headteacher alone. */
	'mis-tokens.manage': ['headteacher'],
	/** Inviting staff to the school and managing the team (the local authority invites a school's first staff). */
	'staff.invite': ['headteacher', 'school_admin', 'la_admin'],
	/** The school's term dates, closures and protected periods. */
	'calendar.manage': ['office', 'attendance_lead', 'headteacher', 'school_admin', 'la_admin'],
	/** The school's setup: name, register times, languages, time lost figures. */
	'school.setup': ['attendance_lead', 'headteacher', 'school_admin', 'la_admin'],
	/** Adding a school to the deployment. */
	'schools.add': ['la_admin'],
	/** The local authority's support directory. */
	'directory.manage': ['la_admin'],
	/** Sending the local authority a referral or a request for a notice (the school's attendance lead or head). */
	'la.refer': ['attendance_lead', 'headteacher'],
	/**
	 * The local authority's attendance work: figures across schools, referrals, notices to improve,
	 * penalty notices and statutory notifications. Not the directory admin: a different job.
	 */
	'la.attendance': ['la_officer'],
	/** The graduated response: the escalation policy, monitoring points, letters, meetings, plans and reviews. */
	'graduated.manage': ['attendance_lead', 'headteacher', 'school_admin']
} as const satisfies Record<string, readonly StaffRoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(staff: { role: string }, permission: Permission): boolean {
	return (PERMISSIONS[permission] as readonly string[]).includes(staff.role);
}

/**
 * May this member of staff do it for this school? Their own school only; the local authority's
 * admin, who has no school, for every school of the deployment where the permission includes them.
 */
export function canForSchool(staff: { role: string; schoolId: string | null }, permission: Permission, schoolId: string): boolean {
	if (!can(staff, permission)) return false;
	return staff.role === 'la_admin' || staff.schoolId === schoolId;
}

/** The local authority's roles: no school of their own. */
export const LA_ROLES: readonly StaffRoleName[] = ['la_admin', 'la_officer'];

/** Whether the role belongs to the local authority (and so has no school). */
export function isLaRole(role: string): boolean {
	return (LA_ROLES as readonly string[]).includes(role);
}

/** The roles that hold a permission (for a page that admits only them). */
export function rolesWith(permission: Permission): readonly StaffRoleName[] {
	return PERMISSIONS[permission];
}
