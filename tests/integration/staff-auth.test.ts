import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { generateHOTP } from '@oslojs/otp';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { auditLog, schools, staffUsers, type StaffUser } from '../../src/lib/server/platform/db/schema';
import { resetAppSecretCache } from '../../src/lib/server/platform/secrets';
import {
	createStaffUser,
	enrolTotp,
	hashPassword,
	PASSWORD_LIMIT_PER_EMAIL,
	PASSWORD_LIMIT_PER_IP,
	SIGN_IN_WINDOW_MS,
	TOTP_LIMIT_PER_ACCOUNT,
	verifyPassword,
	verifyStaffPassword,
	verifyStaffTotp
} from '../../src/lib/server/features/accounts/staff';
import {
	createSession,
	invalidateAllSessions,
	markSecondFactorVerified,
	sessionIdFromToken,
	STAFF_SESSION_IDLE_MS,
	validateSessionToken
} from '../../src/lib/server/features/accounts/sessions';
import { consumeRateLimit } from '../../src/lib/server/platform/rate-limit';

// A fixed test key for encrypting TOTP keys (never the developer's ./data secret).
process.env.APP_SECRET = Buffer.alloc(32, 7).toString('base64');
resetAppSecretCache();

const PASSWORD = 'correct horse battery staple';
const T0 = new Date('2026-11-23T09:00:10Z');
const stepOf = (d: Date) => Math.floor(d.getTime() / 30_000);
const codeAt = (key: Uint8Array, step: number) => generateHOTP(key, BigInt(step), 6);

