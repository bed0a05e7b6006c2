import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import twilio from 'twilio';
import { openTestDatabase, testEngine } from '../helpers/db';
import { startFakeServer, type FakeServer } from '../helpers/fake-http';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleTwilioSms, handleTwilioStatus } from '../../bot/channels/twilio';
import { telegramWebhookHandler } from '../../bot/channels/telegram';
import { requestSignInCode, verifySignInCode } from '../../src/lib/server/features/accounts/guardian-sign-in';
import { checkLeave, submitLeave } from '../../src/lib/server/features/leave/requests';
import { createCampaign, previewCampaign, queueCampaign } from '../../src/lib/server/features/campaigns/campaigns';
import { enqueueMessage } from '../../src/lib/server/platform/outbox';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/**
 * Malformed input at the webhooks and forms, property-based with fast-check: the
 * Twilio SMS and status webhooks (correctly signed bodies that are malformed, huge or any
 * Unicode, and bad signatures), the Telegram webhook (any body, wrong secret), the parent
 * sign-in, the leave request and the staff campaign forms. Never an exception (a 500), always
 * a clear 4xx or error message or a polite reply, and nothing written for refused input.
 */
const AUTH_TOKEN = 'fuzz-twilio-token';
const SMS_URL = 'https://every-day.example/webhooks/twilio/sms';
const STATUS_URL = 'https://every-day.example/webhooks/twilio/status';
const PARENT_PHONE = '+447700907001';
const NOW = new Date('2026-11-02T10:00:00Z');

const anyText = (maxLength: number): fc.Arbitrary<string> =>
	fc.oneof(
		fc.string({ maxLength }),
		fc.string({ unit: 'grapheme', maxLength }),
		fc.string({ unit: 'binary', maxLength }),
		fc.constantFrom('', ' ', '\u0000', '😷🤒', 'Ẓ̵̡̛a̸l̷g̶o̴', '<script>alert(1)</script>', "'; drop table pupils; --", '%00%ff', '\u202Eevil')
	);
const hugeText = fc.integer({ min: 1_500, max: 20_000 }).map((n) => 'Sam is off sick '.repeat(Math.ceil(n / 16)).slice(0, n));
const sid = fc.stringMatching(/^SM[0-9a-f]{32}$/);

