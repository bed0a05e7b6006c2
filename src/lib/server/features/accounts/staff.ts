/**
 * Staff sign-in: email + password (argon2id) and a TOTP second factor.
 *
 * - Unknown email, wrong password and disabled account all give the same answer, after the
 *   same work (an unknown email is checked against a dummy hash), so responses do not reveal
 *   which accounts exist.
 * - Attempts are rate-limited per email and per IP (shared counters, see rate-limit.ts), and
 *   TOTP attempts per account.
 * - A TOTP code is accepted for the current 30-second step or one either side, and never twice:
 *   the accepted step is stored and only a later step is accepted next time (atomically).
 * - Sign-ins and failures are written to the audit log with ids only: never a password or code.
 */
import { hash, verify, type Options as Argon2Options } from '@node-rs/argon2';
import { generateHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../platform/db/engine';
import { staffUsers, type StaffUser } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { decryptSecret, encryptSecret } from '../../platform/secrets';
import { consumeRateLimit, resetRateLimit } from '../../platform/rate-limit';

import type { StaffRole } from './access';
import { isLaRole } from '../../../domain/permissions';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. (@node-rs/argon2 defaults to argon2id.) */
const ARGON2_OPTIONS: Argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = 'Every Day';

/** Password attempts: per email address and per client IP, in a 15-minute window. */
export const PASSWORD_LIMIT_PER_EMAIL = 5;
export const PASSWORD_LIMIT_PER_IP = 50;
export const TOTP_LIMIT_PER_ACCOUNT = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

export const MIN_PASSWORD_LENGTH = 12;

export async function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

let dummyHash: Promise<string> | undefined;
/** A hash of nothing anyone knows, so an unknown email costs the same as a known one. */
function getDummyHash(): Promise<string> {
	dummyHash ??= hashPassword(`dummy-${crypto.randomUUID()}`);
	return dummyHash;
}

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

export interface NewStaffUser {
	email: string;
	displayName: string;
	role: StaffRole;
	/** Null only for local-authority admins. */
	schoolId: string | null;
	password: string;
}

export async function createStaffUser(db: Db, input: NewStaffUser): Promise<StaffUser> {
	if (isLaRole(input.role) !== (input.schoolId === null)) {
		throw new Error('The local authority\'s staff have no school; every other member of staff belongs to one.');
	}
	if (input.password.length < MIN_PASSWORD_LENGTH) {
		throw new Error(`Passwords must be at least ${MIN_PASSWORD_LENGTH} characters.`);
	}
	const [row] = await db
		.insert(staffUsers)
		.values({
			email: normaliseEmail(input.email),
			displayName: input.displayName,
			role: input.role,
			schoolId: input.schoolId,
			passwordHash: await hashPassword(input.password)
		})
		.returning();
	return row!;
}

export interface TotpEnrolment {
	key: Uint8Array;
	/** For manual entry in an authenticator app. */
	keyBase32: string;
	/** otpauth:// URI for a QR code. */
	uri: string;
}

/**
 * Gives the account a TOTP key (a fresh random 20-byte key unless one is given), stored
 * encrypted with the app secret. Replaces any previous key and clears the replay marker.
 */
export async function enrolTotp(db: Db, staffUserId: string, key?: Uint8Array): Promise<TotpEnrolment> {
	const secret = key ?? crypto.getRandomValues(new Uint8Array(20));
	const [row] = await db
		.update(staffUsers)
		.set({ totpKeyEncrypted: encryptSecret(secret), totpLastStep: null, updatedAt: new Date() })
		.where(eq(staffUsers.id, staffUserId))
		.returning({ email: staffUsers.email });
	if (!row) throw new Error('No such member of staff');
	return {
		key: secret,
		keyBase32: encodeBase32UpperCaseNoPadding(secret),
		uri: createTOTPKeyURI(TOTP_ISSUER, row.email, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS)
	};
}

export type PasswordResult =
	| { ok: true; staff: StaffUser }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

async function audit(
	db: Db,
	row: { action: string; actorId?: string | null; schoolId?: string | null; ip?: string | null; details?: Record<string, unknown> }
): Promise<void> {
	await writeAudit(db, {
		actorType: 'staff',
		actorId: row.actorId ?? null,
		action: row.action,
		schoolId: row.schoolId ?? null,
		subjectType: row.actorId ? 'staff_user' : null,
		subjectId: row.actorId ?? null,
		details: row.details ?? {},
		ip: row.ip ?? null
	});
}

/** The first step: email and password. The same failure for every reason a sign-in can fail. */
export async function verifyStaffPassword(
	db: Db,
	email: string,
	password: string,
	ip: string | null,
	now: Date = new Date()
): Promise<PasswordResult> {
	const normalised = normaliseEmail(email);
	const [byEmail, byIp] = await Promise.all([
		consumeRateLimit(db, `staff-password:email:${normalised}`, PASSWORD_LIMIT_PER_EMAIL, SIGN_IN_WINDOW_MS, now),
		ip ? consumeRateLimit(db, `staff-password:ip:${ip}`, PASSWORD_LIMIT_PER_IP, SIGN_IN_WINDOW_MS, now) : null
	]);
	if (!byEmail.allowed || (byIp && !byIp.allowed)) {
		const [known] = await db.select({ id: staffUsers.id, schoolId: staffUsers.schoolId }).from(staffUsers)
			.where(eq(sql`lower(${staffUsers.email})`, normalised));
		await audit(db, {
			action: 'staff.sign_in.rate_limited',
			actorId: known?.id,
			schoolId: known?.schoolId,
			ip,
			details: { limit: !byEmail.allowed ? 'email' : 'ip' }
		});
		const retryAfterSeconds = Math.max(byEmail.retryAfterSeconds, byIp?.retryAfterSeconds ?? 0);
		return { ok: false, reason: 'rate_limited', retryAfterSeconds };
	}

	const [staff] = await db.select().from(staffUsers).where(eq(sql`lower(${staffUsers.email})`, normalised));
	const passwordOk = await verifyPassword(staff?.passwordHash ?? (await getDummyHash()), password);
	if (!staff || !passwordOk || staff.disabledAt) {
		await audit(db, {
			action: 'staff.sign_in.password_failed',
			actorId: staff?.id,
			schoolId: staff?.schoolId,
			ip,
			details: { reason: !staff ? 'unknown_account' : !passwordOk ? 'wrong_password' : 'disabled' }
		});
		return { ok: false, reason: 'invalid' };
	}
	return { ok: true, staff };
}

export type TotpResult =
	| { ok: true; staff: StaffUser }
	| { ok: false; reason: 'invalid' | 'not_enrolled' }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/** Accepts "123456", "123 456" or "123-456". */
export function normaliseTotpCode(code: string): string | null {
	const digits = code.replace(/[\s-]/g, '');
	return /^\d{6}$/.test(digits) ? digits : null;
}

/** The TOTP step (if any) among current ±1 for which `code` is right. */
export function matchingTotpStep(key: Uint8Array, code: string, now: Date = new Date()): number | null {
	const current = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
	const given = Buffer.from(code);
	let matched: number | null = null;
	// Check every candidate (no early exit) so timing does not say which step matched.
	for (const step of [current - 1, current, current + 1]) {
		const expected = Buffer.from(generateHOTP(key, BigInt(step), TOTP_DIGITS));
		if (expected.length === given.length && timingSafeEqual(expected, given) && matched === null) matched = step;
	}
	return matched;
}

/** The second step: a 6-digit code from the authenticator app, at most once per step. */
export async function verifyStaffTotp(
	db: Db,
	staffUserId: string,
	code: string,
	ip: string | null = null,
	now: Date = new Date()
): Promise<TotpResult> {
	const [staff] = await db.select().from(staffUsers).where(eq(staffUsers.id, staffUserId));
	if (!staff || staff.disabledAt) return { ok: false, reason: 'invalid' };
	const limitKey = `staff-totp:user:${staff.id}`;
	const limit = await consumeRateLimit(db, limitKey, TOTP_LIMIT_PER_ACCOUNT, SIGN_IN_WINDOW_MS, now);
	if (!limit.allowed) {
		await audit(db, { action: 'staff.sign_in.rate_limited', actorId: staff.id, schoolId: staff.schoolId, ip, details: { limit: 'totp' } });
		return { ok: false, reason: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
	}
	if (!staff.totpKeyEncrypted) return { ok: false, reason: 'not_enrolled' };

	const normalised = normaliseTotpCode(code);
	const step = normalised ? matchingTotpStep(decryptSecret(staff.totpKeyEncrypted), normalised, now) : null;
	let reason: string | null = step === null ? 'wrong_code' : null;
	if (step !== null) {
		// Only a step later than the last one accepted: a replayed (or older) code changes nothing.
		const claimed = await db
			.update(staffUsers)
			.set({ totpLastStep: step })
			.where(and(eq(staffUsers.id, staff.id), or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, step))))
			.returning({ id: staffUsers.id });
		if (claimed.length === 0) reason = 'replayed';
	}
	if (reason) {
		await audit(db, { action: 'staff.sign_in.totp_failed', actorId: staff.id, schoolId: staff.schoolId, ip, details: { reason } });
		return { ok: false, reason: 'invalid' };
	}
	// Having the key proves possession: earlier mistypes no longer count against the account.
	await resetRateLimit(db, limitKey);
	await audit(db, { action: 'staff.sign_in', actorId: staff.id, schoolId: staff.schoolId, ip, details: { role: staff.role } });
	return { ok: true, staff: { ...staff, totpLastStep: step } };
}

/** Audit entry for signing out (one device or everywhere). */
export async function auditStaffSignOut(db: Db, staff: StaffUser, everywhere: boolean, ip: string | null): Promise<void> {
	await audit(db, { action: everywhere ? 'staff.sign_out_everywhere' : 'staff.sign_out', actorId: staff.id, schoolId: staff.schoolId, ip });
}
