/**
 * At start: do the configured keys open what this database already holds? A wrong or rotated
 * APP_SECRET otherwise shows up only when a member of staff cannot finish two-factor sign-in, or
 * a piece of evidence cannot be shown, while /health says all is well.
 *
 * Rotation: set the new key as APP_SECRET and the old one as APP_SECRET_PREVIOUS (or
 * EVIDENCE_KEY / EVIDENCE_KEY_PREVIOUS). Here every staff two-factor key that only the previous
 * key opens is re-encrypted with the new one; evidence files keep opening with the previous key
 * until they are deleted by the retention job, after which the previous key can be unset.
 */
import { desc, eq, isNotNull, and, isNull } from 'drizzle-orm';
import type { DatabaseHandle } from '../platform/db/engine';
import { leaveEvidence, leaveRequests, staffUsers } from '../platform/db/schema';
import { appSecret, decryptSecret, encryptSecret, previousAppSecret } from '../platform/secrets';
import { decryptEvidence } from '../features/leave';
import type { EvidenceStore } from '../providers/evidence-storage';

export interface SecretCheck {
	/** Problems that mean the app must not start. */
	errors: string[];
	/** Staff two-factor keys moved from the previous key to the current one. */
	reencrypted: number;
}

export async function checkSecretsAgainstData(handle: DatabaseHandle, store: EvidenceStore): Promise<SecretCheck> {
	const errors: string[] = [];
	let reencrypted = 0;
	const current = appSecret();
	const previous = previousAppSecret();

	const keys = await handle.db
		.select({ id: staffUsers.id, encrypted: staffUsers.totpKeyEncrypted })
		.from(staffUsers)
		.where(isNotNull(staffUsers.totpKeyEncrypted));
	let unreadable = 0;
	for (const row of keys) {
		try {
			decryptSecret(row.encrypted!, current);
			continue;
		} catch {
			// not the current key
		}
		if (previous) {
			try {
				const plain = decryptSecret(row.encrypted!, previous);
				await handle.db.update(staffUsers).set({ totpKeyEncrypted: encryptSecret(plain, current) }).where(eq(staffUsers.id, row.id));
				reencrypted++;
				continue;
			} catch {
				// neither key
			}
		}
		unreadable++;
	}
	// One damaged row should not stop a school's service; every row failing means the key changed.
	if (keys.length > 0 && unreadable === keys.length) {
		errors.push(
			`APP_SECRET does not open any of the ${keys.length} staff two-factor keys in this database: it is not the key they were saved with. ` +
				'Restore the previous APP_SECRET, or, to rotate it, set the old value as APP_SECRET_PREVIOUS for one start.'
		);
	}

	// The newest evidence file still held: if no key opens it, none of the older ones open either.
	const [latest] = await handle.db
		.select({ storageKey: leaveEvidence.storageKey })
		.from(leaveEvidence)
		// Only files the retention job has not deleted yet.
		.innerJoin(leaveRequests, eq(leaveRequests.id, leaveEvidence.requestId))
		.where(and(isNotNull(leaveEvidence.storageKey), isNull(leaveRequests.evidenceDeletedAt)))
		.orderBy(desc(leaveEvidence.uploadedAt))
		.limit(1);
	if (latest?.storageKey) {
		let blob: Uint8Array | null = null;
		try {
			blob = await store.get(latest.storageKey);
		} catch {
			// A missing file is the evidence store's problem, reported when it is read; not a key problem.
		}
		if (blob) {
			try {
				decryptEvidence(blob, latest.storageKey);
			} catch {
				errors.push(
					'The evidence key (EVIDENCE_KEY, or derived from APP_SECRET) does not open the stored evidence files. ' +
						'Restore the previous key, or set it as EVIDENCE_KEY_PREVIOUS (APP_SECRET_PREVIOUS when EVIDENCE_KEY is not set) while the old files are kept.'
				);
			}
		}
	}
	return { errors, reencrypted };
}
