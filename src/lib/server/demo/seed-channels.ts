/**
 * Demo data for the phone line and WhatsApp: the demo school's numbers (it offers WhatsApp), and two voicemails waiting on the
 * board (an unknown caller, and a parent who pressed 0 for the office). Fictional: the numbers
 * are Ofcom's drama ranges and the recordings play as a tone (development tools, no Twilio).
 */
import type { TxQuery } from './tx';
import { DEMO_SHARED_GUARDIAN } from './staff';

const DEMO_ACCOUNT = 'AC' + 'd'.repeat(32);
const recording = (n: number) => `https://api.twilio.com/2010-04-01/Accounts/${DEMO_ACCOUNT}/Recordings/RE${String(n).padStart(32, 'd')}`;
const callSid = (n: number) => `CA${String(n).padStart(32, 'd')}`;

export async function seedChannelsDemo(q: TxQuery, schoolId: string, now: Date = new Date()): Promise<void> {
	await q(`insert into school_channels (school_id, sms_number, whatsapp_number, voice_number, whatsapp_enabled) values ($1, $2, $3, $4, true) on conflict do nothing`, [
		schoolId,
		'+441632960124',
		'+441632960125',
		'+441632960123'
	]);
	const [claire] = await q<{ id: string }>('select id from guardians where phone = $1', [DEMO_SHARED_GUARDIAN.phone]);
	const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
	await q(
		`insert into voice_calls (call_sid, school_id, guardian_id, from_number, outcome, voicemail_reason, recording_sid, recording_url, recording_seconds, recorded_at, created_at, updated_at)
		 values ($1, $2, null, '+447700900871', 'voicemail', 'unknown_caller', $3, $4, 18, $5, $5, $5),
		        ($6, $2, $7, $8, 'voicemail', 'asked_for_person', $9, $10, 31, $11, $11, $11)
		 on conflict do nothing`,
		[callSid(1), schoolId, `RE${String(1).padStart(32, 'd')}`, recording(1), minutesAgo(95), callSid(2), claire?.id ?? null, DEMO_SHARED_GUARDIAN.phone, `RE${String(2).padStart(32, 'd')}`, recording(2), minutesAgo(40)]
	);
}
