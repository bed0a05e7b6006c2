/**
 * WhatsApp through Twilio with a local fake Twilio API: the signed webhook, the same conversation
 * as SMS, and the outbound rules (free-form inside 24 hours of the parent's last message,
 * approved templates outside it, STOP honoured).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { openTestDatabase, testEngine } from '../helpers/db';
import { startFakeServer, type FakeServer } from '../helpers/fake-http';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import type { TwilioConfig, WhatsAppConfig } from '../../src/lib/server/platform/config';
import { handleTwilioWhatsApp } from '../../bot/channels/twilio';
import { twilioWhatsAppTransport, WHATSAPP_WINDOW_MS } from '../../src/lib/server/providers/whatsapp';
import { deliverDueMessages, enqueueMessage } from '../../src/lib/server/platform/outbox';
import { contactChoices, schoolMessaging, setPreferredChannel, setSchoolMessaging } from '../../src/lib/server/features/whatsapp';
import { schoolSenderNumbers, twilioSmsTransport } from '../../src/lib/server/providers/twilio';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const SID = 'AC' + '0'.repeat(32);
const TOKEN = 'test-auth-token';
const URL_WA = 'https://everyday.test/webhooks/twilio/whatsapp';
const MUM = '+447700909201';
const TEMPLATE = 'HX' + 'a'.repeat(32);
const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;
/** Tuesday 3 November 2026, 08:00 in London. */
const MORNING = new Date('2026-11-03T08:00:00Z');

