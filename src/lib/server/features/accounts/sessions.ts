/**
 * Sessions in the Lucia pattern (https://lucia-auth.com/sessions/basic), on @oslojs:
 * a random token goes in an HttpOnly cookie; the database keeps only its SHA-256, so neither a
 * leaked table nor a timing difference gives a usable token. Expiry is by inactivity: parents
 * stay signed in for weeks on their own phone, staff for a working session.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import { timingSafeEqual } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../../platform/db/engine';
import { perDatabase } from '../../platform/db/prepared';
import { authSessions, guardians, staffUsers, type Guardian, type StaffUser } from '../../platform/db/schema';

export const SESSION_COOKIE = 'everyday_session';
/** Parents: 30 days since last use. */
export const GUARDIAN_SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** Staff: 8 hours since last use (a shared office PC must not stay signed in overnight). */
export const STAFF_SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** Refresh last-use at most this often, so every request does not write. */
const TOUCH_AFTER_MS = 5 * 60 * 1000;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export type SessionSubject = { kind: 'guardian'; guardianId: string } | { kind: 'staff'; staffUserId: string };

export interface CreatedSession {
	token: string;
	expiresAt: Date;
}

export async function createSession(db: Db, subject: SessionSubject, now = new Date()): Promise<CreatedSession> {
	const token = generateSessionToken();
	const idle = subject.kind === 'guardian' ? GUARDIAN_SESSION_IDLE_MS : STAFF_SESSION_IDLE_MS;
	const expiresAt = new Date(now.getTime() + idle);
	await db.insert(authSessions).values({
		id: sessionIdFromToken(token),
		guardianId: subject.kind === 'guardian' ? subject.guardianId : null,
		staffUserId: subject.kind === 'staff' ? subject.staffUserId : null,
		secondFactorVerified: false,
		createdAt: now,
		lastActiveAt: now,
		expiresAt
	});
	return { token, expiresAt };
}

export type ValidatedSession =
	| { kind: 'guardian'; sessionId: string; expiresAt: Date; guardian: Guardian }
	| { kind: 'staff'; sessionId: string; expiresAt: Date; secondFactorVerified: boolean; staff: StaffUser };

/**
 * The session and the person it is for, built once per database handle as a prepared statement:
 * every signed-in request asks, and at the morning peak building the query each time was a
 * visible part of a report's cost.
 */
const sessionLookup = perDatabase((db: Db) =>
	db
		.select({ row: authSessions, guardian: guardians, staff: staffUsers })
		.from(authSessions)
		.leftJoin(guardians, eq(guardians.id, authSessions.guardianId))
		.leftJoin(staffUsers, eq(staffUsers.id, authSessions.staffUserId))
		.where(eq(authSessions.id, sql.placeholder('id')))
		.prepare('auth_session_by_id')
);

/** Tokens are base32 (a–z, 2–7), 32 characters; anything else is rejected before touching the database. */
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export async function validateSessionToken(db: Db, token: string, now = new Date()): Promise<ValidatedSession | null> {
	if (!TOKEN_SHAPE.test(token)) return null;
	const id = sessionIdFromToken(token);
	// The session and the person it is for in one round trip.
	const [found] = await sessionLookup(db).execute({ id });
	if (!found) return null;
	const { row, guardian, staff } = found;
	// The lookup is by hash, so the row's id already matches; compare again in constant time as
	// defence in depth against an index or collation surprise.
	if (!timingSafeEqual(Buffer.from(row.id), Buffer.from(id))) return null;
	if (row.expiresAt.getTime() <= now.getTime()) {
		await db.delete(authSessions).where(eq(authSessions.id, id));
		return null;
	}
	const idle = row.guardianId ? GUARDIAN_SESSION_IDLE_MS : STAFF_SESSION_IDLE_MS;
	let expiresAt = row.expiresAt;
	if (now.getTime() - row.lastActiveAt.getTime() >= TOUCH_AFTER_MS) {
		expiresAt = new Date(now.getTime() + idle);
		await db.update(authSessions).set({ lastActiveAt: now, expiresAt }).where(eq(authSessions.id, id));
	}
	if (row.guardianId) return guardian ? { kind: 'guardian', sessionId: id, expiresAt, guardian } : null;
	if (row.staffUserId) {
		if (!staff || staff.disabledAt) return null;
		return { kind: 'staff', sessionId: id, expiresAt, secondFactorVerified: row.secondFactorVerified, staff };
	}
	return null;
}

export async function markSecondFactorVerified(db: Db, sessionId: string): Promise<void> {
	await db.update(authSessions).set({ secondFactorVerified: true }).where(eq(authSessions.id, sessionId));
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(authSessions).where(eq(authSessions.id, sessionId));
}

/** "Sign out everywhere": every session of this person, on every device. */
export async function invalidateAllSessions(db: Db, subject: SessionSubject): Promise<void> {
	await db
		.delete(authSessions)
		.where(
			subject.kind === 'guardian'
				? eq(authSessions.guardianId, subject.guardianId)
				: eq(authSessions.staffUserId, subject.staffUserId)
		);
}

type CookieJar = Pick<Cookies, 'set' | 'delete'>;

/** Secure except over plain http on localhost (development and the e2e tests). */
export function setSessionCookie(cookies: CookieJar, token: string, expiresAt: Date, secure: boolean): void {
	cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
}

export function deleteSessionCookie(cookies: CookieJar, secure: boolean): void {
	cookies.delete(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
