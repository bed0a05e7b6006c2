/**
 * The phone absence line's calls, one row per CallSid: the webhook finds the call it is in, moves
 * it along, and records its outcome. Which school a call is for comes from the number dialled.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { schoolChannels, schools, voiceCalls, type VoiceCall } from '../../platform/db/schema';

export type { VoiceCall };

export interface CallSchool {
	id: string;
	name: string;
	schoolDayEnds: string;
}

/**
 * The school whose line was dialled (its voice number in settings). A deployment with one school
 * and no number set yet answers for that school, so a new line works before settings are filled in.
 */
export async function schoolForVoiceNumber(db: Db, to: string): Promise<CallSchool | null> {
	const columns = { id: schools.id, name: schools.name, schoolDayEnds: schools.schoolDayEnds };
	const [byNumber] = await db.select(columns).from(schoolChannels).innerJoin(schools, eq(schools.id, schoolChannels.schoolId)).where(eq(schoolChannels.voiceNumber, to));
	if (byNumber) return byNumber;
	const only = await db.select(columns).from(schools).orderBy(asc(schools.name)).limit(2);
	return only.length === 1 ? only[0]! : null;
}

/** The call's row, created on its first webhook; a repeated webhook finds the same row. */
export async function openVoiceCall(db: Db, call: { callSid: string; fromNumber: string; schoolId: string | null; guardianId: string | null; now: Date }): Promise<VoiceCall> {
	await db
		.insert(voiceCalls)
		.values({ callSid: call.callSid, fromNumber: call.fromNumber, schoolId: call.schoolId, guardianId: call.guardianId, createdAt: call.now, updatedAt: call.now })
		.onConflictDoNothing({ target: voiceCalls.callSid });
	const [row] = await db.select().from(voiceCalls).where(eq(voiceCalls.callSid, call.callSid));
	return row!;
}

export type VoiceCallChange = Partial<Pick<VoiceCall, 'state' | 'outcome' | 'voicemailReason' | 'reportId' | 'reportReference' | 'recordingSid' | 'recordingUrl' | 'recordingSeconds' | 'recordedAt'>>;

export async function updateVoiceCall(db: Db, callSid: string, change: VoiceCallChange, now: Date): Promise<void> {
	await db.update(voiceCalls).set({ ...change, updatedAt: now }).where(eq(voiceCalls.callSid, callSid));
}

/**
 * Keeps the first recording a call made: Twilio may post the same recording twice, and a second
 * one for the same call is never stored over the first.
 */
export async function recordOnce(db: Db, callSid: string, recording: { sid: string; url: string; seconds: number }, change: VoiceCallChange, now: Date): Promise<void> {
	await db
		.update(voiceCalls)
		.set({ ...change, recordingSid: recording.sid, recordingUrl: recording.url, recordingSeconds: recording.seconds, recordedAt: now, updatedAt: now })
		.where(sql`${voiceCalls.callSid} = ${callSid} and ${voiceCalls.recordingSid} is null`);
}
