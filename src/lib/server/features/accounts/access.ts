/**
 * Who on the staff side may see what. Staff only ever see their own school; local-authority
 * admins manage the directory and schools and see no children at all.
 */
import { error, redirect } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { pupils, type StaffUser } from '../../platform/db/schema';

export type StaffRole = StaffUser['role'];

export const STAFF_ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
	office: 'Office and attendance officer',
	attendance_lead: 'Attendance lead',
	headteacher: 'Headteacher',
	school_admin: 'School administrator',
	la_admin: 'Local authority administrator'
};

export const SCHOOL_ROLES: readonly StaffRole[] = ['office', 'attendance_lead', 'headteacher', 'school_admin'];

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
	if (staff.disabledAt || staff.role === 'la_admin' || !staff.schoolId) return false;
	if (!isUuid(pupilId)) return false;
	const [row] = await db
		.select({ id: pupils.id })
		.from(pupils)
		.where(and(eq(pupils.id, pupilId), eq(pupils.schoolId, staff.schoolId)));
	return Boolean(row);
}

type HasRole = Pick<StaffUser, 'role'>;

/** Leave of absence decisions: the headteacher (or the school admin acting as delegate). */
export const canDecideLeave = (s: HasRole) => s.role === 'headteacher' || s.role === 'school_admin';
/** Campaign messages to families. */
export const canManageCampaigns = (s: HasRole) =>
	s.role === 'attendance_lead' || s.role === 'headteacher' || s.role === 'school_admin';
/** School settings (register times, notice period...). */
export const canManageSchoolSettings = (s: HasRole) =>
	s.role === 'attendance_lead' || s.role === 'headteacher' || s.role === 'school_admin';
/** Today's reports, unexplained absences, register import/export. */
export const canHandleRegister = (s: HasRole) => SCHOOL_ROLES.includes(s.role);
/** The support directory, schools and campaign templates. */
export const canManageDirectory = (s: HasRole) => s.role === 'la_admin';
/** Pupil-level data at all. */
export const canSeePupils = (s: HasRole) => s.role !== 'la_admin';

/** Where a member of staff lands after signing in. */
export function staffHomePath(s: HasRole): string {
	return s.role === 'la_admin' ? '/admin' : '/staff';
}
