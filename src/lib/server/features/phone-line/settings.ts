/** The school's phone absence line number (settings): a call to it is answered for this school. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { writeAudit } from '../../platform/audit';
import { schoolChannels } from '../../platform/db/schema';
import { normalisePhone } from '../accounts';

export async function schoolVoiceNumber(db: Db, schoolId: string): Promise<string | null> {
	const [row] = await db.select({ voiceNumber: schoolChannels.voiceNumber }).from(schoolChannels).where(eq(schoolChannels.schoolId, schoolId));
	return row?.voiceNumber ?? null;
}

export type VoiceNumberResult = { ok: true; voiceNumber: string | null } | { ok: false; code: 'phone' | 'taken' };

/** Sets (or, when empty, clears) the number; one school per number (audited). */
export async function setSchoolVoiceNumber(db: Db, staff: { id: string; schoolId: string }, input: string): Promise<VoiceNumberResult> {
	const raw = input.trim().slice(0, 40);
	const voiceNumber = raw === '' ? null : normalisePhone(raw);
	if (raw !== '' && !voiceNumber) return { ok: false, code: 'phone' };
	if (voiceNumber) {
		const [other] = await db.select({ schoolId: schoolChannels.schoolId }).from(schoolChannels).where(eq(schoolChannels.voiceNumber, voiceNumber));
		if (other && other.schoolId !== staff.schoolId) return { ok: false, code: 'taken' };
	}
	await db
		.insert(schoolChannels)
		.values({ schoolId: staff.schoolId, voiceNumber })
		.onConflictDoUpdate({ target: schoolChannels.schoolId, set: { voiceNumber, updatedAt: new Date() } });
	await writeAudit(db, { actorType: 'staff', actorId: staff.id, action: 'school.voice_number_changed', schoolId: staff.schoolId, subjectType: 'school', subjectId: staff.schoolId });
	return { ok: true, voiceNumber };
}
