/** Writes one audit_log row. Details carry ids and outcomes only, never personal data. */
import { and, asc, desc, eq } from 'drizzle-orm';
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

/** The audit rows about one subject, oldest first: a record's history as staff see it (a meeting's invitations, replies...). */
export async function auditTrail(db: Db, subjectType: string, subjectId: string): Promise<{ at: Date; action: string; actorId: string | null; details: Record<string, unknown> }[]> {
	return db
		.select({ at: auditLog.at, action: auditLog.action, actorId: auditLog.actorId, details: auditLog.details })
		.from(auditLog)
		.where(and(eq(auditLog.subjectType, subjectType), eq(auditLog.subjectId, subjectId)))
		.orderBy(asc(auditLog.at), asc(auditLog.id));
}

/** Who last did `action` to a subject (the newest entry's actor), e.g. the member of staff who sent an invitation. */
export async function lastActorOf(db: Db, subjectType: string, subjectId: string, action: string): Promise<string | null> {
	const [row] = await db
		.select({ actorId: auditLog.actorId })
		.from(auditLog)
		.where(and(eq(auditLog.subjectType, subjectType), eq(auditLog.subjectId, subjectId), eq(auditLog.action, action)))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(1);
	return row?.actorId ?? null;
}