describe(`malformed input at webhooks and forms (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let parent: string;
	let sam: string;
	let staffId: string;
	let fakeTelegram: FakeServer;
	const count = async (table: string) => (await handle.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;
	const counts = async <T extends string>(...tables: T[]): Promise<Record<T, number>> =>
		Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)] as const))) as Record<T, number>;

	beforeAll(async () => {
		handle = await openTestDatabase();
		school = await createTestSchool(handle, { slug: 'fuzzb', urn: '450001', misIds: ['SAM'] });
		sam = school.pupils.get('SAM')!;
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		parent = await createGuardian(handle, { phone: PARENT_PHONE });
		await linkGuardian(handle, parent, sam);
		staffId = (
			await handle.query<{ id: string }>(
				`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'lead@fuzzb.test', 'Lead', 'attendance_lead', 'x') returning id`,
				[school.id]
			)
		)[0]!.id;
		fakeTelegram = await startFakeServer(() => ({ status: 200, json: { ok: true, result: true } }));
	});
	afterAll(async () => {
		await fakeTelegram?.close();
		await handle?.close();
	});

	it('the Twilio SMS webhook checks the signature over every field, one named "__proto__" included', async () => {
		const form = new URLSearchParams([
			['__proto__', ''],
			['MessageSid', `SM${'a'.repeat(32)}`],
			['From', '+447700907999'],
			['Body', 'help'],
			['To', '+447700900000']
		]);
		const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, Object.fromEntries(form));
		const result = await handleTwilioSms(handle, { url: SMS_URL, signature, form, authToken: AUTH_TOKEN });
		expect(result.status).toBe(200);
	});

	it('the Twilio SMS webhook: any correctly signed body is answered 200 or 400, a refused one writes nothing', async () => {
		const outcomes = { 200: 0, 400: 0 };
		await fc.assert(
			fc.asyncProperty(
				fc.record(
					{
						MessageSid: fc.oneof(sid, anyText(40)),
						From: fc.oneof(fc.constant(PARENT_PHONE), fc.constant('07700 907001'), fc.stringMatching(/^\+447\d{9}$/), anyText(40)),
						Body: fc.oneof(fc.constantFrom('Sam is off sick today', 'STOP', 'START', '1', 'help'), anyText(300), hugeText),
						To: fc.constant('+447700900000')
					},
					{ requiredKeys: [] }
				),
				fc.dictionary(anyText(12), anyText(30), { maxKeys: 3 }),
				async (fields, extra) => {
					const form = new URLSearchParams({ ...extra, ...fields });
					const params = Object.fromEntries(form);
					const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, SMS_URL, params);
					const before = await counts('inbound_messages', 'outbound_messages', 'absence_reports');
					const result = await handleTwilioSms(handle, { url: SMS_URL, signature, form, authToken: AUTH_TOKEN });
					expect([200, 400]).toContain(result.status);
					expect(result.contentType).toBe('text/xml');
					outcomes[result.status as 200 | 400]++;
					const after = await counts('inbound_messages', 'outbound_messages', 'absence_reports');
					if (result.status === 400) expect(after).toEqual(before);
					else expect(after.inbound_messages - before.inbound_messages).toBeLessThanOrEqual(1);
				}
			),
			{ numRuns: 80 }
		);
		expect(outcomes[200]).toBeGreaterThan(0);
		expect(outcomes[400]).toBeGreaterThan(0);
	});

	it('the Twilio webhooks refuse any body whose signature is wrong (403), writing nothing', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({ MessageSid: sid, From: fc.constant(PARENT_PHONE), Body: anyText(200), MessageStatus: fc.constantFrom('delivered', 'failed') }),
				fc.oneof(fc.constant(null), fc.constant(''), anyText(60), fc.base64String({ minLength: 28, maxLength: 28 })),
				fc.constantFrom('sms', 'status'),
				async (fields, signature, which) => {
					const form = new URLSearchParams(fields);
					// A signature made with another token, or for another URL, is as wrong as noise.
					const forged = signature ?? twilio.getExpectedTwilioSignature('another-token', which === 'sms' ? SMS_URL : STATUS_URL, Object.fromEntries(form));
					const before = await counts('inbound_messages', 'outbound_messages');
					const snapshot = await handle.query(`select id, status, provider_status from outbound_messages order by id`);
					const input = { url: which === 'sms' ? SMS_URL : STATUS_URL, signature: forged, form, authToken: AUTH_TOKEN };
					const result = which === 'sms' ? await handleTwilioSms(handle, input) : await handleTwilioStatus(handle, input);
					expect(result.status).toBe(403);
					expect(await counts('inbound_messages', 'outbound_messages')).toEqual(before);
					expect(await handle.query(`select id, status, provider_status from outbound_messages order by id`)).toEqual(snapshot);
				}
			),
			{ numRuns: 60 }
		);
	});

	it('the Twilio status callback: any signed body is 200 or 400, and changes at most the message it names', async () => {
		const knownSid = `SM${'a'.repeat(32)}`;
		const id = await enqueueMessage(handle.db, { channel: 'sms', recipient: PARENT_PHONE, purpose: 'test', body: 'x', idempotencyKey: 'fuzz-status' });
		await handle.query(`update outbound_messages set status = 'sent', provider_message_id = $1 where id = $2`, [knownSid, id]);
		await fc.assert(
			fc.asyncProperty(
				fc.record(
					{
						MessageSid: fc.oneof(fc.constant(knownSid), sid, anyText(80)),
						MessageStatus: fc.oneof(fc.constantFrom('delivered', 'undelivered', 'failed', 'sent', 'read'), anyText(20)),
						ErrorCode: anyText(10)
					},
					{ requiredKeys: [] }
				),
				async (fields) => {
					const form = new URLSearchParams(fields);
					const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, STATUS_URL, Object.fromEntries(form));
					const rows = () => handle.query<{ id: string; provider_message_id: string | null }>(`select id, provider_message_id, status, provider_status, last_error from outbound_messages order by id`);
					const others = async () => (await rows()).filter((r) => r.provider_message_id !== fields.MessageSid);
					const before = await others();
					const all = await rows();
					const result = await handleTwilioStatus(handle, { url: STATUS_URL, signature, form, authToken: AUTH_TOKEN });
					expect([200, 400]).toContain(result.status);
					if (result.status === 400) expect(await rows()).toEqual(all);
					else expect(await others()).toEqual(before);
				}
			),
			{ numRuns: 80 }
		);
	});

	it('the Telegram webhook: a wrong secret is 401, a body that is not an update is 400 with nothing written, any update is 200', async () => {
		const config = { token: '654321:FUZZ', webhookSecret: 'fuzz-secret', apiRoot: fakeTelegram.url, username: 'FuzzBot' };
		const webhook = telegramWebhookHandler(handle, config);
		const int = fc.integer({ min: -1e12, max: 1e12 });
		const user = fc.record({ id: int, is_bot: fc.boolean(), first_name: anyText(20) });
		const message = fc.record(
			{
				message_id: fc.nat(),
				date: fc.nat(),
				chat: fc.record({ id: int, type: fc.constantFrom('private', 'group', 'channel') }),
				from: user,
				text: fc.oneof(fc.constantFrom('/start', '/start abc', '/start ' + 'a'.repeat(32), 'Sam is off sick', 'STOP'), anyText(200), hugeText),
				contact: fc.record({ phone_number: fc.oneof(fc.constant('447700907001'), anyText(20)), first_name: anyText(10), user_id: int }, { requiredKeys: ['phone_number'] })
			},
			{ requiredKeys: ['message_id', 'date', 'chat'] }
		);
		const update = fc.record(
			{
				update_id: fc.nat(),
				message,
				callback_query: fc.record({ id: anyText(10), from: user, data: anyText(20), message }, { requiredKeys: ['id', 'from'] })
			},
			{ requiredKeys: ['update_id'] }
		);
		const body = fc.oneof(
			{ arbitrary: update.map((u) => JSON.stringify(u)), weight: 4 },
			{ arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
			{ arbitrary: anyText(200), weight: 1 },
			{ arbitrary: fc.record({ update_id: fc.oneof(anyText(5), fc.double()), message: fc.jsonValue() }).map((v) => JSON.stringify(v)), weight: 1 }
		);
		const secretHeader: fc.Arbitrary<string | null> = fc.oneof(
			{ arbitrary: fc.constant('fuzz-secret'), weight: 4 },
			{ arbitrary: fc.option(anyText(20)) as fc.Arbitrary<string | null>, weight: 1 }
		);
		const outcomes = { 200: 0, 400: 0, 401: 0 };
		await fc.assert(
			fc.asyncProperty(body, secretHeader, async (text, secret) => {
				const before = await counts('inbound_messages', 'outbound_messages', 'telegram_accounts', 'absence_reports');
				const headers: Record<string, string> = { 'content-type': 'application/json' };
				if (secret !== null) {
					try {
						new Headers({ x: secret });
						headers['x-telegram-bot-api-secret-token'] = secret;
					} catch {
						// Not a legal header value: sent without the header.
					}
				}
				const response = await webhook(new Request('https://every-day.example/webhooks/telegram', { method: 'POST', headers, body: text }));
				expect([200, 400, 401]).toContain(response.status);
				outcomes[response.status as 200 | 400 | 401]++;
				if (secret !== 'fuzz-secret') expect(response.status).toBe(401);
				if (response.status !== 200) {
					expect((await response.text()).length).toBeGreaterThan(0);
					expect(await counts('inbound_messages', 'outbound_messages', 'telegram_accounts', 'absence_reports')).toEqual(before);
				}
			}),
			{ numRuns: 120 }
		);
		expect(outcomes[200]).toBeGreaterThan(0);
		expect(outcomes[400]).toBeGreaterThan(0);
		expect(outcomes[401]).toBeGreaterThan(0);
	});

	it('parent sign-in: any number, address or code is answered, never signs anyone in, and a refused request queues nothing', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(fc.constant(PARENT_PHONE), fc.constant('07700 907001'), fc.emailAddress(), anyText(60), hugeText),
				fc.oneof(fc.stringMatching(/^\d{6}$/), anyText(20)),
				// The address comes from the server (getClientAddress), never from the form.
				fc.option(fc.oneof(fc.ipV4(), fc.ipV6())),
				async (identifier, code, ip) => {
					const before = await counts('sign_in_codes', 'outbound_messages', 'auth_sessions');
					const requested = await requestSignInCode(handle.db, { identifier, ip });
					const afterRequest = await counts('sign_in_codes', 'outbound_messages', 'auth_sessions');
					if (!requested.ok) expect(afterRequest).toEqual(before);
					else expect(afterRequest.outbound_messages - before.outbound_messages).toBeLessThanOrEqual(1);
					const verified = await verifySignInCode(handle.db, { identifier, code, ip });
					// The code sent is random: a guessed one is right one time in a million; never in this run.
					expect(verified.ok).toBe(false);
					expect(await count('auth_sessions')).toBe(before.auth_sessions);
				}
			),
			{ numRuns: 60 }
		);
	});

	it('the leave request form: any answers are refused with field errors or stored whole', async () => {
		const outcomes = { stored: 0, refused: 0 };
		const date = fc.oneof(fc.constantFrom('2026-11-23', '2026-11-24', '2026-11-02', '2026-02-30', '2026-12-25', '24/11/2026'), anyText(12));
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					pupilIds: fc.oneof({ arbitrary: fc.constant<string[]>([sam]), weight: 2 }, { arbitrary: fc.array(fc.oneof(fc.constant(sam), fc.uuid(), anyText(40)), { maxLength: 4 }), weight: 1 }),
					type: fc.oneof({ arbitrary: fc.constantFrom('exceptional', 'religious', 'other', 'holiday'), weight: 3 }, { arbitrary: anyText(20), weight: 1 }),
					from: fc.oneof({ arbitrary: fc.constant('2026-11-23'), weight: 2 }, { arbitrary: date, weight: 1 }),
					to: fc.oneof({ arbitrary: fc.constant('2026-11-24'), weight: 2 }, { arbitrary: date, weight: 1 }),
					reason: fc.oneof(anyText(100), hugeText)
				}),
				async (answers) => {
					const checked = await checkLeave(handle, parent, answers, NOW);
					if (!checked.ok) {
						expect(checked.errors.length).toBeGreaterThan(0);
						for (const e of checked.errors) expect(e.message.length).toBeGreaterThan(0);
					}
					const before = await counts('leave_requests', 'leave_request_pupils', 'outbound_messages');
					const result = await submitLeave(handle, parent, answers, NOW);
					const after = await counts('leave_requests', 'leave_request_pupils', 'outbound_messages');
					outcomes[result.ok ? 'stored' : 'refused']++;
					if (!result.ok) expect(after).toEqual(before);
					else {
						expect(after.leave_requests).toBe(before.leave_requests + 1);
						expect(after.leave_request_pupils).toBeGreaterThan(before.leave_request_pupils);
					}
				}
			),
			// Found by this property: a real child beside an id that is not one was stored with the bad id (a 500).
			{ numRuns: 60, examples: [[{ pupilIds: [sam, ''], type: 'exceptional', from: '2026-11-23', to: '2026-11-24', reason: 'A family funeral abroad' }]] }
		);
		expect(outcomes.stored).toBeGreaterThan(0);
		expect(outcomes.refused).toBeGreaterThan(0);
	});

	it('the staff campaign form: any input is previewed or refused with field errors; a refused one stores and queues nothing', async () => {
		// NUL included: PostgreSQL text and jsonb refuse it (22P05), so the schema must drop it.
		const text = (max: number) => fc.oneof(anyText(max), anyText(max).map((t) => `${t}\u0000${t}`));
		let campaignRun = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					title: fc.oneof(fc.constant('Every day counts'), text(120)),
					body: fc.oneof(fc.constant('Thank you for bringing {firstName} to school.'), fc.constant('{firstName} {unknown} {attendance}'), text(700), hugeText),
					audience: fc.oneof(
						fc.constant({ kind: 'school' as const }),
						fc.record({ kind: fc.constant('year' as const), yearGroup: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double()) }),
						fc.record({ kind: fc.constant('class' as const), className: text(40) }),
						fc.record({ kind: fc.constant('band' as const), band: text(20) as fc.Arbitrary<never> })
					),
					channels: fc.array(fc.constantFrom('push', 'sms', 'telegram', 'email') as fc.Arbitrary<never>, { maxLength: 3 }),
					translations: fc.option(fc.record({ pl: fc.record({ title: text(120), body: text(700) }), ar: fc.record({ title: fc.constant('مرحبا'), body: text(700) }) }), { nil: undefined })
				}),
				async (input) => {
					const preview = await previewCampaign(handle, school.id, input);
					expect(preview).toBeTypeOf('object');
					const before = await counts('campaigns', 'outbound_messages');
					// A day apart, so the school's daily campaign limit does not refuse them all.
					const now = new Date(NOW.getTime() + ++campaignRun * 86_400_000);
					const made = await createCampaign(handle, { schoolId: school.id, staffUserId: staffId, input, now });
					if (!made.ok) {
						expect(made.errors.length).toBeGreaterThan(0);
						for (const e of made.errors) expect(e.message.length).toBeGreaterThan(0);
						expect(await counts('campaigns', 'outbound_messages')).toEqual(before);
					} else {
						await queueCampaign(handle, made.id, now);
						expect(await count('campaigns')).toBe(before.campaigns + 1);
					}
				}
			),
			{ numRuns: 50 }
		);
	});
});
