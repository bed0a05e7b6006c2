/**
 * Who on the staff side may see what. Staff only ever see their own school; local-authority
 * admins manage the directory and schools and see no children at all.
 */
import { error, redirect } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { pupils, type StaffUser } from '../../platform/db/schema';
import { SCHOOL_STAFF_ROLES, can, isLaRole, rolesWith, type Permission } from '../../../domain/permissions';

export type StaffRole = StaffUser['role'];

export const STAFF_ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
	office: 'Office and attendance officer',
	attendance_lead: 'Attendance lead',
	headteacher: 'Headteacher',
	school_admin: 'School administrator',
	la_admin: 'Local authority administrator',
	la_officer: 'Local authority attendance officer'
};

export const SCHOOL_ROLES: readonly StaffRole[] = SCHOOL_STAFF_ROLES;

interface StaffLocals {
	staff: StaffUser | null;
	staffAwaitingSecondFactor: StaffUser | null;
}

/**
 * The signed-in member of staff (past the TOTP step), optionally only in some roles.
 * Not signed in: redirect to sign-in (or to the code page half way). Wrong role: 403.
 */
export function requireStaff(locals: StaffLocals, roles?: readonly StaffRole[]): StaffUser {
	const staff = locals.staff;
	if (!staff) {
		if (locals.staffAwaitingSecondFactor) redirect(303, '/staff/sign-in/two-factor');
		redirect(303, '/staff/sign-in');
	}
	if (roles && !roles.includes(staff.role)) error(403, 'You do not have permission to see this page');
	return staff;
}

/** A member of a school's staff (not an LA admin), with their school id. */
export function requireSchoolStaff(
	locals: StaffLocals,
	roles: readonly StaffRole[] = SCHOOL_ROLES
): StaffUser & { schoolId: string } {
	const staff = requireStaff(locals, roles);
	if (!staff.schoolId) error(403, 'You do not have permission to see this page');
	return staff as StaffUser & { schoolId: string };
}

export { isUuid } from '../../../domain/ids';
import { isUuid } from '../../../domain/ids';

/** Only pupils of the member of staff's own school. LA admins (no school) see no pupils. */
export async function staffCanSeePupil(db: Db, staff: Pick<StaffUser, 'role' | 'schoolId' | 'disabledAt'>, pupilId: string): Promise<boolean> {
	if (staff.disabledAt || isLaRole(staff.role) || !staff.schoolId) return false;
	if (!isUuid(pupilId)) return false;
	const [row] = await db
		.select({ id: pupils.id })
		.from(pupils)
		.where(and(eq(pupils.id, pupilId), eq(pupils.schoolId, staff.schoolId)));
	return Boolean(row);
}

type HasRole = Pick<StaffUser, 'role'>;

export { can, isLaRole, rolesWith, type Permission } from '../../../domain/permissions';

/** Leave of absence decisions. */
export const canDecideLeave = (s: HasRole) => can(s, 'leave.decide');
/** Campaign messages to families. */
export const canManageCampaigns = (s: HasRole) => can(s, 'campaigns.manage');
/** The support directory. */
export const canManageDirectory = (s: HasRole) => can(s, 'directory.manage');
/** Pupil-level data at all. */
export const canSeePupils = (s: HasRole) => can(s, 'register.handle');

/** The signed-in member of a school's staff who holds this permission (403 otherwise). */
export function requirePermission(locals: StaffLocals, permission: Permission): StaffUser & { schoolId: string } {
	return requireSchoolStaff(locals, rolesWith(permission));
}

/** Where a member of staff lands after signing in. */
export function staffHomePath(s: HasRole): string {
	if (s.role === 'la_admin') return '/admin';
	return s.role === 'la_officer' ? '/la' : '/staff';
}
