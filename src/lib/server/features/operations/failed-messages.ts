/** Messages that could not be delivered, as a school's staff see them, and putting one back in the queue (audited). */
import type { Db } from '../../platform/db/engine';
import { writeAudit } from '../../platform/audit';
import { deadLetters, retryDeadLetter } from '../../platform/outbox';

export { deadLetters };

export async function retryFailedMessage(db: Db, staff: { id: string; schoolId: string }, messageId: string): Promise<boolean> {
	if (!(await retryDeadLetter(db, staff.schoolId, messageId))) return false;
	await writeAudit(db, { actorType: 'staff', actorId: staff.id, action: 'outbox.retried', schoolId: staff.schoolId, subjectType: 'outbound_message', subjectId: messageId });
	return true;
}
