import { describe, expect, it } from 'vitest';
import { STAFF_ROLES, can, canForSchool, rolesWith, type Permission, type StaffRoleName } from '../../src/lib/domain/permissions';

// The whole table, written out: a change to who may do what shows here as a failing line.
const EXPECTED: Record<Permission, StaffRoleName[]> = {
	'register.handle': ['office', 'attendance_lead', 'headteacher', 'school_admin'],
	'leave.decide': ['headteacher', 'school_admin'],
	'campaigns.manage': ['attendance_lead', 'headteacher', 'school_admin'],
	'settings.manage': ['attendance_lead', 'headteacher', 'school_admin'],
	'mis-tokens.manage': ['headteacher'],
	'staff.invite': ['headteacher', 'school_admin', 'la_admin'],
	'calendar.manage': ['office', 'attendance_lead', 'headteacher', 'school_admin', 'la_admin'],
	'school.setup': ['attendance_lead', 'headteacher', 'school_admin', 'la_admin'],
	'schools.add': ['la_admin'],
	'directory.manage': ['la_admin']
};

describe('who on the staff side may do what', () => {
	for (const [permission, roles] of Object.entries(EXPECTED) as [Permission, StaffRoleName[]][]) {
		it(permission, () => {
			expect([...rolesWith(permission)].sort()).toEqual([...roles].sort());
			for (const role of STAFF_ROLES) expect(can({ role }, permission), `${role} ${permission}`).toBe(roles.includes(role));
		});
	}

	it('an unknown role may do nothing', () => {
		for (const permission of Object.keys(EXPECTED) as Permission[]) expect(can({ role: 'caretaker' }, permission)).toBe(false);
	});

	it('school staff act for their own school only; the local authority for every school', () => {
		const head = { role: 'headteacher', schoolId: 'school-a' };
		const la = { role: 'la_admin', schoolId: null };
		expect(canForSchool(head, 'calendar.manage', 'school-a')).toBe(true);
		expect(canForSchool(head, 'calendar.manage', 'school-b')).toBe(false);
		expect(canForSchool(la, 'calendar.manage', 'school-b')).toBe(true);
		expect(canForSchool(la, 'leave.decide', 'school-b')).toBe(false);
		expect(canForSchool({ role: 'office', schoolId: 'school-a' }, 'staff.invite', 'school-a')).toBe(false);
	});
});
