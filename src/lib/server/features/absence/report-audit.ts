import { writeAudit } from '../../platform/audit';
import type { Db } from '../../platform/db/engine';

/** What happened to a report, in the audit log: who did it, to which report, with ids and counts only. */
export function auditReport(
	tx: Db,
	entry: { actor: 'guardian' | 'staff'; actorId: string; action: 'submitted' | 'reported_again' | 'withdrawn' | 'amended' | 'acknowledged' | 'ended' | 'extended'; report: { id: string; schoolId: string }; details?: Record<string, unknown>; at: Date }
): Promise<void> {
	return writeAudit(tx, {
		actorType: entry.actor,
		actorId: entry.actorId,
		action: `absence_report.${entry.action}`,
		schoolId: entry.report.schoolId,
		subjectType: 'absence_report',
		subjectId: entry.report.id,
		...(entry.details ? { details: entry.details } : {}),
		at: entry.at
	});
}
