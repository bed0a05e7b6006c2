/**
 * A school's MIS API token: a bearer secret the school's MIS uses to push marks to
 * /api/mis/marks. Only its SHA-256 is stored (schools.mis_api_token_hash), so a database leak
 * does not hand out working tokens; the token is shown once, when created.
 *
 * The token carries 256 random bits, so a plain (unsalted, fast) SHA-256 is enough: there is
 * nothing to brute-force. The lookup is by hash, which also means timing differences in the
 * index search reveal only hash prefixes of guesses, never anything about the real token; the
 * final comparison is constant-time regardless.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { DatabaseHandle } from '../../platform/db/engine';
import { schools } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';

/** Prefix so a leaked token is recognisable (secret scanners, logs) and obviously ours. */
const TOKEN_PREFIX = 'edm_';
const TOKEN_RE = /^edm_[A-Za-z0-9_-]{43}$/;

export interface MisTokenSchool {
	schoolId: string;
	slug: string;
}

export function hashMisApiToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Creates (or replaces) the school's token and returns it; the previous token stops working.
 * The caller shows it once — it cannot be recovered later.
 */
export async function createMisApiToken(
	handle: DatabaseHandle,
	schoolId: string,
	createdBy = 'system'
): Promise<string> {
	const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
	const updated = await handle.db
		.update(schools)
		.set({ misApiTokenHash: hashMisApiToken(token), misApiTokenCreatedAt: new Date(), misApiTokenLastUsedAt: null, updatedAt: new Date() })
		.where(eq(schools.id, schoolId))
		.returning({ id: schools.id });
	if (updated.length === 0) throw new Error(`No school with id ${schoolId}`);
	await writeAudit(handle.db, {
		actorType: createdBy === 'system' ? 'system' : 'staff',
		actorId: createdBy,
		action: 'mis_token.create',
		schoolId,
		subjectType: 'school',
		subjectId: schoolId
	});
	return token;
}

export async function revokeMisApiToken(handle: DatabaseHandle, schoolId: string, revokedBy = 'system'): Promise<void> {
	await handle.db
		.update(schools)
		.set({ misApiTokenHash: null, misApiTokenCreatedAt: null, misApiTokenLastUsedAt: null, updatedAt: new Date() })
		.where(eq(schools.id, schoolId));
	await writeAudit(handle.db, {
		actorType: revokedBy === 'system' ? 'system' : 'staff',
		actorId: revokedBy,
		action: 'mis_token.revoke',
		schoolId,
		subjectType: 'school',
		subjectId: schoolId
	});
}

/** The school a token belongs to, or null for a missing, malformed, wrong or revoked token. */
export async function verifyMisApiToken(
	handle: DatabaseHandle,
	token: string | null | undefined
): Promise<MisTokenSchool | null> {
	if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
	const hash = hashMisApiToken(token);
	const [row] = await handle.db
		.select({ id: schools.id, slug: schools.slug, hash: schools.misApiTokenHash })
		.from(schools)
		.where(eq(schools.misApiTokenHash, hash))
		.limit(1);
	if (!row?.hash) return null;
	const stored = Buffer.from(row.hash, 'hex');
	const given = Buffer.from(hash, 'hex');
	if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
	// At most one write a minute however often the MIS calls: enough to show staff the link works.
	const now = new Date();
	await handle.db
		.update(schools)
		.set({ misApiTokenLastUsedAt: now })
		.where(and(eq(schools.id, row.id), or(isNull(schools.misApiTokenLastUsedAt), lt(schools.misApiTokenLastUsedAt, new Date(now.getTime() - 60_000)))));
	return { schoolId: row.id, slug: row.slug };
}

/** The token from an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
	if (!authorization) return null;
	const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
	return m ? m[1]! : null;
}

export interface MisTokenStatus {
	active: boolean;
	createdAt: Date | null;
	lastUsedAt: Date | null;
}

/** Whether the school has a token, when it was made and when the MIS last used it (never the token). */
export async function misApiTokenStatus(handle: DatabaseHandle, schoolId: string): Promise<MisTokenStatus> {
	const [row] = await handle.db
		.select({ hash: schools.misApiTokenHash, createdAt: schools.misApiTokenCreatedAt, lastUsedAt: schools.misApiTokenLastUsedAt })
		.from(schools)
		.where(eq(schools.id, schoolId));
	return { active: Boolean(row?.hash), createdAt: row?.createdAt ?? null, lastUsedAt: row?.lastUsedAt ?? null };
}