describe(`staff sign-in (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let n = 0;

	async function newStaff(role: StaffUser['role'] = 'office'): Promise<StaffUser> {
		n++;
		return createStaffUser(handle.db, {
			email: `Person${n}@School.example.org`,
			displayName: `Person ${n}`,
			role,
			schoolId: role === 'la_admin' ? null : schoolId,
			password: PASSWORD
		});
	}

	async function auditFor(staffId: string | null, action?: string) {
		const rows = await handle.db.select().from(auditLog);
		return rows.filter((r) => (staffId === null || r.actorId === staffId) && (!action || r.action === action));
	}

	beforeAll(async () => {
		handle = await openTestDatabase();
		const [school] = await handle.db.insert(schools).values({ urn: '100001', slug: 'a', name: 'School A' }).returning();
		schoolId = school!.id;
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('hashes passwords with argon2id and verifies them', async () => {
		const h = await hashPassword(PASSWORD);
		expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(h, PASSWORD)).toBe(true);
		expect(await verifyPassword(h, `${PASSWORD}!`)).toBe(false);
		expect(await verifyPassword('not a hash', PASSWORD)).toBe(false);
	});

	it('refuses an LA admin with a school, school staff without one, and short passwords', async () => {
		await expect(createStaffUser(handle.db, { email: 'x1@e.org', displayName: 'X', role: 'la_admin', schoolId, password: PASSWORD })).rejects.toThrow();
		await expect(createStaffUser(handle.db, { email: 'x2@e.org', displayName: 'X', role: 'office', schoolId: null, password: PASSWORD })).rejects.toThrow();
		await expect(createStaffUser(handle.db, { email: 'x3@e.org', displayName: 'X', role: 'office', schoolId, password: 'short' })).rejects.toThrow();
	});

	it('accepts the right password (email case-insensitive) and gives one generic failure for a wrong password or an unknown email', async () => {
		const staff = await newStaff();
		const ok = await verifyStaffPassword(handle.db, staff.email.toUpperCase(), PASSWORD, '10.0.0.1', T0);
		expect(ok).toMatchObject({ ok: true, staff: { id: staff.id } });

		const wrong = await verifyStaffPassword(handle.db, staff.email, 'wrong password!!', '10.0.0.1', T0);
		const unknown = await verifyStaffPassword(handle.db, 'nobody@school.example.org', PASSWORD, '10.0.0.1', T0);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual(wrong);

		const failed = await auditFor(staff.id, 'staff.sign_in.password_failed');
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({ actorType: 'staff', schoolId, ip: '10.0.0.1', details: { reason: 'wrong_password' } });
		const unknownRows = (await auditFor(null, 'staff.sign_in.password_failed')).filter((r) => r.actorId === null);
		expect(unknownRows).toHaveLength(1);
		expect(unknownRows[0]!.details).toEqual({ reason: 'unknown_account' });
		// Neither passwords nor emails are written to the audit log.
		const all = JSON.stringify(await handle.db.select().from(auditLog));
		expect(all).not.toContain(PASSWORD);
		expect(all).not.toContain('wrong password');
		expect(all).not.toContain('nobody@');
	});

	it('does an argon2 verification even for an unknown email (similar time to a wrong password)', async () => {
		const staff = await newStaff();
		const time = async (email: string) => {
			const t = performance.now();
			await verifyStaffPassword(handle.db, email, 'wrong password!!', '10.0.0.2', T0);
			return performance.now() - t;
		};
		await time('warm-up@school.example.org');
		const known = await time(staff.email);
		const unknown = await time('ghost@school.example.org');
		// Both pay for a hash (several ms); an unknown email must not return instantly.
		expect(unknown).toBeGreaterThan(known / 4);
	});

	it('refuses a disabled account with the same generic failure, and its sessions stop working', async () => {
		const staff = await newStaff();
		const session = await createSession(handle.db, { kind: 'staff', staffUserId: staff.id }, T0);
		await handle.db.update(staffUsers).set({ disabledAt: T0 }).where(eq(staffUsers.id, staff.id));
		expect(await verifyStaffPassword(handle.db, staff.email, PASSWORD, '10.0.0.3', T0)).toEqual({ ok: false, reason: 'invalid' });
		expect(await validateSessionToken(handle.db, session.token, T0)).toBeNull();
		expect((await auditFor(staff.id, 'staff.sign_in.password_failed'))[0]!.details).toEqual({ reason: 'disabled' });
		// Nor can it pass the TOTP step.
		expect((await verifyStaffTotp(handle.db, staff.id, '123456', null, T0)).ok).toBe(false);
	});

	it('accepts a TOTP code for the current step or one either side, once only, and logs sign-in', async () => {
		const staff = await newStaff('headteacher');
		const { key, keyBase32, uri } = await enrolTotp(handle.db, staff.id);
		expect(key).toHaveLength(20);
		expect(keyBase32).toMatch(/^[A-Z2-7]{32}$/);
		expect(uri).toContain('otpauth://totp/');
		// The key is stored encrypted, not in the clear.
		const [row] = await handle.db.select().from(staffUsers).where(eq(staffUsers.id, staff.id));
		expect(row!.totpKeyEncrypted).toBeTruthy();
		expect(row!.totpKeyEncrypted).not.toContain(keyBase32);

		const step = stepOf(T0);
		const wrongCode = codeAt(key, step) === '000000' ? '111111' : '000000';
		expect(await verifyStaffTotp(handle.db, staff.id, wrongCode, '10.0.1.1', T0)).toEqual({ ok: false, reason: 'invalid' });
		expect(await verifyStaffTotp(handle.db, staff.id, 'abcdef', '10.0.1.1', T0)).toEqual({ ok: false, reason: 'invalid' });
		// Two steps behind: too old.
		expect((await verifyStaffTotp(handle.db, staff.id, codeAt(key, step - 2), '10.0.1.1', T0)).ok).toBe(false);

		// The previous step's code (clock drift) is accepted...
		const ok = await verifyStaffTotp(handle.db, staff.id, codeAt(key, step - 1), '10.0.1.1', T0);
		expect(ok.ok).toBe(true);
		// ...and then neither it nor anything older, but the current one is.
		expect((await verifyStaffTotp(handle.db, staff.id, codeAt(key, step - 1), '10.0.1.1', T0)).ok).toBe(false);
		const current = codeAt(key, step);
		expect((await verifyStaffTotp(handle.db, staff.id, current.slice(0, 3) + ' ' + current.slice(3), '10.0.1.1', T0)).ok).toBe(true);
		// Replaying the code just used fails, even within its 30 seconds.
		expect(await verifyStaffTotp(handle.db, staff.id, current, '10.0.1.1', new Date(T0.getTime() + 5_000))).toEqual({
			ok: false,
			reason: 'invalid'
		});

		const failures = await auditFor(staff.id, 'staff.sign_in.totp_failed');
		expect(failures.map((f) => f.details.reason)).toEqual(['wrong_code', 'wrong_code', 'wrong_code', 'replayed', 'replayed']);
		const signIns = await auditFor(staff.id, 'staff.sign_in');
		expect(signIns).toHaveLength(2);
		expect(signIns[0]).toMatchObject({ actorType: 'staff', schoolId, ip: '10.0.1.1', details: { role: 'headteacher' } });
		expect(JSON.stringify(failures.concat(signIns))).not.toContain(current);
	});

	it('says when no authenticator is set up', async () => {
		const staff = await newStaff();
		expect(await verifyStaffTotp(handle.db, staff.id, '123456', null, T0)).toEqual({ ok: false, reason: 'not_enrolled' });
	});

	it('session tokens: valid, tampered, expired, second-factor flag and sign-out everywhere', async () => {
		const staff = await newStaff();
		const a = await createSession(handle.db, { kind: 'staff', staffUserId: staff.id }, T0);
		const b = await createSession(handle.db, { kind: 'staff', staffUserId: staff.id }, T0);
		const valid = await validateSessionToken(handle.db, a.token, T0);
		expect(valid).toMatchObject({ kind: 'staff', secondFactorVerified: false, staff: { id: staff.id } });

		await markSecondFactorVerified(handle.db, sessionIdFromToken(a.token));
		expect(await validateSessionToken(handle.db, a.token, T0)).toMatchObject({ secondFactorVerified: true });

		// Tampered: one character changed, truncated, wrong alphabet, the stored hash itself.
		const flipped = a.token.slice(0, -1) + (a.token.endsWith('a') ? 'b' : 'a');
		for (const bad of [flipped, a.token.slice(1), a.token.toUpperCase(), sessionIdFromToken(a.token), '']) {
			expect(await validateSessionToken(handle.db, bad, T0)).toBeNull();
		}
		// Expired after the staff idle time.
		const later = new Date(T0.getTime() + STAFF_SESSION_IDLE_MS + 1000);
		expect(await validateSessionToken(handle.db, b.token, later)).toBeNull();
		// ...and deleted, so it stays expired.
		expect(await validateSessionToken(handle.db, b.token, T0)).toBeNull();

		const c = await createSession(handle.db, { kind: 'staff', staffUserId: staff.id }, T0);
		await invalidateAllSessions(handle.db, { kind: 'staff', staffUserId: staff.id });
		expect(await validateSessionToken(handle.db, a.token, T0)).toBeNull();
		expect(await validateSessionToken(handle.db, c.token, T0)).toBeNull();
	});

	it('rate-limits password attempts per email: even the right password is refused after the limit, until the window ends', async () => {
		const staff = await newStaff();
		for (let i = 0; i < PASSWORD_LIMIT_PER_EMAIL; i++) {
			expect(await verifyStaffPassword(handle.db, staff.email, `wrong password ${i}`, `10.0.2.${i}`, T0)).toEqual({
				ok: false,
				reason: 'invalid'
			});
		}
		const blocked = await verifyStaffPassword(handle.db, staff.email, PASSWORD, '10.0.2.99', T0);
		expect(blocked).toMatchObject({ ok: false, reason: 'rate_limited' });
		expect(blocked.ok === false && blocked.reason === 'rate_limited' && blocked.retryAfterSeconds).toBeGreaterThan(0);
		// An unknown email is limited in exactly the same way (no hint that the account exists).
		for (let i = 0; i < PASSWORD_LIMIT_PER_EMAIL; i++) await verifyStaffPassword(handle.db, 'ghost2@x.org', 'nope nope', `10.0.3.${i}`, T0);
		expect(await verifyStaffPassword(handle.db, 'ghost2@x.org', 'nope nope', '10.0.3.99', T0)).toMatchObject({ reason: 'rate_limited' });

		expect(await auditFor(staff.id, 'staff.sign_in.rate_limited')).toHaveLength(1);
		const afterWindow = new Date(T0.getTime() + SIGN_IN_WINDOW_MS + 1000);
		expect((await verifyStaffPassword(handle.db, staff.email, PASSWORD, '10.0.2.99', afterWindow)).ok).toBe(true);
	});

	it('rate-limits password attempts per IP across emails', async () => {
		const ip = '192.0.2.50';
		for (let i = 0; i < PASSWORD_LIMIT_PER_IP; i++) {
			await consumeRateLimit(handle.db, `staff-password:ip:${ip}`, PASSWORD_LIMIT_PER_IP, SIGN_IN_WINDOW_MS, T0);
		}
		const staff = await newStaff();
		expect(await verifyStaffPassword(handle.db, staff.email, PASSWORD, ip, T0)).toMatchObject({ ok: false, reason: 'rate_limited' });
		expect((await verifyStaffPassword(handle.db, staff.email, PASSWORD, '192.0.2.51', T0)).ok).toBe(true);
	});

	it('rate-limits TOTP attempts per account: the right code is refused after the limit', async () => {
		const staff = await newStaff();
		const { key } = await enrolTotp(handle.db, staff.id);
		const step = stepOf(T0);
		const right = codeAt(key, step);
		const wrong = right === '999999' ? '888888' : '999999';
		for (let i = 0; i < TOTP_LIMIT_PER_ACCOUNT; i++) expect((await verifyStaffTotp(handle.db, staff.id, wrong, null, T0)).ok).toBe(false);
		expect(await verifyStaffTotp(handle.db, staff.id, right, null, T0)).toMatchObject({ ok: false, reason: 'rate_limited' });
	});

	it('the shared rate limiter counts atomically under concurrency', async () => {
		const results = await Promise.all(
			Array.from({ length: 20 }, () => consumeRateLimit(handle.db, 'test:concurrent', 7, 60_000, T0))
		);
		expect(results.filter((r) => r.allowed)).toHaveLength(7);
		expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds > 0 && r.retryAfterSeconds <= 60)).toBe(true);
		expect((await consumeRateLimit(handle.db, 'test:concurrent', 7, 60_000, new Date(T0.getTime() + 60_000))).allowed).toBe(true);
	});
});
