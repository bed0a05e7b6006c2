/**
 * The phone absence line end to end: the sequence of signed webhook requests a real Twilio call
 * makes, the TwiML answered at each step, the report it stores through the absence service, and
 * the voicemails that reach the staff board (played through the app from a local fake Twilio).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { openTestDatabase, testEngine } from '../helpers/db';
import { startFakeServer, type FakeServer } from '../helpers/fake-http';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleTwilioVoice } from '../../bot/channels/voice';
import { markVoicemailHandled, reportFromVoicemail, schoolVoiceNumber, setSchoolVoiceNumber, voicemailReportPage, voicemailRecording, voicemailsToListenTo } from '../../src/lib/server/features/phone-line';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const SID = 'AC' + '0'.repeat(32);
const TOKEN = 'test-auth-token';
const VOICE_URL = 'https://everyday.test/webhooks/twilio/voice';
const LINE = '+441632960001';
const MUM = '+447700909101';
const STRANGER = '+447700909999';
/** Tuesday 3 November 2026, 08:00 in London: a school day, before the register closes. */
const MORNING = new Date('2026-11-03T08:00:00Z');
const callSid = (n: number) => `CA${String(n).padStart(32, '0')}`;
const recSid = (n: number) => `RE${String(n).padStart(32, '0')}`;

