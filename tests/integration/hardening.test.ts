/**
 * Doors an attacker tried: another family's idempotency key, a push endpoint inside our own
 * network, the Telegram bot in a group chat, a PDF refused as a broken photo, keys that no longer
 * open what the database holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import https from 'node:https';
import webpush from 'web-push';
import { webhookCallback } from 'grammy';
import { PDFDocument } from 'pdf-lib';
import twilio from 'twilio';
import { handleTwilioStatus } from '../../bot/channels/twilio';
import { openTestDatabase, testEngine } from '../helpers/db';
import { startFakeServer, type FakeServer } from '../helpers/fake-http';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { submitAbsenceReport, type SubmitResult } from '../../src/lib/server/features/absence';
import { subscribeToPush, webPushTransport } from '../../src/lib/server/providers/webpush';
import type { TelegramConfig } from '../../src/lib/server/providers/telegram';
import { createTelegramBot } from '../../bot/channels/telegram';
import { deliverDueMessages, enqueueMessage } from '../../src/lib/server/platform/outbox';
import { checkEvidence } from '../../src/lib/server/features/leave/evidence';
import { encryptSecret, resetAppSecretCache } from '../../src/lib/server/platform/secrets';
import { reloadConfig } from '../../src/lib/server/platform/config';
import { checkSecretsAgainstData } from '../../src/lib/server/startup/secret-check';
import { REDACTED_SIGN_IN_BODY, runRetention } from '../../src/lib/server/platform/retention';
import { runScheduledJobs } from '../../src/lib/server/startup/scheduler';
import type { EvidenceStore } from '../../src/lib/server/providers/evidence-storage';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const GMT_MORNING = new Date('2026-11-05T08:00:00Z');

function references(result: SubmitResult): string[] {
	return 'errors' in result ? [] : result.reports.map((r) => r.reference);
}

describe(`hardening (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let amyParent: string;
	let benParent: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		school = await createTestSchool(handle, { slug: 'hard', urn: '490901', misIds: ['AMY', 'BEN'] });
		amyParent = await createGuardian(handle, { phone: '+447700912001' });
		benParent = await createGuardian(handle, { phone: '+447700912002' });
		await linkGuardian(handle, amyParent, school.pupils.get('AMY')!);
		await linkGuardian(handle, benParent, school.pupils.get('BEN')!);
	});
	afterAll(async () => {
		await handle?.close();
	});

	describe('idempotency keys', () => {
		it("another family's key never returns that family's report", async () => {
			const key = randomUUID();
			const amy = school.pupils.get('AMY')!;
			const first = await submitAbsenceReport(handle, {
				guardianId: amyParent,
				pupilIds: [amy],
				reason: 'illness',
				details: 'Anxious after a bereavement',
				from: '2026-11-05',
				channel: 'web',
				idempotencyKey: key,
				now: GMT_MORNING
			});
			const [amyRef] = references(first);
			expect(amyRef).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);

			// Ben's parent replays Amy's parent's key and Amy's pupil id.
			const replay = await submitAbsenceReport(handle, {
				guardianId: benParent,
				pupilIds: [amy],
				reason: 'illness',
				from: '2026-11-05',
				channel: 'web',
				idempotencyKey: key,
				now: GMT_MORNING
			});
			expect(references(replay)).toEqual([]);
			expect(JSON.stringify(replay)).not.toContain(amyRef);
			expect('errors' in replay && replay.errors[0]!.field).toBe('pupilIds');

			// The same key for Ben's parent's own child is a report of their own, not Amy's.
			const own = await submitAbsenceReport(handle, {
				guardianId: benParent,
				pupilIds: [school.pupils.get('BEN')!],
				reason: 'illness',
				from: '2026-11-05',
				channel: 'web',
				idempotencyKey: key,
				now: GMT_MORNING
			});
			expect(references(own)).toHaveLength(1);
			expect(references(own)[0]).not.toBe(amyRef);

			// And Amy's parent's own retry still returns the original.
			const retry = await submitAbsenceReport(handle, {
				guardianId: amyParent,
				pupilIds: [amy],
				reason: 'illness',
				from: '2026-11-05',
				channel: 'web',
				idempotencyKey: key,
				now: GMT_MORNING
			});
			expect(references(retry)).toEqual([amyRef]);
			expect('reports' in retry && retry.reports[0]!.created).toBe(false);
		});
	});

	describe('push endpoints', () => {
		const keys = { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) };
		it('refuses loopback, private, link-local and localhost endpoints when a parent subscribes', async () => {
			for (const endpoint of [
				'https://127.0.0.1:8443/push/x',
				'https://localhost/push/x',
				'https://10.0.0.5/push/x',
				'https://169.254.169.254/latest/meta-data',
				'https://[::1]/push/x',
				'https://[fe80::1]/push/x',
				'https://192.168.1.10/push',
				'https://fcm.googleapis.com:8080/fcm/send/x'
			]) {
				expect(await subscribeToPush(handle.db, amyParent, { endpoint, keys }), endpoint).toEqual({ ok: false, reason: 'invalid' });
			}
			expect((await subscribeToPush(handle.db, amyParent, { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys })).ok).toBe(true);
		});

		it('never connects to a stored subscription on a private address', async () => {
			const fake: FakeServer = await startFakeServer(() => ({ status: 201, json: {} }), { tls: true });
			try {
				const [sub] = await handle.query<{ id: string }>(
					`insert into push_subscriptions (guardian_id, endpoint, p256dh, auth) values ($1, $2, $3, $4) returning id`,
					[amyParent, `${fake.url}/push/inside`, keys.p256dh, keys.auth]
				);
				await enqueueMessage(handle.db, {
					channel: 'push',
					recipient: sub!.id,
					purpose: 'test',
					body: JSON.stringify({ title: 't', body: 'b', url: '/' }),
					idempotencyKey: `push-private-${randomUUID()}`
				});
				const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:test@example.org' };
				const agent = new https.Agent({ rejectUnauthorized: false });
				const run = await deliverDueMessages(handle, { push: webPushTransport(handle, vapid, { agent }) }, { now: new Date(Date.now() + 1000) });
				expect(run.sent).toBe(0);
				expect(fake.requests).toHaveLength(0);
				expect(await handle.query(`select 1 from push_subscriptions where id = $1`, [sub!.id])).toHaveLength(0);
			} finally {
				await fake.close();
			}
		});
	});

	describe('Telegram', () => {
		let fakeTelegram: FakeServer;
		let config: TelegramConfig;
		beforeAll(async () => {
			fakeTelegram = await startFakeServer(() => ({ status: 200, json: { ok: true, result: true } }));
			config = { token: '123456:TEST', webhookSecret: 'tg-secret', apiRoot: fakeTelegram.url, username: 'EveryDayTestBot' };
			await handle.query(`insert into telegram_accounts (telegram_user_id, guardian_id, chat_id, linked_via) values (5151, $1, 5151, 'shared_contact')`, [amyParent]);
		});
		afterAll(async () => {
			await fakeTelegram?.close();
		});

		it('answers a linked parent in a private chat, and says nothing in a group', async () => {
			const callback = webhookCallback(createTelegramBot(handle, config), 'std/http', { secretToken: config.webhookSecret });
			const telegramMessages = async () =>
				(await handle.query<{ n: number }>(`select count(*)::int as n from outbound_messages where channel = 'telegram'`))[0]!.n;
			const post = (id: number, chat: { id: number; type: string }) =>
				callback(
					new Request('https://everyday.test/webhooks/telegram', {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret' },
						body: JSON.stringify({
							update_id: id,
							message: { message_id: id, date: 0, chat, from: { id: 5151, is_bot: false, first_name: 'Mum' }, text: 'attendance' }
						})
					})
				);
			const before = await telegramMessages();
			expect((await post(9001, { id: -100777, type: 'group' })).status).toBe(200);
			expect((await post(9002, { id: -100778, type: 'supergroup' })).status).toBe(200);
			expect(await telegramMessages()).toBe(before);
			expect(await handle.query(`select 1 from outbound_messages where recipient like '-%'`)).toHaveLength(0);

			expect((await post(9003, { id: 5151, type: 'private' })).status).toBe(200);
			expect(await telegramMessages()).toBeGreaterThan(before);
		});
	});

	describe('Twilio status callbacks', () => {
		it('keep the furthest status: a replayed or late callback never moves a delivered text back', async () => {
			const sidValue = `SM${randomBytes(16).toString('hex')}`;
			await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700912001', purpose: 'test', body: 'x', idempotencyKey: `status-${sidValue}` });
			await handle.query(`update outbound_messages set status = 'sent', provider_message_id = $1, provider_status = 'queued' where idempotency_key = $2`, [sidValue, `status-${sidValue}`]);
			const url = 'https://everyday.test/webhooks/twilio/status';
			const callback = (MessageStatus: string) => {
				const params = { MessageSid: sidValue, MessageStatus };
				return handleTwilioStatus(handle, { url, form: new URLSearchParams(params), signature: twilio.getExpectedTwilioSignature('tok', url, params), authToken: 'tok' });
			};
			const row = async () =>
				(await handle.query<{ status: string; provider_status: string; last_error: string | null }>(`select status, provider_status, last_error from outbound_messages where provider_message_id = $1`, [sidValue]))[0]!;
			await callback('sent');
			expect((await row()).provider_status).toBe('sent');
			await callback('delivered');
			await callback('sent'); // out of order
			await callback('delivered'); // replayed
			await callback('failed'); // a final status after a final status
			expect(await row()).toEqual({ status: 'delivered', provider_status: 'delivered', last_error: null });
		});
	});

	describe('retention', () => {
		it('removes sign-in codes from the outbox after an hour, and expired sessions, codes and rate-limit rows after their periods', async () => {
			const now = new Date('2026-11-20T12:41:00Z');
			const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
			const code = (key: string, status: string, createdAt: string) =>
				handle.query(
					`insert into outbound_messages (channel, recipient, purpose, body, idempotency_key, status, created_at) values ('sms', '+447700912001', 'sign_in_code', 'Your Every Day code is 482913', $1, $2, $3)`,
					[key, status, createdAt]
				);
			await code('ret-old-sent', 'sent', hoursAgo(2));
			await code('ret-old-pending', 'pending', hoursAgo(2));
			await code('ret-new', 'pending', hoursAgo(0.2));
			await handle.query(
				`insert into outbound_messages (channel, recipient, purpose, body, idempotency_key, status, created_at) values ('sms', '+447700912001', 'absence_confirmation', 'Thank you', 'ret-other', 'sent', $1)`,
				[hoursAgo(48)]
			);
			await handle.query(`insert into auth_sessions (id, guardian_id, expires_at) values ('ret-expired', $1, $2), ('ret-live', $1, $3)`, [amyParent, hoursAgo(25), hoursAgo(-24)]);
			await handle.query(`insert into rate_limit_buckets (key, window_started_at, hits) values ('ret:old', $1, 3), ('ret:new', $2, 3)`, [hoursAgo(49), hoursAgo(1)]);

			// The scheduler runs it once an hour (at minute 41).
			await runScheduledJobs(handle, now);
			const bodies = await handle.query<{ idempotency_key: string; body: string; status: string }>(
				`select idempotency_key, body, status from outbound_messages where idempotency_key like 'ret-%' order by idempotency_key`
			);
			expect(bodies).toEqual([
				{ idempotency_key: 'ret-new', body: 'Your Every Day code is 482913', status: 'pending' },
				{ idempotency_key: 'ret-old-pending', body: REDACTED_SIGN_IN_BODY, status: 'dead' },
				{ idempotency_key: 'ret-old-sent', body: REDACTED_SIGN_IN_BODY, status: 'sent' },
				{ idempotency_key: 'ret-other', body: 'Thank you', status: 'sent' }
			]);
			expect((await handle.query<{ id: string }>(`select id from auth_sessions where id like 'ret-%'`)).map((r) => r.id)).toEqual(['ret-live']);
			expect((await handle.query<{ key: string }>(`select key from rate_limit_buckets where key like 'ret:%'`)).map((r) => r.key)).toEqual(['ret:new']);
			// Running again changes nothing.
			expect(await runRetention(handle, now)).toMatchObject({ signInMessagesRedacted: 0, sessionsDeleted: 0, rateLimitBucketsDeleted: 0 });
		});
	});

	describe('evidence files', () => {
		it('accepts a PDF as it is', async () => {
			const doc = await PDFDocument.create();
			doc.addPage().drawText('Letter from the hospital');
			const pdf = await doc.save();
			const checked = await checkEvidence(pdf);
			expect(checked).toEqual({ ok: true, mimeType: 'application/pdf', bytes: pdf });
		});
	});

	describe('keys at start', () => {
		const emptyStore: EvidenceStore = {
			kind: 'disk',
			put: async () => {},
			get: async () => {
				throw new Error('not found');
			},
			delete: async () => {}
		} as unknown as EvidenceStore;
		const saved = { current: process.env.APP_SECRET, previous: process.env.APP_SECRET_PREVIOUS };
		afterAll(() => {
			process.env.APP_SECRET = saved.current;
			if (saved.previous === undefined) delete process.env.APP_SECRET_PREVIOUS;
			else process.env.APP_SECRET_PREVIOUS = saved.previous;
			resetAppSecretCache();
			reloadConfig();
		});

		it('refuses a rotated APP_SECRET, and re-encrypts two-factor keys when the previous one is given', async () => {
			const oldKey = randomBytes(32);
			const newKey = randomBytes(32);
			const totp = randomBytes(20);
			await handle.query(
				`insert into staff_users (school_id, email, display_name, role, password_hash, totp_key_encrypted) values ($1, 'head@hard.test', 'Head', 'headteacher', 'x', $2)`,
				[school.id, encryptSecret(totp, oldKey)]
			);
			process.env.APP_SECRET = oldKey.toString('base64');
			delete process.env.APP_SECRET_PREVIOUS;
			resetAppSecretCache();
			reloadConfig();
			expect((await checkSecretsAgainstData(handle, emptyStore)).errors).toEqual([]);

			process.env.APP_SECRET = newKey.toString('base64');
			resetAppSecretCache();
			reloadConfig();
			const rotated = await checkSecretsAgainstData(handle, emptyStore);
			expect(rotated.errors).toHaveLength(1);
			expect(rotated.errors[0]).toMatch(/APP_SECRET does not open any of the 1 staff two-factor keys/);

			process.env.APP_SECRET_PREVIOUS = oldKey.toString('base64');
			reloadConfig();
			expect(await checkSecretsAgainstData(handle, emptyStore)).toEqual({ errors: [], reencrypted: 1 });
			delete process.env.APP_SECRET_PREVIOUS;
			reloadConfig();
			// Now the new key alone opens it.
			expect(await checkSecretsAgainstData(handle, emptyStore)).toEqual({ errors: [], reencrypted: 0 });
		});
	});
});
