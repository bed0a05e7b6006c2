/**
 * Recordings from the phone line on the staff board, "voicemail to listen to": messages for the
 * office (unknown callers, a parent who asked for a person, a call the line could not follow) and
 * what a parent added after reporting. Staff play them through the app and mark them handled.
 */
import { and, asc, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { writeAudit } from '../../platform/audit';
import { guardians, voiceCalls } from '../../platform/db/schema';
import { devToolsEnabled } from '../../platform/config';
import { fetchTwilioRecording, twilioConfig, type TwilioConfig } from '../../providers/twilio';

export interface Voicemail {
	callSid: string;
	fromNumber: string;
	/** The caller, when their number is a guardian's. */
	callerName: string | null;
	/** The report the call made, when the recording came after one. */
	reportReference: string | null;
	reason: string | null;
	seconds: number;
	recordedAt: Date;
}

const CALL_SID = /^CA[0-9a-f]{32}$/i;

/** A school's recordings nobody has marked handled yet, oldest first (the order they were left in). */
export async function voicemailsToListenTo(db: Db, schoolId: string): Promise<Voicemail[]> {
	const rows = await db
		.select({
			callSid: voiceCalls.callSid,
			fromNumber: voiceCalls.fromNumber,
			firstName: guardians.firstName,
			lastName: guardians.lastName,
			reportReference: voiceCalls.reportReference,
			reason: voiceCalls.voicemailReason,
			seconds: voiceCalls.recordingSeconds,
			recordedAt: voiceCalls.recordedAt
		})
		.from(voiceCalls)
		.leftJoin(guardians, eq(guardians.id, voiceCalls.guardianId))
		.where(and(eq(voiceCalls.schoolId, schoolId), isNotNull(voiceCalls.recordedAt), isNull(voiceCalls.handledAt)))
		.orderBy(asc(voiceCalls.recordedAt))
		.limit(200);
	return rows.map((r) => ({
		callSid: r.callSid,
		fromNumber: r.fromNumber,
		callerName: r.firstName ? `${r.firstName} ${r.lastName ?? ''}`.trim() : null,
		reportReference: r.reportReference,
		reason: r.reason,
		seconds: r.seconds ?? 0,
		recordedAt: r.recordedAt!
	}));
}

/** Changes when a recording arrives or is marked handled (joined to the board's fingerprint, so the open board updates). */
export async function voicemailFingerprint(db: Db, schoolId: string): Promise<string> {
	const [row] = await db
		.select({ at: voiceCalls.updatedAt })
		.from(voiceCalls)
		.where(and(eq(voiceCalls.schoolId, schoolId), isNotNull(voiceCalls.recordedAt)))
		.orderBy(desc(voiceCalls.updatedAt))
		.limit(1);
	return row ? `vm${row.at.getTime()}` : 'vm0';
}

/** A member of staff has dealt with a recording: it leaves the board (audited). */
export async function markVoicemailHandled(db: Db, staff: { id: string; schoolId: string }, callSid: string, now: Date = new Date()): Promise<boolean> {
	if (!CALL_SID.test(callSid)) return false;
	const rows = await db
		.update(voiceCalls)
		.set({ handledAt: now, handledBy: staff.id, updatedAt: now })
		.where(and(eq(voiceCalls.callSid, callSid), eq(voiceCalls.schoolId, staff.schoolId), isNotNull(voiceCalls.recordedAt), isNull(voiceCalls.handledAt)))
		.returning({ callSid: voiceCalls.callSid });
	if (!rows.length) return false;
	await writeAudit(db, { actorType: 'staff', actorId: staff.id, action: 'voicemail.handled', schoolId: staff.schoolId, subjectType: 'voice_call', subjectId: callSid, at: now });
	return true;
}

export type RecordingResult = { ok: true; body: ArrayBuffer; contentType: string } | { ok: false; code: 'not_found' | 'unavailable' };

/** The audio of one of the school's recordings, for a member of staff of that school (each play audited). */
export async function voicemailRecording(db: Db, staff: { id: string; schoolId: string }, callSid: string, twilio: TwilioConfig | null = twilioConfig()): Promise<RecordingResult> {
	if (!CALL_SID.test(callSid)) return { ok: false, code: 'not_found' };
	const [row] = await db
		.select({ url: voiceCalls.recordingUrl })
		.from(voiceCalls)
		.where(and(eq(voiceCalls.callSid, callSid), eq(voiceCalls.schoolId, staff.schoolId)));
	if (!row?.url) return { ok: false, code: 'not_found' };
	if (!twilio) {
		// The demo board without a Twilio account: a short tone stands in for the recording.
		if (!devToolsEnabled()) return { ok: false, code: 'unavailable' };
		await writeAudit(db, { actorType: 'staff', actorId: staff.id, action: 'voicemail.played', schoolId: staff.schoolId, subjectType: 'voice_call', subjectId: callSid });
		return { ok: true, body: demoTone(), contentType: 'audio/wav' };
	}
	try {
		const audio = await fetchTwilioRecording(twilio, row.url);
		await writeAudit(db, { actorType: 'staff', actorId: staff.id, action: 'voicemail.played', schoolId: staff.schoolId, subjectType: 'voice_call', subjectId: callSid });
		return { ok: true, ...audio };
	} catch {
		return { ok: false, code: 'unavailable' };
	}
}

/** One second of a quiet 440 Hz tone as 8 kHz 16-bit mono WAV (the development stand-in for a recording). */
function demoTone(): ArrayBuffer {
	const rate = 8000;
	const samples = rate;
	const buf = Buffer.alloc(44 + samples * 2);
	buf.write('RIFF', 0);
	buf.writeUInt32LE(36 + samples * 2, 4);
	buf.write('WAVEfmt ', 8);
	buf.writeUInt32LE(16, 16);
	buf.writeUInt16LE(1, 20);
	buf.writeUInt16LE(1, 22);
	buf.writeUInt32LE(rate, 24);
	buf.writeUInt32LE(rate * 2, 28);
	buf.writeUInt16LE(2, 32);
	buf.writeUInt16LE(16, 34);
	buf.write('data', 36);
	buf.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) buf.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 3000), 44 + i * 2);
	return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
}