describe(`the phone absence line (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let sam: string;
	let ella: string;
	let mum: string;
	let staffId: string;
	let fakeTwilio: FakeServer;

	/** One webhook request as Twilio makes it: form-encoded, signed for the URL with its step. */
	async function post(step: string | null, params: Record<string, string>, opts: { signature?: string | null; now?: Date } = {}) {
		const url = step ? `${VOICE_URL}?step=${step}` : VOICE_URL;
		const result = await handleTwilioVoice(handle, {
			url,
			form: new URLSearchParams(params),
			signature: opts.signature === undefined ? twilio.getExpectedTwilioSignature(TOKEN, url, params) : opts.signature,
			authToken: TOKEN,
			now: opts.now ?? MORNING
		});
		return { ...result, says: [...result.body.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => m[1]!.replace(/&apos;/g, "'")) };
	}
	const call = (n: number, from = MUM) => ({ CallSid: callSid(n), From: from, To: LINE, AccountSid: SID, CallStatus: 'in-progress' });
	const reportsOf = (n: number) => handle.query<{ pupil_id: string; reason: string; starts_on: string; ends_on: string; channel: string; reference: string; late: boolean }>(
		`select pupil_id, reason, starts_on::text, ends_on::text, channel, reference, late from absence_reports where idempotency_key like $1 order by pupil_id`,
		[`%voice:${callSid(n)}%`]
	);

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'line', urn: '480101', misIds: ['SAM', 'ELLA'] });
		schoolId = school.id;
		sam = school.pupils.get('SAM')!;
		ella = school.pupils.get('ELLA')!;
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ella' where id = $1`, [ella]);
		await handle.query(`update schools set name = 'Harbourside Test School' where id = $1`, [schoolId]);
		await handle.query(`insert into school_channels (school_id, voice_number) values ($1, $2)`, [schoolId, LINE]);
		// A second school, so the line has to go by the number dialled.
		await createTestSchool(handle, { slug: 'other', urn: '480102', misIds: [] });
		mum = await createGuardian(handle, { firstName: 'Jo', phone: MUM });
		await linkGuardian(handle, mum, sam);
		await linkGuardian(handle, mum, ella);
		const [staff] = await handle.query<{ id: string }>(
			`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'office@line.test', 'Office', 'office', 'x') returning id`,
			[schoolId]
		);
		staffId = staff!.id;
		fakeTwilio = await startFakeServer((req) => ({ status: 200, json: { audio: req.path } }));
	});
	afterAll(async () => {
		await fakeTwilio?.close();
		await handle?.close();
	});
	beforeEach(async () => {
		await handle.query(`update guardians set preferred_language = 'en' where id = $1`, [mum]);
	});

	it('a known caller picks the child and the reason by keypad, leaves a few words, and hears the reference', async () => {
		const start = await post(null, call(1));
		expect(start.status).toBe(200);
		expect(start.contentType).toBe('text/xml');
		expect(start.body).toContain(`<Gather numDigits="1" timeout="8" action="${VOICE_URL}?step=child" method="POST" actionOnEmptyResult="true">`);
		expect(start.says).toEqual([
			'Hello, this is the absence line for Harbourside Test School. Thank you for letting us know.',
			'Press 1 for Ella.',
			'Press 2 for Sam.',
			'Press 3 for all of them.',
			'To leave a message for the office, press 0.'
		]);
		expect(start.body).toContain('language="en-GB" voice="Polly.Amy"');

		const child = await post('child', { ...call(1), Digits: '2' });
		expect(child.body).toContain(`action="${VOICE_URL}?step=reason"`);
		expect(child.says[0]).toMatch(/^Press 1 if they are ill\. Press 2 for a medical or dental appointment\. Press 3 for another reason\. To go back, press star\./);

		const reason = await post('reason', { ...call(1), Digits: '1' });
		expect(reason.body).toContain(`<Record action="${VOICE_URL}?step=recorded" method="POST" maxLength="60" timeout="5" finishOnKey="#" playBeep="true" trim="trim-silence"/>`);
		expect(reason.body).toContain(`<Redirect method="POST">${VOICE_URL}?step=recorded</Redirect>`);

		const recording = { RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${SID}/Recordings/${recSid(1)}`, RecordingSid: recSid(1), RecordingDuration: '7' };
		const done = await post('recorded', { ...call(1), ...recording });
		const [report, ...others] = await reportsOf(1);
		expect(others).toEqual([]);
		expect(report).toMatchObject({ pupil_id: sam, reason: 'illness', starts_on: '2026-11-03', ends_on: '2026-11-03', channel: 'phone', late: false });
		const spoken = [...report!.reference.replace(/-/g, '')].join(', ');
		expect(done.says).toEqual([
			`Thank you. We have told the school that Sam will be off on Tuesday 3 November 2026: illness. Your reference is ${spoken}. Again, your reference is ${spoken}.`,
			'We hope they feel better soon.',
			'Goodbye.'
		]);
		expect(done.body).toContain('<Hangup/>');

		// Twilio repeats the last request (a timeout on its side): the same answer, still one report.
		const again = await post('recorded', { ...call(1), ...recording });
		expect(again.says).toEqual(done.says);
		expect(await reportsOf(1)).toHaveLength(1);

		// The parent's own words wait on the board, with the report they belong to.
		const board = await voicemailsToListenTo(handle.db, schoolId);
		expect(board.find((v) => v.callSid === callSid(1))).toMatchObject({ callerName: 'Jo Parent', reportReference: report!.reference, seconds: 7 });
	});

	it('"all of them" reports every child; no words after the tone is fine; an evening call is about the next school day', async () => {
		const evening = new Date('2026-11-03T19:30:00Z');
		await post(null, call(2), { now: evening });
		await post('child', { ...call(2), Digits: '3' }, { now: evening });
		await post('reason', { ...call(2), Digits: '2' }, { now: evening });
		// The caller pressed hash without speaking: Twilio skips the action and follows the redirect.
		const done = await post('recorded', call(2), { now: evening });
		const rows = await reportsOf(2);
		expect(rows.map((r) => r.pupil_id).sort()).toEqual([sam, ella].sort());
		expect(rows.every((r) => r.reason === 'medical_appointment' && r.starts_on === '2026-11-04' && r.channel === 'phone')).toBe(true);
		expect(done.says[0]).toContain('Ella and Sam will be off on Wednesday 4 November 2026: medical or dental appointment');
		const board = await voicemailsToListenTo(handle.db, schoolId);
		expect(board.some((v) => v.callSid === callSid(2))).toBe(false);
	});

	it('star goes back, silence asks again, and a second miss hands the call to voicemail', async () => {
		await post(null, call(3));
		await post('child', { ...call(3), Digits: '1' });
		const back = await post('reason', { ...call(3), Digits: '*' });
		expect(back.says).toContain('Press 1 for Ella.');
		expect(back.body).toContain('?step=child');
		const silence = await post('child', { ...call(3), Digits: '' });
		expect(silence.says[0]).toBe('Sorry, I did not catch that.');
		expect(silence.says).toContain('Press 2 for Sam.');
		const wrong = await post('child', { ...call(3), Digits: '7' });
		expect(wrong.says[1]).toMatch(/^Please leave a message for the office after the tone/);
		expect(wrong.body).toContain(`<Record action="${VOICE_URL}?step=voicemail-saved"`);
		expect(await reportsOf(3)).toEqual([]);
	});

	it('a parent who presses 0 leaves a voicemail; staff hear it through the app and mark it handled', async () => {
		await post(null, call(4));
		const office = await post('child', { ...call(4), Digits: '0' });
		expect(office.says[0]).toMatch(/^Please leave a message for the office/);
		const saved = await post('voicemail-saved', { ...call(4), RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${SID}/Recordings/${recSid(4)}`, RecordingSid: recSid(4), RecordingDuration: '21' });
		expect(saved.says).toEqual(['Thank you. The office will listen to your message.', 'Goodbye.']);
		const item = (await voicemailsToListenTo(handle.db, schoolId)).find((v) => v.callSid === callSid(4));
		expect(item).toMatchObject({ reason: 'asked_for_person', callerName: 'Jo Parent', reportReference: null, seconds: 21 });

		const staff = { id: staffId, schoolId };
		const twilioConfig = { accountSid: SID, authToken: TOKEN, from: '+447700900000', apiBase: fakeTwilio.url };
		const audio = await voicemailRecording(handle.db, staff, callSid(4), twilioConfig);
		expect(audio.ok).toBe(true);
		const req = fakeTwilio.requests.at(-1)!;
		expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/Recordings/${recSid(4)}.mp3`);
		expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
		// Another school's staff cannot play it.
		const [other] = await handle.query<{ id: string }>(`select id from schools where slug = 'other'`);
		expect(await voicemailRecording(handle.db, { id: staffId, schoolId: other!.id }, callSid(4), twilioConfig)).toEqual({ ok: false, code: 'not_found' });

		expect(await markVoicemailHandled(handle.db, staff, callSid(4))).toBe(true);
		expect(await markVoicemailHandled(handle.db, staff, callSid(4))).toBe(false);
		expect((await voicemailsToListenTo(handle.db, schoolId)).some((v) => v.callSid === callSid(4))).toBe(false);
		const [audit] = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action in ('voicemail.played', 'voicemail.handled') and subject_id = $1`, [callSid(4)]);
		expect(audit!.n).toBe(2);
	});

	it("an unknown caller goes straight to voicemail, and it appears on the board", async () => {
		const start = await post(null, call(5, STRANGER));
		expect(start.says[0]).toBe('Hello, this is the absence line for Harbourside Test School.');
		expect(start.says[1]).toMatch(/^Please leave a message for the office after the tone/);
		expect(start.body).not.toContain('<Gather');
		await post('voicemail-saved', { ...call(5, STRANGER), RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${SID}/Recordings/${recSid(5)}`, RecordingSid: recSid(5), RecordingDuration: '12' });
		const item = (await voicemailsToListenTo(handle.db, schoolId)).find((v) => v.callSid === callSid(5));
		expect(item).toMatchObject({ fromNumber: STRANGER, callerName: null, reason: 'unknown_caller', seconds: 12 });
	});

	it("the office turns the unknown caller's voicemail into a report: finds the child, picks the parent, stores it once by phone, and the voicemail leaves the board", async () => {
		const staff = { id: staffId, schoolId };
		const [other] = await handle.query<{ id: string }>(`select id from schools where slug = 'other'`);
		expect(await voicemailReportPage(handle, { schoolId: other!.id }, callSid(5))).toBeNull();
		const unsearched = await voicemailReportPage(handle, staff, callSid(5));
		expect(unsearched).toMatchObject({ knownCaller: false, choices: [] });
		const page = await voicemailReportPage(handle, staff, callSid(5), 'ell');
		expect(page!.choices).toEqual([{ value: `${ella}:${mum}`, label: expect.stringMatching(/^Ella .*, reported by Jo Parent \(/) }]);

		// Bad answers are named, and nothing is stored.
		const before = (await handle.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n;
		const refused = await reportFromVoicemail(handle, staff, callSid(5), { choice: `${sam}:${staffId}`, date: 'soon', reason: 'flu' }, MORNING);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.problems.map((p) => p.field).sort()).toEqual(['date', 'reason']);
		const notAPair = await reportFromVoicemail(handle, staff, callSid(5), { choice: `${sam}:${staffId}`, date: '2026-11-10', reason: 'illness' }, MORNING);
		expect(notAPair).toEqual({ ok: false, problems: [{ field: 'choice', code: 'choose_child' }] });
		expect((await handle.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n).toBe(before);

		const made = await reportFromVoicemail(handle, staff, callSid(5), { choice: `${ella}:${mum}`, date: '2026-11-10', reason: 'illness', details: 'Temperature since last night' }, MORNING);
		expect(made.ok).toBe(true);
		const [report] = await handle.query<{ reference: string; channel: string; guardian_id: string; starts_on: string; details: string }>(
			`select reference, channel, guardian_id, starts_on::text, details from absence_reports where idempotency_key = $1`,
			[`${mum}:voicemail:${callSid(5)}:${ella}`]
		);
		expect(report).toMatchObject({ channel: 'phone', guardian_id: mum, starts_on: '2026-11-10', details: 'From a voicemail on the phone line, entered by the office: Temperature since last night' });
		if (made.ok) expect(made.references).toEqual([report!.reference]);
		expect((await voicemailsToListenTo(handle.db, schoolId)).some((v) => v.callSid === callSid(5))).toBe(false);
		const [call] = await handle.query<{ report_reference: string; handled_by: string }>(`select report_reference, handled_by from voice_calls where call_sid = $1`, [callSid(5)]);
		expect(call).toEqual({ report_reference: report!.reference, handled_by: staffId });
		// Sent again (a double click, a back button): the voicemail is handled, nothing more is stored.
		expect(await reportFromVoicemail(handle, staff, callSid(5), { choice: `${ella}:${mum}`, date: '2026-11-10', reason: 'illness' }, MORNING)).toEqual({ ok: false, problems: [{ field: 'form', code: 'not_found' }] });
		expect((await handle.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n).toBe(before + 1);
		const [audit] = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'voicemail.reported' and subject_id = $1`, [callSid(5)]);
		expect(audit!.n).toBe(1);
	});

	it('speaks the parent’s language, and 9 switches to English and back', async () => {
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [mum]);
		const start = await post(null, call(6));
		expect(start.body).toContain('language="pl-PL" voice="Polly.Ewa"');
		expect(start.says).toContain('Naciśnij 1, jeśli chodzi o: Ella.');
		expect(start.says.at(-1)).toBe('For English, press 9.');
		const english = await post('child', { ...call(6), Digits: '9' });
		expect(english.says).toContain('Press 1 for Ella.');
		expect(english.says.at(-1)).toBe('Po polsku: naciśnij 9.');
		const reason = await post('child', { ...call(6), Digits: '1' });
		expect(reason.says[0]).toMatch(/^Press 1 if they are ill/);
	});

	it('refuses a bad signature and stores nothing; a repeated CallSid keeps one call', async () => {
		const bad = await post(null, call(7), { signature: 'bm90IHZhbGlk' });
		expect(bad.status).toBe(403);
		const none = await post(null, call(7), { signature: null });
		expect(none.status).toBe(403);
		const [rows] = await handle.query<{ n: number }>(`select count(*)::int as n from voice_calls where call_sid = $1`, [callSid(7)]);
		expect(rows!.n).toBe(0);
		const malformed = await post(null, { ...call(7), CallSid: 'not-a-call' });
		expect(malformed.status).toBe(400);
		await post(null, call(7));
		await post(null, call(7));
		const [after] = await handle.query<{ n: number }>(`select count(*)::int as n from voice_calls where call_sid = $1`, [callSid(7)]);
		expect(after!.n).toBe(1);
	});

	it("staff set the line's number in settings: normalised, one school per number, empty clears it", async () => {
		const [other] = await handle.query<{ id: string }>(`select id from schools where slug = 'other'`);
		const otherStaff = { id: staffId, schoolId: other!.id };
		expect(await setSchoolVoiceNumber(handle.db, otherStaff, '01632 960001')).toEqual({ ok: false, code: 'taken' });
		expect(await setSchoolVoiceNumber(handle.db, otherStaff, 'call us')).toEqual({ ok: false, code: 'phone' });
		expect(await setSchoolVoiceNumber(handle.db, otherStaff, '01632 960002')).toEqual({ ok: true, voiceNumber: '+441632960002' });
		expect(await schoolVoiceNumber(handle.db, other!.id)).toBe('+441632960002');
		// A call to the other school's number is answered for it: Jo's children are not there, so it is a voicemail.
		const start = await post(null, { ...call(8), To: '+441632960002' });
		expect(start.says[0]).toBe('Hello, this is the absence line for other school.');
		expect(await setSchoolVoiceNumber(handle.db, otherStaff, '')).toEqual({ ok: true, voiceNumber: null });
		expect(await schoolVoiceNumber(handle.db, other!.id)).toBeNull();
	});
});
