/**
 * A voicemail turned into an absence report by the office: staff listen, pick the child and the
 * parent who called (the caller's own children when their number is known; otherwise a search of
 * the school's pupils by name), the day and the reason, and the report is stored through the same
 * service as the web, texts and the phone line. The voicemail then leaves the board, linked to
 * the report it became.
 */
import { and, asc, eq, ilike, isNotNull, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import type { DatabaseHandle } from '../../platform/db/engine';
import { guardians, pupilGuardians, pupils, voiceCalls } from '../../platform/db/schema';
import { writeAudit } from '../../platform/audit';
import { submitAbsenceReport } from '../absence';
import { childDisplayName } from '../../../domain/pupils';
import type { Voicemail } from './voicemails';

const CALL_SID = /^CA[0-9a-f]{32}$/i;

export interface VoicemailReportChoice {
	/** `pupilId:guardianId`: the child and the parent the report is from. */
	value: string;
	label: string;
}

export interface VoicemailReportPage {
	voicemail: Pick<Voicemail, 'callSid' | 'fromNumber' | 'callerName' | 'recordedAt'>;
	/** The caller is a known parent: their children, no search needed. */
	knownCaller: boolean;
	choices: VoicemailReportChoice[];
}

async function openVoicemail(handle: DatabaseHandle, schoolId: string, callSid: string) {
	if (!CALL_SID.test(callSid)) return null;
	const [call] = await handle.db
		.select()
		.from(voiceCalls)
		.where(and(eq(voiceCalls.callSid, callSid), eq(voiceCalls.schoolId, schoolId), isNotNull(voiceCalls.recordedAt), isNull(voiceCalls.handledAt)));
	return call ?? null;
}

/** The voicemail and who the report could be for (the caller's children, or pupils matching `search`). Null when it is not the school's, or already handled. */
export async function voicemailReportPage(handle: DatabaseHandle, staff: { schoolId: string }, callSid: string, search = ''): Promise<VoicemailReportPage | null> {
	const call = await openVoicemail(handle, staff.schoolId, callSid);
	if (!call) return null;
	const term = search.trim().slice(0, 60);
	const where = call.guardianId
		? and(eq(pupils.schoolId, staff.schoolId), eq(pupilGuardians.guardianId, call.guardianId))
		: term.length >= 2
			? and(eq(pupils.schoolId, staff.schoolId), or(ilike(pupils.firstName, `%${term}%`), ilike(pupils.lastName, `%${term}%`), ilike(pupils.preferredName, `%${term}%`)))
			: null;
	const rows = where
		? await handle.db
				.select({
					pupilId: pupils.id,
					firstName: pupils.firstName,
					lastName: pupils.lastName,
					preferredName: pupils.preferredName,
					guardianId: guardians.id,
					guardianFirst: guardians.firstName,
					guardianLast: guardians.lastName,
					relationship: pupilGuardians.relationship
				})
				.from(pupils)
				.innerJoin(pupilGuardians, eq(pupilGuardians.pupilId, pupils.id))
				.innerJoin(guardians, eq(guardians.id, pupilGuardians.guardianId))
				.where(where)
				.orderBy(asc(pupils.lastName), asc(pupils.firstName), asc(guardians.lastName))
				.limit(40)
		: [];
	const [caller] = call.guardianId ? await handle.db.select({ firstName: guardians.firstName, lastName: guardians.lastName }).from(guardians).where(eq(guardians.id, call.guardianId)) : [];
	return {
		voicemail: {
			callSid: call.callSid,
			fromNumber: call.fromNumber,
			callerName: caller ? `${caller.firstName} ${caller.lastName ?? ''}`.trim() : null,
			recordedAt: call.recordedAt!
		},
		knownCaller: Boolean(call.guardianId),
		choices: rows.map((r) => ({
			value: `${r.pupilId}:${r.guardianId}`,
			label: `${childDisplayName(r)}, reported by ${`${r.guardianFirst} ${r.guardianLast ?? ''}`.trim()} (${r.relationship})`
		}))
	};
}

const reportFromVoicemailSchema = z.object({
	choice: z.string({ error: 'choose_child' }).regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/i, 'choose_child'),
	date: z.string({ error: 'enter_date' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'enter_date'),
	reason: z.enum(['illness', 'mental_health', 'medical_appointment', 'religious_observance', 'family_emergency', 'bereavement', 'other'], { error: 'choose_reason' }),
	details: z.string().max(500).default('')
});

export type VoicemailReportProblem = { field: 'choice' | 'date' | 'reason' | 'details' | 'form'; code: string; message?: string };
export type VoicemailReportResult = { ok: true; references: string[] } | { ok: false; problems: VoicemailReportProblem[] };

/**
 * Stores the report (channel "phone", once per voicemail and child however often the form is
 * sent) and marks the voicemail handled with the report it became (audited). The child and parent
 * must be a pair at the school; the answer lists what the absence service refused otherwise.
 */
export async function reportFromVoicemail(
	handle: DatabaseHandle,
	staff: { id: string; schoolId: string },
	callSid: string,
	input: Record<string, unknown>,
	now: Date = new Date()
): Promise<VoicemailReportResult> {
	const call = await openVoicemail(handle, staff.schoolId, callSid);
	if (!call) return { ok: false, problems: [{ field: 'form', code: 'not_found' }] };
	const parsed = reportFromVoicemailSchema.safeParse(input);
	if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'form') as VoicemailReportProblem['field'], code: i.message })) };
	const [pupilId, guardianId] = parsed.data.choice.split(':') as [string, string];
	const [link] = await handle.db
		.select({ pupilId: pupilGuardians.pupilId })
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.where(and(eq(pupilGuardians.pupilId, pupilId), eq(pupilGuardians.guardianId, guardianId), eq(pupils.schoolId, staff.schoolId)));
	if (!link || (call.guardianId && call.guardianId !== guardianId)) return { ok: false, problems: [{ field: 'choice', code: 'choose_child' }] };
	const words = parsed.data.details.trim();
	const result = await submitAbsenceReport(handle, {
		guardianId,
		pupilIds: [pupilId],
		reason: parsed.data.reason,
		details: `From a voicemail on the phone line, entered by the office${words ? `: ${words}` : '.'}`,
		from: parsed.data.date,
		to: parsed.data.date,
		sessions: 'BOTH',
		channel: 'phone',
		idempotencyKey: `voicemail:${call.callSid}`,
		now
	});
	if ('errors' in result) {
		return { ok: false, problems: result.errors.map((e) => ({ field: e.field === 'from' || e.field === 'to' ? 'date' : e.field === 'reason' ? 'reason' : 'form', code: 'refused', message: e.message })) };
	}
	const first = result.reports[0]!;
	await handle.db
		.update(voiceCalls)
		.set({ handledAt: now, handledBy: staff.id, reportId: first.reportId, reportReference: first.reference, updatedAt: now })
		.where(eq(voiceCalls.callSid, call.callSid));
	await writeAudit(handle.db, {
		actorType: 'staff',
		actorId: staff.id,
		action: 'voicemail.reported',
		schoolId: staff.schoolId,
		subjectType: 'voice_call',
		subjectId: call.callSid,
		details: { reference: first.reference },
		at: now
	});
	return { ok: true, references: result.reports.map((r) => r.reference) };
}
