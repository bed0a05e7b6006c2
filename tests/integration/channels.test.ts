import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { webhookCallback } from 'grammy';
import { openTestDatabase, testEngine } from '../helpers/db';
import { startFakeServer, type FakeServer } from '../helpers/fake-http';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { twilioSmsTransport, type TwilioConfig } from '../../src/lib/server/providers/twilio';
import { handleTwilioSms, handleTwilioStatus } from '../../bot/channels/twilio';
import { telegramTransport, type TelegramConfig } from '../../src/lib/server/providers/telegram';
import { createTelegramBot } from '../../bot/channels/telegram';
import { claimDueMessages, deliverDueMessages, enqueueMessage } from '../../src/lib/server/platform/outbox';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const SID = 'AC' + '0'.repeat(32);
const TOKEN = 'test-auth-token';
const URL_SMS = 'https://everyday.test/webhooks/twilio/sms';
const URL_STATUS = 'https://everyday.test/webhooks/twilio/status';
const MUM = '+447700909001';
const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;

describe(`SMS (Twilio) and Telegram (grammY) with local fakes (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let fakeTwilio: FakeServer;
	let fakeTelegram: FakeServer;
	let twilioConfig: TwilioConfig;
	let telegramConfig: TelegramConfig;
	let smsCount = 0;

	const reports = async () => (await handle.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n;
	const signedForm = (url: string, params: Record<string, string>) => ({
		url,
		form: new URLSearchParams(params),
		signature: twilio.getExpectedTwilioSignature(TOKEN, url, params),
		authToken: TOKEN
	});

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'chan', urn: '480001', misIds: ['SAM'] });
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [school.pupils.get('SAM')]);
		const mum = await createGuardian(handle, { phone: MUM });
		await linkGuardian(handle, mum, school.pupils.get('SAM')!);
		await handle.query(`insert into telegram_accounts (telegram_user_id, guardian_id, chat_id, linked_via) values (4242, $1, 4242, 'shared_contact')`, [mum]);
		fakeTwilio = await startFakeServer((req) => ({ status: 201, json: { sid: sid(900 + ++smsCount), status: 'queued', body: req.body } }));
		fakeTelegram = await startFakeServer((req) => ({
			status: 200,
			json: { ok: true, result: { message_id: 77, date: 0, chat: { id: 4242, type: 'private' }, text: req.path } }
		}));
		twilioConfig = { accountSid: SID, authToken: TOKEN, from: '+447700900000', apiBase: fakeTwilio.url, statusCallback: URL_STATUS };
		telegramConfig = { token: '123456:TEST', webhookSecret: 'telegram-secret', apiRoot: fakeTelegram.url, username: 'EveryDayTestBot' };
	});
	afterAll(async () => {
		await fakeTwilio?.close();
		await fakeTelegram?.close();
		await handle?.close();
	});

	it('sends an SMS through the real twilio SDK to the fake, with our number and status callback', async () => {
		const transport = twilioSmsTransport(twilioConfig);
		const row = { id: 'x', channel: 'sms', recipient: MUM, body: 'Hello from the school', choices: null } as never;
		const { providerMessageId } = await transport.send(row);
		expect(providerMessageId).toMatch(/^SM0+9\d\d$/);
		const req = fakeTwilio.requests.at(-1)!;
		expect(req.method).toBe('POST');
		expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
		expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
		const form = new URLSearchParams(req.body);
		expect(Object.fromEntries(form)).toEqual({ To: MUM, From: '+447700900000', Body: 'Hello from the school', StatusCallback: URL_STATUS });
	});

	it('refuses an inbound SMS with a bad or missing signature, and stores nothing', async () => {
		const params = { MessageSid: sid(1), From: MUM, Body: 'Sam is off sick today' };
		const bad = await handleTwilioSms(handle, { ...signedForm(URL_SMS, params), signature: 'bm90IHZhbGlk' });
		expect(bad.status).toBe(403);
		const none = await handleTwilioSms(handle, { ...signedForm(URL_SMS, params), signature: null });
		expect(none.status).toBe(403);
		// Signed for another URL (a replay against another deployment) is refused too.
		const other = signedForm('https://elsewhere.test/webhooks/twilio/sms', params);
		expect((await handleTwilioSms(handle, { ...other, url: URL_SMS })).status).toBe(403);
		expect(await reports()).toBe(0);
	});

	it('a signed SMS makes one report however often Twilio redelivers it, and the reply goes out through the SDK', async () => {
		const params = { MessageSid: sid(2), From: MUM, Body: 'Sam is off sick today', To: '+447700900000' };
		const first = await handleTwilioSms(handle, signedForm(URL_SMS, params));
		expect(first).toEqual({ status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', contentType: 'text/xml' });
		await Promise.all([handleTwilioSms(handle, signedForm(URL_SMS, params)), handleTwilioSms(handle, signedForm(URL_SMS, params))]);
		expect(await reports()).toBe(1);
		const before = fakeTwilio.requests.length;
		const run = await deliverDueMessages(handle, { sms: twilioSmsTransport(twilioConfig) }, { now: new Date(Date.now() + 1000) });
		expect(run.sent).toBe(1);
		const sent = new URLSearchParams(fakeTwilio.requests[before]!.body);
		expect(sent.get('To')).toBe(MUM);
		expect(sent.get('Body')).toMatch(/^Thank you\. We have told /);
		// The delivery status callback marks it delivered.
		const [row] = await handle.query<{ provider_message_id: string }>(`select provider_message_id from outbound_messages where purpose = 'bot_reply' and channel = 'sms'`);
		const status = await handleTwilioStatus(handle, signedForm(URL_STATUS, { MessageSid: row!.provider_message_id, MessageStatus: 'delivered' }));
		expect(status.status).toBe(200);
		const [after] = await handle.query<{ status: string; provider_status: string }>(`select status, provider_status from outbound_messages where provider_message_id = $1`, [row!.provider_message_id]);
		expect(after).toEqual({ status: 'delivered', provider_status: 'delivered' });
	});

	it('Telegram: the webhook checks the secret token; updates are handled once; replies go out through grammY with buttons', async () => {
		const callback = webhookCallback(createTelegramBot(handle, telegramConfig), 'std/http', { secretToken: telegramConfig.webhookSecret });
		const update = (id: number, text: string) => ({
			update_id: id,
			message: { message_id: id, date: 0, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Mum' }, text }
		});
		const post = (body: unknown, secret?: string) =>
			callback(
				new Request('https://everyday.test/webhooks/telegram', {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
					body: JSON.stringify(body)
				})
			);
		expect((await post(update(1, 'Sam has a temperature today'), 'wrong')).status).toBe(401);
		expect((await post(update(1, 'Sam has a temperature today'))).status).toBe(401);
		expect(await reports()).toBe(1);
		expect((await post(update(2, 'Sam has a temperature today'), 'telegram-secret')).status).toBe(200);
		expect((await post(update(2, 'Sam has a temperature today'), 'telegram-secret')).status).toBe(200);
		// Sam's report today already exists from the SMS test: the Telegram message is added to it,
		// once however often the update is delivered, rather than standing beside it.
		expect(await reports()).toBe(1);
		const [added] = await handle.query<{ n: number; channel: string }>(`select count(*)::int as n, min(channel) as channel from absence_report_additions`);
		expect(added).toEqual({ n: 1, channel: 'telegram' });

		await enqueueMessage(handle.db, { channel: 'telegram', recipient: '4242', purpose: 'bot_reply', body: 'Who is off school?', idempotencyKey: 'tg-choice', choices: ['Sam', 'Both'] });
		const run = await deliverDueMessages(handle, { telegram: telegramTransport(telegramConfig) }, { now: new Date(Date.now() + 1000) });
		expect(run.sent).toBe(2);
		const calls = fakeTelegram.requests.filter((r) => r.path === `/bot${telegramConfig.token}/sendMessage`);
		expect(calls).toHaveLength(2);
		const withButtons = calls.map((c) => JSON.parse(c.body)).find((b) => b.text === 'Who is off school?');
		expect(withButtons).toMatchObject({
			chat_id: '4242',
			reply_markup: { inline_keyboard: [[{ text: 'Sam', callback_data: '1' }], [{ text: 'Both', callback_data: '2' }]] }
		});
	});

	it('a worker killed mid-batch: its claimed messages are sent once, by the next worker, after the lease', async () => {
		for (let i = 0; i < 5; i++) {
			await enqueueMessage(handle.db, { channel: 'sms', recipient: MUM, purpose: 'bot_reply', body: `crash test ${i}`, idempotencyKey: `crash-${i}` });
		}
		const t0 = new Date(Date.now() + 2000);
		// The first worker claims the batch and dies before sending anything.
		const claimed = await claimDueMessages(handle, 10, 60_000, t0);
		expect(claimed.map((m) => m.body).filter((b) => b.startsWith('crash test'))).toHaveLength(5);
		const before = fakeTwilio.requests.length;
		// Another worker runs while the lease holds: nothing to take.
		expect((await deliverDueMessages(handle, { sms: twilioSmsTransport(twilioConfig) }, { now: new Date(t0.getTime() + 1000) })).claimed).toBe(0);
		// After the lease: every message sent exactly once; running again sends nothing more.
		const later = new Date(t0.getTime() + 61_000);
		await deliverDueMessages(handle, { sms: twilioSmsTransport(twilioConfig) }, { now: later });
		await deliverDueMessages(handle, { sms: twilioSmsTransport(twilioConfig) }, { now: new Date(later.getTime() + 1000) });
		const bodies = fakeTwilio.requests.slice(before).map((r) => new URLSearchParams(r.body).get('Body'));
		expect(bodies.filter((b) => b?.startsWith('crash test')).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `crash test ${i}`));
	});
});
