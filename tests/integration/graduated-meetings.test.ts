import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { inviteMeeting, meetingForGuardian, meetingForStaff, parentReply, pupilRecord, recordMeeting, sendMeetingReminders } from '../../src/lib/server/features/graduated-response';
import { handleInboundMessage, type InboundMessage } from '../../bot/conversations';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/* Thu 5 Nov 2026, 10:00 in London (GMT). The meetings are the next week. */
const NOW = new Date('2026-11-05T10:00:00Z');
const MUM = '+447700913001';
const DAD = '+447700913002';

describe(`meetings with parents (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let sam: string, ella: string, other: string;
	let mum: string, dad: string, emailMum: string, otherParent: string;
	let lead: { id: string; role: string; schoolId: string };
	let otherLead: { id: string; role: string; schoolId: string };
	let samMeeting: string;
	let seq = 0;
	const sms = (text: string, over: Partial<InboundMessage> = {}): InboundMessage => ({ channel: 'sms', providerMessageId: `SMmeet${++seq}`, address: MUM, text, now: NOW, ...over });
	const staffUser = async (school: string, email: string, role: string) =>
		(await handle.query<{ id: string; role: string; school_id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, $2, 'Staff', $3, 'x') returning id, role::text as role, school_id::text as school_id`, [school, email, role])).map((r) => ({ id: r.id, role: r.role, schoolId: r.school_id }))[0]!;
	const status = async (id: string) => (await handle.query<{ status: string; reply_note: string | null }>(`select status, reply_note from graduated_meetings where id = $1`, [id]))[0]!;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'meet', urn: '497001', misIds: ['SAM', 'ELLA'] });
		const elsewhere = await createTestSchool(handle, { slug: 'meet-other', urn: '497002', misIds: ['OTH'] });
		schoolId = school.id;
		sam = school.pupils.get('SAM')!;
		ella = school.pupils.get('ELLA')!;
		other = elsewhere.pupils.get('OTH')!;
		await handle.query(`update schools set name = 'Meet Primary' where id = $1`, [schoolId]);
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ella' where id = $1`, [ella]);
		mum = await createGuardian(handle, { phone: MUM });
		dad = await createGuardian(handle, { phone: DAD });
		emailMum = await createGuardian(handle, { email: 'ella.carer@example.test' });
		otherParent = await createGuardian(handle, { phone: '+447700913009' });
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [dad]);
		await handle.query(`update guardians set preferred_channel = 'email' where id = $1`, [emailMum]);
		await linkGuardian(handle, mum, sam);
		await linkGuardian(handle, dad, sam, 'Father');
		await linkGuardian(handle, mum, ella);
		await linkGuardian(handle, emailMum, ella, 'Carer');
		await linkGuardian(handle, otherParent, other);
		lead = await staffUser(schoolId, 'lead@meet.test', 'attendance_lead');
		otherLead = await staffUser(elsewhere.id, 'lead@meet-other.test', 'attendance_lead');
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('an invitation queues one message per parent, on their channel and in their language, once', async () => {
		const input = { date: '2026-11-12', time: '15:30', place: 'The school office', withWhom: 'Mrs Okafor (headteacher)' };
		const result = await inviteMeeting(handle, lead, sam, input, { now: NOW, origin: 'https://everyday.test' });
		expect(result).toMatchObject({ ok: true, messages: 2, unreachable: 0 });
		samMeeting = result.ok ? result.meetingId : '';
		const [row] = await handle.query<{ starts_at: Date; status: string }>(`select starts_at, status from graduated_meetings where id = $1`, [samMeeting]);
		expect(new Date(row!.starts_at).toISOString()).toBe('2026-11-12T15:30:00.000Z');
		expect(row!.status).toBe('invited');
		const messages = await handle.query<{ recipient: string; body: string; channel: string }>(`select recipient, body, channel from outbound_messages where purpose = 'graduated_meeting' order by recipient`);
		expect(messages).toEqual([
			{
				recipient: MUM,
				channel: 'sms',
				body: `Meet Primary: we would like to meet you about Sam: Thursday 12 November 2026 at 15:30, The school office, with Mrs Okafor (headteacher). Reply YES to confirm or 2 for another time. Details: https://everyday.test/children/${sam}/meetings/${samMeeting}`
			},
			{ recipient: DAD, channel: 'sms', body: expect.stringContaining('chcielibyśmy spotkać się z Państwem w sprawie Sam: czwartek, 12 listopada 2026, godz. 15:30') }
		]);
		// A double submit changes nothing and sends nothing more.
		expect(await inviteMeeting(handle, lead, sam, input, { now: NOW })).toMatchObject({ ok: true, meetingId: samMeeting, messages: 0 });
		expect(await handle.query(`select 1 from outbound_messages where purpose = 'graduated_meeting'`)).toHaveLength(2);
		const [audit] = await handle.query<{ action: string; actor_id: string }>(`select action, actor_id::text as actor_id from audit_log where subject_type = 'graduated_meeting' and subject_id = $1`, [samMeeting]);
		expect(audit).toEqual({ action: 'graduated.meeting_invited', actor_id: lead.id });
	});

	it('a parent who reads email gets the link without the text-reply words; a meeting by phone says so', async () => {
		const result = await inviteMeeting(handle, lead, ella, { date: '2026-11-13', time: '09:15', byPhone: true, withWhom: 'Mr Reid' }, { now: new Date(NOW.getTime() + 60_000), origin: 'https://everyday.test' });
		expect(result).toMatchObject({ ok: true, messages: 2 });
		const email = await handle.query<{ subject: string; body: string }>(`select subject, body from outbound_messages where purpose = 'graduated_meeting' and channel = 'email'`);
		expect(email).toEqual([{ subject: 'A meeting about Ella', body: expect.stringContaining('Friday 13 November 2026 at 09:15, by phone (we will call you), with Mr Reid. Please tell us if you can come') }]);
		expect(email[0]!.body).not.toContain('Reply YES');
	});

	it('staff of another school, staff without the permission and a bad form are refused; nothing is sent', async () => {
		const input = { date: '2026-11-12', time: '15:30', place: 'Office', withWhom: 'Head' };
		expect(await inviteMeeting(handle, otherLead, sam, input, { now: NOW })).toEqual({ ok: false, notFound: true });
		const office = await staffUser(schoolId, 'office@meet.test', 'office');
		expect(await inviteMeeting(handle, office, sam, input, { now: NOW })).toEqual({ ok: false, notFound: true });
		const bad = await inviteMeeting(handle, lead, sam, { date: '2026-11-04', time: '25:00', place: '', withWhom: '' }, { now: NOW });
		expect(bad.ok === false && 'problems' in bad ? bad.problems.map((p) => p.field).sort() : []).toEqual(['place', 'time', 'withWhom']);
		const past = await inviteMeeting(handle, lead, sam, { ...input, date: '2026-11-04' }, { now: NOW });
		expect(past).toEqual({ ok: false, problems: [{ field: 'date', message: 'The meeting must be in the future' }] });
		// A Saturday, and a day of the Christmas holidays: the school is not open.
		for (const date of ['2026-11-14', '2026-12-22']) {
			const shut = await inviteMeeting(handle, lead, sam, { ...input, date }, { now: NOW });
			expect(shut.ok === false && 'problems' in shut ? shut.problems.map((p) => p.message) : shut).toEqual(['The school is not open that day (a holiday, a training day or a weekend): choose a day it is open']);
		}
		expect(await meetingForStaff(handle.db, otherLead, samMeeting)).toBeNull();
		expect(await recordMeeting(handle, otherLead, samMeeting, { parentsCame: 'no', notes: 'x' }, { now: NOW })).toEqual({ ok: false, notFound: true });
		expect(await handle.query(`select 1 from outbound_messages where purpose = 'graduated_meeting'`)).toHaveLength(4);
	});

	it('another parent cannot see or answer the meeting', async () => {
		expect(await meetingForGuardian(handle.db, otherParent, sam, samMeeting)).toBeNull();
		expect(await parentReply(handle, otherParent, samMeeting, { answer: 'confirm' }, { now: NOW })).toEqual({ ok: false, problem: 'not_found' });
		// Ella's carer is not Sam's.
		expect(await parentReply(handle, emailMum, samMeeting, { answer: 'confirm' }, { now: NOW })).toEqual({ ok: false, problem: 'not_found' });
		expect((await status(samMeeting)).status).toBe('invited');
	});

	it('an absence report by text still works while a meeting is open', async () => {
		const r = await handleInboundMessage(handle, sms('Sam is off sick today'));
		expect(r.replies[0]!.text).toMatch(/^Thank you\. We have told Meet Primary: Sam/);
		expect((await status(samMeeting)).status).toBe('invited');
	});

	it('with two children invited, YES asks which meeting; the number attaches the answer to that one', async () => {
		const first = await handleInboundMessage(handle, sms('YES'));
		expect(first.replies).toEqual([
			{ text: 'Thank you. Which meeting is your answer about?', choices: ['Ella, Friday 13 November 2026 at 09:15', 'Sam, Thursday 12 November 2026 at 15:30'] }
		]);
		const second = await handleInboundMessage(handle, sms('2'));
		expect(second.replies[0]!.text).toBe('Thank you, the meeting about Sam is confirmed. See you then.');
		expect((await status(samMeeting)).status).toBe('confirmed');
		const [ellaMeeting] = await handle.query<{ status: string }>(`select status from graduated_meetings where pupil_id = $1`, [ella]);
		expect(ellaMeeting!.status).toBe('invited');
	});

	it('an SMS reply "2" from the other parent attaches to the right meeting (their only child with one)', async () => {
		const r = await handleInboundMessage(handle, sms('2', { address: DAD }));
		expect(r.replies[0]!.text).toBe('Dziękujemy. Skontaktujemy się, aby ustalić inny termin spotkania w sprawie Sam.');
		expect((await status(samMeeting)).status).toBe('another_time');
		const [audit] = await handle.query<{ details: { channel: string; answer: string } }>(`select details from audit_log where action = 'graduated.meeting_replied' and actor_id = $1`, [dad]);
		expect(audit!.details).toMatchObject({ channel: 'sms', answer: 'another_time', withNote: false });
		// The lead who sent the invitation is told by email, once, with the link to rearrange it.
		const told = await handle.query<{ recipient: string; subject: string; body: string }>(`select recipient, subject, body from outbound_messages where purpose = 'graduated_meeting_another_time'`);
		expect(told).toHaveLength(1);
		expect(told[0]).toMatchObject({ recipient: 'lead@meet.test', subject: 'Another time asked for: meeting about Sam Pupil' });
		expect(told[0]!.body).toContain(`/staff/graduated/meetings/${samMeeting}`);
		// Now no meeting of Sam's is invited: a later "2" is not taken as an answer to it.
		const later = await handleInboundMessage(handle, sms('2', { address: DAD }));
		expect(later.replies[0]!.text).not.toContain('meeting');
	});

	it('staff invite again at a new time; the parent confirms on the web with a note', async () => {
		const again = await inviteMeeting(handle, lead, sam, { meetingId: samMeeting, date: '2026-11-16', time: '08:45', place: 'The school office', withWhom: 'Mrs Okafor (headteacher)' }, { now: NOW });
		expect(again).toMatchObject({ ok: true, meetingId: samMeeting, messages: 2 });
		const reply = await parentReply(handle, mum, samMeeting, { answer: 'confirm', note: 'I will bring my sister' }, { now: NOW, channel: 'web' });
		expect(reply).toMatchObject({ ok: true, childName: 'Sam', answer: 'confirm' });
		expect(await status(samMeeting)).toEqual({ status: 'confirmed', reply_note: 'I will bring my sister' });
		// The parent's words stay on the meeting; the audit trail says only that there was a note.
		const audits = await handle.query<{ details: Record<string, unknown> }>(`select details from audit_log where subject_id = $1`, [samMeeting]);
		expect(JSON.stringify(audits)).not.toContain('sister');
	});

	it('two reminder sweeps at the same moment remind each parent once; a later sweep sends nothing', async () => {
		// Ella's meeting is Fri 13 Nov 09:15: due from 09:00 on Thu 12 Nov. Sam's (Mon 16) is not due yet.
		const at = new Date('2026-11-12T09:05:00Z');
		expect(await sendMeetingReminders(handle, new Date('2026-11-12T08:55:00Z'))).toBe(0);
		const [a, b] = await Promise.all([sendMeetingReminders(handle, at), sendMeetingReminders(handle, at)]);
		expect(a + b).toBe(1);
		expect(await sendMeetingReminders(handle, new Date('2026-11-12T10:00:00Z'))).toBe(0);
		const reminders = await handle.query<{ recipient: string; body: string }>(`select recipient, body from outbound_messages where purpose = 'graduated_meeting_reminder' order by recipient`);
		expect(reminders).toEqual([
			{ recipient: MUM, body: 'Meet Primary: a reminder of the meeting about Ella tomorrow: Friday 13 November 2026 at 09:15, by phone (we will call you).' },
			{ recipient: 'ella.carer@example.test', body: expect.stringContaining('a reminder of the meeting about Ella tomorrow') }
		].sort((x, y) => x.recipient.localeCompare(y.recipient)));
		expect(await handle.query(`select 1 from audit_log where action = 'graduated.meeting_reminded'`)).toHaveLength(1);
	});

	it('staff record a meeting the parents did not come to; once; it is on the pupil record with the notes', async () => {
		const [ellaMeeting] = await handle.query<{ id: string }>(`select id::text as id from graduated_meetings where pupil_id = $1`, [ella]);
		const missing = await recordMeeting(handle, lead, ellaMeeting!.id, { parentsCame: 'yes', attended: '', notes: '' }, { now: NOW });
		expect(missing.ok === false && 'problems' in missing ? missing.problems.map((p) => p.field).sort() : []).toEqual(['attended', 'notes']);
		const held = new Date('2026-11-13T10:00:00Z');
		const [first, second] = await Promise.all([
			recordMeeting(handle, lead, ellaMeeting!.id, { parentsCame: 'no', notes: 'Agreed to call Mum on Monday; breakfast club offered.' }, { now: held }),
			recordMeeting(handle, lead, ellaMeeting!.id, { parentsCame: 'no', notes: 'Agreed to call Mum on Monday; breakfast club offered.' }, { now: held })
		]);
		expect([first, second].filter((r) => r.ok)).toHaveLength(1);
		expect([first, second].filter((r) => !r.ok)).toEqual([{ ok: false, alreadyRecorded: true }]);
		// A parent can no longer answer a meeting that has been held.
		expect(await parentReply(handle, mum, ellaMeeting!.id, { answer: 'confirm' }, { now: NOW })).toEqual({ ok: false, problem: 'closed' });
		const record = (await pupilRecord(handle, ella))!;
		const meetingEvents = record.events.filter((e) => e.kind === 'meeting').map((e) => `${e.title}: ${e.detail}`);
		expect(meetingEvents).toEqual([
			'Parents invited to a meeting: 2026-11-13 09:15, by phone, with Mr Reid',
			'Reminder of the meeting sent: 2026-11-13 09:15',
			'Meeting held: The parents did not come; the meeting went ahead. Notes: Agreed to call Mum on Monday; breakfast club offered.'
		]);
		const samEvents = (await pupilRecord(handle, sam))!.events.filter((e) => e.kind === 'meeting').map((e) => e.title);
		expect(samEvents).toEqual(['Parents invited to a meeting', 'Parent confirmed the meeting']);
		const view = (await meetingForStaff(handle.db, lead, samMeeting))!;
		expect(view.history.map((h) => h.text)).toEqual([
			'Parents invited for 2026-11-12 15:30: 2 messages queued',
			'Test Parent confirmed (by SMS)',
			'Test Parent asked for another time (by SMS)',
			'Parents invited for 2026-11-16 08:45: 2 messages queued',
			'Test Parent confirmed (on the website), with a note'
		]);
	});

	it('a bare YES answers the daily check-in when that is the latest message the parent got; "2" still answers the meeting', async () => {
		const report = await handleInboundMessage(handle, sms('Sam is off sick, off until further notice'));
		expect(report.replies[0]!.text).toContain('Sam');
		// The morning check-in ("Is Sam still unwell? Reply YES...") arrives after the invitation.
		await handle.query(
			`insert into outbound_messages (channel, recipient, guardian_id, purpose, body, idempotency_key, created_at)
			 values ('sms', $1, $2, 'absence_check_in', 'Is Sam still unwell? Reply YES or BACK', 'test-check-in', now() + interval '1 minute')`,
			[MUM, mum]
		);
		const before = await handle.query<{ replied_at: Date }>(`select replied_at from graduated_meetings where id = $1`, [samMeeting]);
		const yes = await handleInboundMessage(handle, sms('YES'));
		expect(yes.replies[0]!.text).toBe('Thank you. We have told the school they are off today.');
		expect(await handle.query<{ replied_at: Date }>(`select replied_at from graduated_meetings where id = $1`, [samMeeting])).toEqual(before);
		const two = await handleInboundMessage(handle, sms('2'));
		expect(two.replies[0]!.text).toBe('Thank you. We will contact you to find another time for the meeting about Sam.');
		expect((await status(samMeeting)).status).toBe('another_time');
	});
});
