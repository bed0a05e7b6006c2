/** Writes one audit_log row. Details carry ids and outcomes only, never personal data. */
import type { Db } from './db/engine';
import { auditLog } from './db/schema';

export interface AuditEntry {
	actorType: 'guardian' | 'staff' | 'system' | 'mis';
	actorId?: string | null;
	action: string;
	schoolId?: string | null;
	subjectType?: string | null;
	subjectId?: string | null;
	details?: Record<string, unknown>;
	ip?: string | null;
	at?: Date;
}

export async function writeAudit(db: Db, entry: AuditEntry): Promise<void> {
	await db.insert(auditLog).values({
		actorType: entry.actorType,
		actorId: entry.actorId ?? null,
		action: entry.action,
		schoolId: entry.schoolId ?? null,
		subjectType: entry.subjectType ?? null,
		subjectId: entry.subjectId ?? null,
		details: entry.details ?? {},
		ip: entry.ip ?? null,
		...(entry.at ? { at: entry.at } : {})
	});
}
