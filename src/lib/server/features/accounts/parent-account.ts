/** A parent's account page: what it shows and what it does, each change audited. */
import { count, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { telegramAccounts } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { takeLimit } from '../../platform/limits';
import { invalidateAllSessions, invalidateSession } from './sessions';
import { createTelegramLinkToken } from './telegram-linking';

export async function hasLinkedTelegram(db: Db, guardianId: string): Promise<boolean> {
	const [linked] = await db.select({ n: count() }).from(telegramAccounts).where(eq(telegramAccounts.guardianId, guardianId));
	return Number(linked?.n ?? 0) > 0;
}

/** Ends this session (and records it when a parent was signed in). */
export async function signOutGuardian(db: Db, opts: { sessionId: string | null; guardianId: string | null; ip: string | null }): Promise<void> {
	if (opts.sessionId) await invalidateSession(db, opts.sessionId);
	if (opts.guardianId) await writeAudit(db, { actorType: 'guardian', actorId: opts.guardianId, action: 'guardian.sign_out', ip: opts.ip });
}

/** Ends every session the parent has, on every device. */
export async function signOutGuardianEverywhere(db: Db, guardianId: string, ip: string | null): Promise<void> {
	await invalidateAllSessions(db, { kind: 'guardian', guardianId });
	await writeAudit(db, { actorType: 'guardian', actorId: guardianId, action: 'guardian.sign_out_everywhere', ip });
}

/** A one-time Telegram link code, within the parent's hourly allowance. */
export async function startTelegramLink(
	db: Db,
	guardianId: string
): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; retryAfterSeconds: number }> {
	const limit = await takeLimit(db, 'telegramLinkCodesPerGuardian', guardianId);
	if (!limit.allowed) return { ok: false, retryAfterSeconds: limit.retryAfterSeconds };
	const { token, expiresAt } = await createTelegramLinkToken(db, guardianId);
	return { ok: true, token, expiresAt };
}

/** Recorded whenever a parent downloads their data. */
export async function recordDataExport(db: Db, guardianId: string, ip: string | null): Promise<void> {
	await writeAudit(db, { actorType: 'guardian', actorId: guardianId, action: 'guardian.data_exported', ip });
}
