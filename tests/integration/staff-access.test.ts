import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { generateTOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { staffUsers, type StaffUser } from '../../src/lib/server/platform/db/schema';
import { resetAppSecretCache } from '../../src/lib/server/platform/secrets';
import { DEMO_SCHOOL, seedDemoData } from '../../src/lib/server/demo/seed';
import { DEMO_SHARED_GUARDIAN, DEMO_STAFF, NORTHGATE_SCHOOL } from '../../src/lib/server/demo/staff';
import {
	canDecideLeave,
	canManageCampaigns,
	canManageDirectory,
	canSeePupils,
	requireSchoolStaff,
	requireStaff,
	staffCanSeePupil,
	staffHomePath
} from '../../src/lib/server/features/accounts/access';
import { verifyStaffPassword, verifyStaffTotp } from '../../src/lib/server/features/accounts/staff';
import { schoolAttendanceSummary } from '../../src/lib/server/features/attendance/school-summary';

process.env.APP_SECRET = Buffer.alloc(32, 9).toString('base64');
resetAppSecretCache();

const TODAY = '2026-11-23';

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (e) {
		return e;
	}
	throw new Error('expected a throw');
}

describe(`staff access: each school sees only its own pupils (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let harbourside: string;
	let northgate: string;
	const staff = new Map<string, StaffUser>();
	let harboursidePupil: string;
	let northgatePupil: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const seeded = await seedDemoData(handle, { today: TODAY });
		harbourside = seeded.schoolId;
		const [ng] = await handle.query<{ id: string }>('select id::text as id from schools where urn = $1', [NORTHGATE_SCHOOL.urn]);
		northgate = ng!.id;
		for (const row of await handle.db.select().from(staffUsers)) staff.set(row.email, row);
		const [hp] = await handle.query<{ id: string }>('select id::text as id from pupils where school_id = $1 limit 1', [harbourside]);
		const [np] = await handle.query<{ id: string }>('select id::text as id from pupils where school_id = $1 limit 1', [northgate]);
		harboursidePupil = hp!.id;
		northgatePupil = np!.id;
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('seeds Northgate Infant School (small, marked) beside Harbourside, and the demo staff', async () => {
		const [counts] = await handle.query<{ pupils: number; marks: number; hpupils: number }>(
			`select (select count(*)::int from pupils where school_id = $1) as pupils,
			        (select count(*)::int from attendance_marks where school_id = $1) as marks,
			        (select count(*)::int from pupils where school_id = $2) as hpupils`,
			[northgate, harbourside]
		);
		expect(counts!.pupils).toBe(13);
		expect(counts!.marks).toBe(13 * 102);
		expect(counts!.hpupils).toBe(203);
		expect([...staff.keys()].sort()).toEqual(DEMO_STAFF.map((s) => s.email).sort());
		expect(staff.get('admin@portsmouth.example.org')).toMatchObject({ role: 'la_admin', schoolId: null });
		expect(staff.get('head@northgate.example.org')).toMatchObject({ role: 'headteacher', schoolId: northgate });
		expect(staff.get('head@harbourside.example.org')).toMatchObject({ role: 'headteacher', schoolId: harbourside });
		// Northgate's families are separate people from Harbourside's, except the one shared guardian.
		const shared = await handle.query<{ guardian: string; schools: number }>(
			`select pg.guardian_id::text as guardian, count(distinct p.school_id)::int as schools
			   from pupil_guardians pg join pupils p on p.id = pg.pupil_id group by pg.guardian_id having count(distinct p.school_id) > 1`
		);
		expect(shared).toHaveLength(1);
		const [g] = await handle.query<{ first_name: string; last_name: string; phone: string }>(
			'select first_name, last_name, phone from guardians where id = $1',
			[shared[0]!.guardian]
		);
		expect(g).toEqual({ first_name: DEMO_SHARED_GUARDIAN.firstName, last_name: DEMO_SHARED_GUARDIAN.lastName, phone: DEMO_SHARED_GUARDIAN.phone });
		const kids = await handle.query<{ first_name: string; school: string }>(
			`select p.first_name, s.slug as school from pupil_guardians pg join pupils p on p.id = pg.pupil_id join schools s on s.id = p.school_id
			  where pg.guardian_id = $1 order by s.slug`,
			[shared[0]!.guardian]
		);
		expect(kids).toEqual(DEMO_SHARED_GUARDIAN.children.map((c) => ({ first_name: c.firstName, school: c.school })).sort((a, b) => a.school.localeCompare(b.school)));
	});

	it('seeding again adds nothing', async () => {
		const again = await seedDemoData(handle, { today: TODAY });
		expect(again).toMatchObject({ created: false, extras: { northgateSchoolId: null, staffCreated: 0 } });
	});

	it('the demo staff can sign in with the published password and TOTP key', async () => {
		const demo = DEMO_STAFF.find((s) => s.email === 'head@northgate.example.org')!;
		const pw = await verifyStaffPassword(handle.db, demo.email, demo.password, '127.0.0.1');
		expect(pw.ok).toBe(true);
		const code = generateTOTP(decodeBase32IgnorePadding(demo.totpKeyBase32), 30, 6);
		expect((await verifyStaffTotp(handle.db, staff.get(demo.email)!.id, code)).ok).toBe(true);
	});

	it('staff of one school cannot see a pupil of the other', async () => {
		const hHead = staff.get('head@harbourside.example.org')!;
		const hOffice = staff.get('office@harbourside.example.org')!;
		const nHead = staff.get('head@northgate.example.org')!;
		expect(await staffCanSeePupil(handle.db, hHead, harboursidePupil)).toBe(true);
		expect(await staffCanSeePupil(handle.db, hOffice, harboursidePupil)).toBe(true);
		expect(await staffCanSeePupil(handle.db, hHead, northgatePupil)).toBe(false);
		expect(await staffCanSeePupil(handle.db, hOffice, northgatePupil)).toBe(false);
		expect(await staffCanSeePupil(handle.db, nHead, northgatePupil)).toBe(true);
		expect(await staffCanSeePupil(handle.db, nHead, harboursidePupil)).toBe(false);
		// Every Northgate pupil, not just one.
		const ng = await handle.query<{ id: string }>('select id::text as id from pupils where school_id = $1', [northgate]);
		for (const p of ng) expect(await staffCanSeePupil(handle.db, hHead, p.id)).toBe(false);
	});

	it('the LA admin sees no pupils at all; nor does a disabled account; junk ids are simply not found', async () => {
		const admin = staff.get('admin@portsmouth.example.org')!;
		expect(await staffCanSeePupil(handle.db, admin, harboursidePupil)).toBe(false);
		expect(await staffCanSeePupil(handle.db, admin, northgatePupil)).toBe(false);
		const hHead = staff.get('head@harbourside.example.org')!;
		expect(await staffCanSeePupil(handle.db, { ...hHead, disabledAt: new Date() }, harboursidePupil)).toBe(false);
		for (const junk of ['', 'x', "1' or '1'='1", '00000000-0000-0000-0000-000000000000', harboursidePupil.toUpperCase() + 'x']) {
			expect(await staffCanSeePupil(handle.db, hHead, junk)).toBe(false);
		}
	});

	it('the school overview summary only holds the school asked for', async () => {
		const summary = await schoolAttendanceSummary(handle, harbourside, { from: '2026-09-01', to: '2026-11-22' });
		const ng = new Set((await handle.query<{ id: string }>('select id::text as id from pupils where school_id = $1', [northgate])).map((r) => r.id));
		expect(summary).toHaveLength(203);
		expect(summary.filter((p) => ng.has(p.pupilId))).toEqual([]);
	});

	it('requireStaff: redirects when signed out or half way, 403 for the wrong role', () => {
		const head = staff.get('head@harbourside.example.org')!;
		const admin = staff.get('admin@portsmouth.example.org')!;
		const out = thrown(() => requireStaff({ staff: null, staffAwaitingSecondFactor: null }));
		expect(isRedirect(out) && out.location).toBe('/staff/sign-in');
		const half = thrown(() => requireStaff({ staff: null, staffAwaitingSecondFactor: head }));
		expect(isRedirect(half) && half.location).toBe('/staff/sign-in/two-factor');
		expect(requireStaff({ staff: head, staffAwaitingSecondFactor: null })).toBe(head);
		expect(requireStaff({ staff: head, staffAwaitingSecondFactor: null }, ['headteacher'])).toBe(head);
		const wrongRole = thrown(() => requireStaff({ staff: head, staffAwaitingSecondFactor: null }, ['la_admin']));
		expect(isHttpError(wrongRole) && wrongRole.status).toBe(403);
		const adminAtSchoolPage = thrown(() => requireSchoolStaff({ staff: admin, staffAwaitingSecondFactor: null }));
		expect(isHttpError(adminAtSchoolPage) && adminAtSchoolPage.status).toBe(403);
		expect(requireSchoolStaff({ staff: head, staffAwaitingSecondFactor: null }).schoolId).toBe(harbourside);
	});

	it('role helpers', () => {
		const role = (r: StaffUser['role']) => ({ role: r });
		expect(canDecideLeave(role('headteacher'))).toBe(true);
		expect(canDecideLeave(role('school_admin'))).toBe(true);
		expect(canDecideLeave(role('office'))).toBe(false);
		expect(canDecideLeave(role('attendance_lead'))).toBe(false);
		expect(canDecideLeave(role('la_admin'))).toBe(false);
		expect(canManageCampaigns(role('attendance_lead'))).toBe(true);
		expect(canManageCampaigns(role('office'))).toBe(false);
		expect(canManageDirectory(role('la_admin'))).toBe(true);
		expect(canManageDirectory(role('headteacher'))).toBe(false);
		expect(canSeePupils(role('la_admin'))).toBe(false);
		expect(canSeePupils(role('office'))).toBe(true);
		expect(staffHomePath(role('la_admin'))).toBe('/admin');
		expect(staffHomePath(role('office'))).toBe('/staff');
	});

	it('a disabled demo account cannot sign in', async () => {
		const office = staff.get('office@harbourside.example.org')!;
		await handle.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, office.id));
		expect(await verifyStaffPassword(handle.db, office.email, 'every-day-demo', '127.0.0.2')).toEqual({ ok: false, reason: 'invalid' });
	});
});

describe(`demo seed on a database seeded before the second school existed (${testEngine})`, () => {
	it('adds Northgate and the staff without touching Harbourside', async () => {
		const handle = await openTestDatabase();
		try {
			await seedDemoData(handle, { today: TODAY });
			await handle.query(`delete from staff_users`);
			await handle.query(`delete from schools where urn = $1`, [NORTHGATE_SCHOOL.urn]);
			const before = await handle.query<{ n: number }>(`select count(*)::int as n from pupils`);
			const again = await seedDemoData(handle, { today: TODAY });
			expect(again.created).toBe(false);
			expect(again.extras).toMatchObject({ northgatePupils: 13, staffCreated: DEMO_STAFF.length });
			const after = await handle.query<{ n: number }>(`select count(*)::int as n from pupils`);
			expect(after[0]!.n).toBe(before[0]!.n + 13);
			const [h] = await handle.query<{ n: number }>(`select count(*)::int as n from schools where urn = $1`, [DEMO_SCHOOL.urn]);
			expect(h!.n).toBe(1);
		} finally {
			await handle.close();
		}
	});
});
