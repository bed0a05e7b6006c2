/**
 * Scheduled evidence work (run by scheduler.ts every minute, on every instance):
 *
 * - retention: documents of decided or withdrawn requests are deleted
 *   EVIDENCE_RETENTION_DAYS (default 365) after the leave's last day, from the store and the
 *   database, with an audit entry; the request keeps the date so its page can say so.
 * - files uploaded before the evidence store existed are moved out of the database into it.
 * - once an hour, stored files that no row names (an upload whose row was never written because
 *   the process died in between) are deleted once they are an hour old.
 *
 * Both are safe to run on several instances at once: the store's delete is idempotent, and the
 * database step is a conditional delete/update whose "returning" decides who writes the audit.
 */
import { and, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { FINISHED_LEAVE_STATUSES, latestExpiredLastDay } from '../../../domain/evidence-retention';
import { config, type EvidenceConfig } from '../../platform/config';
import { writeAudit } from '../../platform/audit';
import type { DatabaseHandle } from '../../platform/db/engine';
import { leaveEvidence, leaveRequests } from '../../platform/db/schema';
import { decryptLegacyEvidence, encryptEvidence } from './evidence';
import { evidenceStore, newStorageKey, type EvidenceStore } from '../../providers/evidence-storage';
import { log } from '../../platform/log';

/** EVIDENCE_RETENTION_DAYS (default 365). */
export const evidenceRetentionDays = (evidence: EvidenceConfig = config().evidence) => evidence.retentionDays;

/** Deletes due documents (up to `limit` a run) and returns how many were deleted. */
export async function deleteExpiredEvidence(
	handle: DatabaseHandle,
	opts: { now?: Date; store?: EvidenceStore; retentionDays?: number; limit?: number } = {}
): Promise<number> {
	const now = opts.now ?? new Date();
	const store = opts.store ?? evidenceStore();
	const days = opts.retentionDays ?? evidenceRetentionDays();
	// Calendar dates in England; a few hours either side of midnight UTC makes no difference to a year.
	const today = now.toISOString().slice(0, 10);
	const due = await handle.db
		.select({ id: leaveEvidence.id, storageKey: leaveEvidence.storageKey, requestId: leaveEvidence.requestId, schoolId: leaveRequests.schoolId, endsOn: leaveRequests.endsOn })
		.from(leaveEvidence)
		.innerJoin(leaveRequests, eq(leaveRequests.id, leaveEvidence.requestId))
		.where(and(inArray(leaveRequests.status, [...FINISHED_LEAVE_STATUSES]), lte(leaveRequests.endsOn, latestExpiredLastDay(today, days))))
		.limit(opts.limit ?? 50);
	let deleted = 0;
	for (const file of due) {
		// The stored file goes first: if that fails the row stays and the next run tries again,
		// so a row never outlives the policy while pointing at a file that is still there.
		if (file.storageKey) {
			try {
				await store.delete(file.storageKey);
			} catch (err) {
				log('error', 'evidence.retention_delete_failed', { evidenceId: file.id, store: store.kind, error: err });
				continue;
			}
		}
		const done = await handle.db.transaction(async (tx) => {
			const gone = await tx.delete(leaveEvidence).where(eq(leaveEvidence.id, file.id)).returning({ id: leaveEvidence.id });
			if (gone.length === 0) return false; // another instance got there first
			await tx.update(leaveRequests).set({ evidenceDeletedAt: sql`coalesce(${leaveRequests.evidenceDeletedAt}, ${now.toISOString()}::timestamptz)` }).where(eq(leaveRequests.id, file.requestId));
			await writeAudit(tx, {
				actorType: 'system',
				action: 'leave.evidence_deleted',
				schoolId: file.schoolId,
				subjectType: 'leave_evidence',
				subjectId: file.id,
				details: { reason: 'retention', retentionDays: days, lastDayOfLeave: file.endsOn, requestId: file.requestId },
				at: now
			});
			return true;
		});
		if (done) deleted++;
	}
	return deleted;
}

/** Moves files kept in the database (before the evidence store) into the store; returns how many. */
export async function moveLegacyEvidence(handle: DatabaseHandle, opts: { store?: EvidenceStore; limit?: number } = {}): Promise<number> {
	const store = opts.store ?? evidenceStore();
	const rows = await handle.db
		.select({ id: leaveEvidence.id, encrypted: leaveEvidence.encrypted })
		.from(leaveEvidence)
		.where(and(isNull(leaveEvidence.storageKey), isNotNull(leaveEvidence.encrypted)))
		.limit(opts.limit ?? 20);
	let moved = 0;
	for (const row of rows) {
		const storageKey = newStorageKey();
		await store.put(storageKey, encryptEvidence(decryptLegacyEvidence(row.encrypted!), storageKey));
		const updated = await handle.db
			.update(leaveEvidence)
			.set({ storageKey, encrypted: null })
			.where(and(eq(leaveEvidence.id, row.id), isNull(leaveEvidence.storageKey)))
			.returning({ id: leaveEvidence.id });
		if (updated.length) moved++;
		else await store.delete(storageKey); // another instance moved it (or it was deleted) meanwhile
	}
	return moved;
}

/** Deletes stored files no evidence row names that are older than `minAgeMs`; returns how many. */
export async function sweepOrphanEvidence(handle: DatabaseHandle, opts: { store?: EvidenceStore; now?: Date; minAgeMs?: number } = {}): Promise<number> {
	const store = opts.store ?? evidenceStore();
	const now = opts.now ?? new Date();
	// Old enough that no upload can still be between writing the file and writing its row.
	const cutoff = now.getTime() - (opts.minAgeMs ?? 60 * 60 * 1000);
	const old = (await store.list()).filter((o) => o.modifiedAt.getTime() < cutoff).map((o) => o.key);
	let deleted = 0;
	for (let i = 0; i < old.length; i += 500) {
		const batch = old.slice(i, i + 500);
		const known = new Set(
			(await handle.db.select({ key: leaveEvidence.storageKey }).from(leaveEvidence).where(inArray(leaveEvidence.storageKey, batch))).map((r) => r.key)
		);
		for (const key of batch) {
			if (known.has(key)) continue;
			await store.delete(key);
			deleted++;
		}
	}
	if (deleted) log('warn', 'evidence.orphans_deleted', { store: store.kind, count: deleted });
	return deleted;
}
