import { describe, expect, it } from 'vitest';
import { STAFF_ROLES, can, canForSchool, rolesWith, type Permission, type StaffRoleName } from '../../src/lib/domain/permissions';

// The whole table, written out by role (the module lists it by permission): a change to who may
// do what shows here as a failing line.
const BY_ROLE: Record<StaffRoleName, Permission[]> = {
	office: ['register.handle', 'calendar.manage'],
	attendance_lead: ['register.handle', 'campaigns.manage', 'settings.manage', 'calendar.manage', 'school.setup', 'la.refer', 'graduated.manage'],
	headteacher: ['register.handle', 'leave.decide', 'campaigns.manage', 'settings.manage', 'mis-tokens.manage', 'staff.invite', 'calendar.manage', 'school.setup', 'la.refer', 'graduated.manage'],
	school_admin: ['register.handle', 'leave.decide', 'campaigns.manage', 'settings.manage', 'staff.invite', 'calendar.manage', 'school.setup', 'graduated.manage'],
	la_admin: ['staff.invite', 'calendar.manage', 'school.setup', 'schools.add', 'directory.manage'],
	la_officer: ['la.attendance']
};
const PERMISSIONS = [...new Set(Object.values(BY_ROLE).flat())];
const EXPECTED = Object.fromEntries(PERMISSIONS.map((p) => [p, STAFF_ROLES.filter((r) => BY_ROLE[r].includes(p))])) as Record<Permission, StaffRoleName[]>;

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