describe(`WhatsApp through Twilio (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let fake: FakeServer;
	let twilioConfig: TwilioConfig;
	const whatsapp: WhatsAppConfig = { from: '+447700900000', templates: { first_day_contact: TEMPLATE } };
	let sent = 0;
	let schoolId: string;
	let mumId: string;
	let clock = MORNING;

	const signed = (params: Record<string, string>) => ({
		url: URL_WA,
		form: new URLSearchParams(params),
		signature: twilio.getExpectedTwilioSignature(TOKEN, URL_WA, params),
		authToken: TOKEN,
		now: clock
	});
	const reports = async () => handle.query<{ channel: string; reason: string; starts_on: string }>(`select channel, reason, starts_on::text from absence_reports`);
	const deliver = () => deliverDueMessages(handle, { whatsapp: twilioWhatsAppTransport(handle, twilioConfig, whatsapp, () => clock) }, { now: new Date(Date.now() + 1000) });

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'wa', urn: '480201', misIds: ['SAM'] });
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [school.pupils.get('SAM')]);
		schoolId = school.id;
		const mum = await createGuardian(handle, { phone: MUM });
		mumId = mum;
		await linkGuardian(handle, mum, school.pupils.get('SAM')!);
		await handle.query(`update guardians set preferred_channel = 'whatsapp' where id = $1`, [mum]);
		fake = await startFakeServer(() => ({ status: 201, json: { sid: sid(900 + ++sent), status: 'queued' } }));
		twilioConfig = { accountSid: SID, authToken: TOKEN, from: '+447700900000', apiBase: fake.url };
	});
	afterAll(async () => {
		await fake?.close();
		await handle?.close();
	});

	it('refuses a bad signature and stores nothing', async () => {
		const params = { MessageSid: sid(1), From: `whatsapp:${MUM}`, Body: 'Sam is off sick today' };
		expect((await handleTwilioWhatsApp(handle, { ...signed(params), signature: 'bm90IHZhbGlk' })).status).toBe(403);
		expect((await handleTwilioWhatsApp(handle, { ...signed(params), signature: null })).status).toBe(403);
		expect((await handleTwilioWhatsApp(handle, signed({ ...params, From: MUM }))).status).toBe(400);
		expect(await reports()).toEqual([]);
		expect((await handle.query(`select * from inbound_messages`)).length).toBe(0);
	});

	it('while the school has not switched WhatsApp on, the parent is told how to reach it and nothing is reported', async () => {
		const params = { MessageSid: sid(50), From: `whatsapp:${MUM}`, To: 'whatsapp:+447700900000', Body: 'Sam is off sick today' };
		expect((await handleTwilioWhatsApp(handle, signed(params))).status).toBe(200);
		expect(await reports()).toEqual([]);
		const before = fake.requests.length;
		expect((await deliver()).sent).toBe(1);
		expect(new URLSearchParams(fake.requests[before]!.body).get('Body')).toBe(
			"Your child's school does not take messages on WhatsApp yet. Please text this number, or use the Every Day website, to report an absence or ask for help."
		);
		// The school switches it on (its settings): from now on the conversation is the same as by text.
		await handle.query(`insert into school_channels (school_id, whatsapp_enabled) values ($1, true)`, [schoolId]);
	});

	it('a WhatsApp message becomes one report however often it is redelivered, and the reply goes free-form inside the window', async () => {
		const params = { MessageSid: sid(2), From: `whatsapp:${MUM}`, To: 'whatsapp:+447700900000', Body: 'Sam is off sick today' };
		expect((await handleTwilioWhatsApp(handle, signed(params))).status).toBe(200);
		await handleTwilioWhatsApp(handle, signed(params));
		expect(await reports()).toEqual([{ channel: 'whatsapp', reason: 'illness', starts_on: '2026-11-03' }]);
		const before = fake.requests.length;
		expect((await deliver()).sent).toBe(1);
		const form = new URLSearchParams(fake.requests[before]!.body);
		expect(form.get('To')).toBe(`whatsapp:${MUM}`);
		expect(form.get('From')).toBe('whatsapp:+447700900000');
		expect(form.get('Body')).toMatch(/^Thank you\. We have told /);
		expect(form.get('ContentSid')).toBeNull();
		const [contact] = await handle.query<{ opted_in_at: Date | null }>(`select opted_in_at from whatsapp_contacts where phone = $1`, [MUM]);
		expect(contact!.opted_in_at).not.toBeNull();
	});

	it('outside the 24 hours only an approved template goes; anything else is undelivered for staff', async () => {
		clock = new Date(MORNING.getTime() + WHATSAPP_WINDOW_MS + 60_000);
		await enqueueMessage(handle.db, { channel: 'whatsapp', recipient: MUM, purpose: 'first_day_contact', body: 'Sam was marked absent this morning.', idempotencyKey: 'wa-fdc-1' });
		await enqueueMessage(handle.db, { channel: 'whatsapp', recipient: MUM, purpose: 'leave_decision', body: 'A decision on your request.', idempotencyKey: 'wa-leave-1' });
		const before = fake.requests.length;
		const run = await deliver();
		expect(run).toMatchObject({ sent: 1, dead: 1 });
		const form = new URLSearchParams(fake.requests[before]!.body);
		expect(form.get('ContentSid')).toBe(TEMPLATE);
		expect(JSON.parse(form.get('ContentVariables')!)).toEqual({ 1: 'Sam was marked absent this morning.' });
		expect(form.get('Body')).toBeNull();
		const [dead] = await handle.query<{ provider_status: string; status: string }>(`select status, provider_status from outbound_messages where idempotency_key = 'wa-leave-1'`);
		expect(dead).toEqual({ status: 'dead', provider_status: 'whatsapp_outside_window' });
	});

	it('STOP is honoured: only the reply to the parent’s own message goes until START', async () => {
		clock = new Date(MORNING.getTime() + 2 * WHATSAPP_WINDOW_MS);
		await handleTwilioWhatsApp(handle, signed({ MessageSid: sid(3), From: `whatsapp:${MUM}`, Body: 'STOP' }));
		await enqueueMessage(handle.db, { channel: 'whatsapp', recipient: MUM, purpose: 'first_day_contact', body: 'Sam was marked absent.', idempotencyKey: 'wa-fdc-2' });
		const before = fake.requests.length;
		const run = await deliver();
		expect(run).toMatchObject({ sent: 1, dead: 1 });
		expect(new URLSearchParams(fake.requests[before]!.body).get('Body')).toBe('You will not get any more WhatsApp messages from Every Day. Send START to get them again. The school may still phone you.');
		const [stopped] = await handle.query<{ provider_status: string }>(`select provider_status from outbound_messages where idempotency_key = 'wa-fdc-2'`);
		expect(stopped!.provider_status).toBe('whatsapp_opted_out');

		await handleTwilioWhatsApp(handle, signed({ MessageSid: sid(4), From: `whatsapp:${MUM}`, Body: 'START' }));
		await enqueueMessage(handle.db, { channel: 'whatsapp', recipient: MUM, purpose: 'first_day_contact', body: 'Sam was marked absent again.', idempotencyKey: 'wa-fdc-3' });
		expect((await deliver()).sent).toBe(2);
	});

	it('a guardian may choose WhatsApp only where a school of theirs offers it; choosing it records the opt-in', async () => {
		await handle.query(`update guardians set preferred_channel = 'sms' where id = $1`, [mumId]);
		await handle.query(`delete from whatsapp_contacts`);
		await handle.query(`update school_channels set whatsapp_enabled = false where school_id = $1`, [schoolId]);
		expect(await contactChoices(handle.db, mumId)).toEqual({ current: 'sms', choices: ['sms'] });
		expect(await setPreferredChannel(handle.db, mumId, 'whatsapp')).toBe(false);
		await handle.query(`update school_channels set whatsapp_enabled = true where school_id = $1`, [schoolId]);
		expect(await contactChoices(handle.db, mumId)).toEqual({ current: 'sms', choices: ['sms', 'whatsapp'] });
		expect(await setPreferredChannel(handle.db, mumId, 'email')).toBe(false);
		expect(await setPreferredChannel(handle.db, mumId, 'whatsapp')).toBe(true);
		const [g] = await handle.query<{ preferred_channel: string }>(`select preferred_channel from guardians where id = $1`, [mumId]);
		expect(g!.preferred_channel).toBe('whatsapp');
		const [contact] = await handle.query<{ opted_in_at: Date | null; opted_out_at: Date | null }>(`select opted_in_at, opted_out_at from whatsapp_contacts where phone = $1`, [MUM]);
		expect(contact!.opted_in_at).not.toBeNull();
		expect(contact!.opted_out_at).toBeNull();
		const [audit] = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'guardian.channel_chosen' and actor_id = $1`, [mumId]);
		expect(audit!.n).toBe(1);
	});
	it("a school's own numbers (its settings): its families' texts and WhatsApp messages come from them; a number that is not one is refused", async () => {
		const staff = { id: (await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'lead@wa.test', 'Lead', 'attendance_lead', 'x') returning id`, [schoolId]))[0]!.id, schoolId };
		expect(await setSchoolMessaging(handle.db, staff, { smsNumber: 'not a number', whatsappNumber: '', whatsappEnabled: true })).toEqual({ ok: false, field: 'smsNumber', code: 'phone' });
		expect(await setSchoolMessaging(handle.db, staff, { smsNumber: '023 9200 0001', whatsappNumber: '12', whatsappEnabled: true })).toEqual({ ok: false, field: 'whatsappNumber', code: 'phone' });
		const saved = await setSchoolMessaging(handle.db, staff, { smsNumber: '07700 900 321', whatsappNumber: '+44 7700 900322', whatsappEnabled: true });
		expect(saved).toEqual({ ok: true, settings: { smsNumber: '+447700900321', whatsappNumber: '+447700900322', whatsappEnabled: true } });
		expect(await schoolMessaging(handle.db, schoolId)).toEqual({ smsNumber: '+447700900321', whatsappNumber: '+447700900322', whatsappEnabled: true });
		const [audit] = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'school.messaging_changed' and actor_id = $1`, [staff.id]);
		expect(audit!.n).toBe(1);

		const senders = schoolSenderNumbers(handle, 0);
		await enqueueMessage(handle.db, { channel: 'sms', recipient: MUM, schoolId, purpose: 'test', body: 'From the school', idempotencyKey: 'own-number-sms' });
		await enqueueMessage(handle.db, { channel: 'sms', recipient: MUM, purpose: 'test', body: 'From the deployment', idempotencyKey: 'deployment-number-sms' });
		clock = new Date();
		await handle.query(`update whatsapp_contacts set last_inbound_at = now(), opted_out_at = null where phone = $1`, [MUM]);
		await enqueueMessage(handle.db, { channel: 'whatsapp', recipient: MUM, schoolId, purpose: 'bot_reply', body: 'On WhatsApp', idempotencyKey: 'own-number-wa' });
		const before = fake.requests.length;
		const result = await deliverDueMessages(
			handle,
			{ sms: twilioSmsTransport(twilioConfig, senders), whatsapp: twilioWhatsAppTransport(handle, twilioConfig, whatsapp, () => clock, senders) },
			{ now: new Date(Date.now() + 1000) }
		);
		expect(result.sent).toBe(3);
		const froms = Object.fromEntries(fake.requests.slice(before).map((r) => new URLSearchParams(r.body)).map((f) => [f.get('Body'), f.get('From')]));
		expect(froms).toEqual({ 'From the school': '+447700900321', 'From the deployment': '+447700900000', 'On WhatsApp': 'whatsapp:+447700900322' });
	});
});
