import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import https from 'node:https';
import * as ece from 'http_ece';
import webpush from 'web-push';
import { openTestDatabase, testEngine } from '../helpers/db';
import { startFakeServer, type FakeServer } from '../helpers/fake-http';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { campaignAudience, campaignResults, cancelCampaign, createCampaign, previewCampaign, queueCampaign, queueDueCampaigns, schoolCampaigns } from '../../src/lib/server/features/campaigns/campaigns';
import { savePushSubscription, vapidHeaderCache, webPushTransport } from '../../src/lib/server/providers/webpush';
import { claimDueMessages, deliverDueMessages } from '../../src/lib/server/platform/outbox';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const KEYS = { ...webpush.generateVAPIDKeys(), subject: 'mailto:test@example.org' };
/** Accepts the fake push service's throwaway certificate (the only difference from production). */
const testAgent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });

// The fake push service is on 127.0.0.1, which production refuses (platform/public-address.ts).
process.env.PUSH_ALLOW_PRIVATE_HOSTS = '1';

describe(`Every Day Counts campaigns and web push (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let head: string;
	let fakePush: FakeServer;
	let goneStatus = 201;
	const browser = crypto.createECDH('prime256v1');
	browser.generateKeys();
	const authSecret = crypto.randomBytes(16);
	let y5Parent: string;
	let y3Parent: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'camp', urn: '495001', misIds: ['A5', 'B5', 'C3'] });
		schoolId = school.id;
		await handle.query(`update pupils set first_name = 'Amy', year_group = 5 where id = $1`, [school.pupils.get('A5')]);
		await handle.query(`update pupils set first_name = 'Ben', year_group = 5 where id = $1`, [school.pupils.get('B5')]);
		await handle.query(`update pupils set first_name = 'Cal', year_group = 3 where id = $1`, [school.pupils.get('C3')]);
		y5Parent = await createGuardian(handle, { phone: '+447700911001' });
		const benParent = await createGuardian(handle, { phone: '+447700911002' });
		y3Parent = await createGuardian(handle, { phone: '+447700911003' });
		await linkGuardian(handle, y5Parent, school.pupils.get('A5')!);
		await linkGuardian(handle, benParent, school.pupils.get('B5')!);
		await linkGuardian(handle, y3Parent, school.pupils.get('C3')!);
		await handle.query(`insert into sms_opt_outs (phone) values ('+447700911002')`);
		head = (await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'h@camp.test', 'H', 'headteacher', 'x') returning id`, [schoolId]))[0]!.id;
		fakePush = await startFakeServer(() => ({ status: goneStatus, json: {} }), { tls: true });
		await savePushSubscription(handle.db, y5Parent, {
			endpoint: `${fakePush.url}/push/amy-phone`,
			keys: { p256dh: browser.getPublicKey('base64url'), auth: authSecret.toString('base64url') }
		});
	});
	afterAll(async () => {
		await fakePush?.close();
		await handle?.close();
	});

	it('flags congratulations for a child below 96% and talk of days missed for a child who missed none', async () => {
		// Amy: every session present. Ben: half his sessions missed. Cal: no marks yet (no figures to contradict).
		const [amy, ben] = ['Amy', 'Ben'];
		for (const [name, codes] of [[amy, ['/', '\\', '/', '\\']], [ben, ['/', 'O', 'I', '\\']]] as const) {
			const [pupil] = await handle.query<{ id: string }>(`select id from pupils where first_name = $1 and school_id = $2`, [name, schoolId]);
			for (const [i, code] of codes.entries()) {
				await handle.query(`insert into attendance_marks (pupil_id, school_id, date, session, code, source) values ($1, $2, $3, $4, $5, 'seed')`, [pupil!.id, schoolId, i < 2 ? '2026-10-05' : '2026-10-06', i % 2 === 0 ? 'AM' : 'PM', code]);
			}
		}
		try {
			const base = { audience: { kind: 'year' as const, yearGroup: 5 }, channels: ['sms' as const] };
			const praise = await previewCampaign(handle, schoolId, { ...base, title: 'Well done', body: '{firstName} has been in school {attendance} of the time. Well done!' });
			if (!praise.ok) throw new Error(JSON.stringify(praise.errors));
			expect(praise.toneWarnings).toEqual({ praiseBelowExcellent: 1, concernWithoutAbsence: 0 });
			const missed = await previewCampaign(handle, schoolId, { ...base, title: 'Summary', body: 'This year so far {firstName} has missed {daysMissed} of school.' });
			if (!missed.ok) throw new Error(JSON.stringify(missed.errors));
			expect(missed.toneWarnings).toEqual({ praiseBelowExcellent: 0, concernWithoutAbsence: 1 });
			const plain = await previewCampaign(handle, schoolId, { ...base, title: 'Reminder', body: 'School starts again on Monday. See you soon, {firstName}.' });
			if (!plain.ok) throw new Error(JSON.stringify(plain.errors));
			expect(plain.toneWarnings).toEqual({ praiseBelowExcellent: 0, concernWithoutAbsence: 0 });
		} finally {
			await handle.query(`delete from attendance_marks where school_id = $1`, [schoolId]);
		}
	});

	it('previews the audience, an example and the SMS cost', async () => {
		const p = await previewCampaign(handle, schoolId, { title: 'Well done', body: 'Well done {firstName}!', audience: { kind: 'year', yearGroup: 5 }, channels: ['sms', 'push'] });
		expect(p).toMatchObject({ ok: true, families: 2, children: 2, example: 'Well done Amy!', sms: { segments: 2 } });
		const bad = await previewCampaign(handle, schoolId, { title: 'x', body: 'Hi {surname}', audience: { kind: 'school' }, channels: [] });
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.errors.map((e) => e.field)).toEqual(['title', 'body', 'channels']);
	});

	it('a campaign to Year 5 reaches exactly that audience, once, even if queued twice at the same time', async () => {
		const made = await createCampaign(handle, { schoolId, staffUserId: head, input: { title: 'Every day counts', body: '{firstName}: every day counts!', audience: { kind: 'year', yearGroup: 5 }, channels: ['sms', 'push'] } });
		expect(made.ok).toBe(true);
		if (!made.ok) return;
		const [a, b] = await Promise.all([queueCampaign(handle, made.id), queueCampaign(handle, made.id)]);
		expect(a + b).toBe(3); // Amy: SMS + push; Ben: SMS (opted out, refused at send time)
		expect(await queueDueCampaigns(handle)).toBe(0);
		const rows = await handle.query<{ channel: string; recipient: string; guardian_id: string }>(`select channel, recipient, guardian_id from outbound_messages where campaign_id = $1 order by channel, recipient`, [made.id]);
		expect(rows.map((r) => r.guardian_id)).not.toContain(y3Parent);
		expect(rows.map((r) => [r.channel, r.recipient.startsWith('+44') ? r.recipient : 'subscription']).sort()).toEqual([
			['push', 'subscription'],
			['sms', '+447700911001'],
			['sms', '+447700911002']
		]);

		// Delivery: the real web-push encryption, decrypted by the "browser" at the fake push service.
		const sms: string[] = [];
		const run = await deliverDueMessages(handle, { push: webPushTransport(handle, KEYS, { agent: testAgent }), sms: { async send(m) { sms.push(m.recipient); return { providerMessageId: 'x' }; } } }, { now: new Date(Date.now() + 1000) });
		const errs = await handle.query<{ last_error: string }>(`select last_error from outbound_messages where last_error is not null`);
		expect(errs.map((e) => e.last_error).filter((e) => !e.includes('STOP'))).toEqual([]);
		expect(run.sent).toBe(2);
		expect(sms).toEqual(['+447700911001']);
		const req = fakePush.requests.at(-1)!;
		expect(req.path).toBe('/push/amy-phone');
		expect(req.headers['content-encoding']).toBe('aes128gcm');
		expect(String(req.headers['authorization'])).toMatch(/^vapid t=/);
		const payload = JSON.parse(ece.decrypt(req.raw, { version: 'aes128gcm', privateKey: browser, authSecret }).toString('utf8'));
		expect(payload).toMatchObject({ title: 'Every day counts', body: 'Amy: every day counts!' });

		const results = await campaignResults(handle, schoolId, made.id);
		expect(results!.results).toEqual(
			expect.arrayContaining([
				{ channel: 'push', outcome: 'sent', n: 1 },
				{ channel: 'sms', outcome: 'sent', n: 1 },
				{ channel: 'sms', outcome: 'opted_out', n: 1 }
			])
		);
		expect(await campaignResults(handle, '00000000-0000-4000-8000-000000000000', made.id)).toBeNull();
	});

	it('each family gets the version in their language, previewed per language; without one, the English', async () => {
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [y3Parent]);
		try {
			const input = {
				title: 'Every day counts',
				body: '{firstName}: every day counts!',
				translations: { pl: { title: 'Każdy dzień się liczy', body: '{firstName}: każdy dzień się liczy!' }, ro: { title: '', body: '' } },
				audience: { kind: 'school' as const },
				channels: ['sms' as const, 'push' as const]
			};
			const p = await previewCampaign(handle, schoolId, input);
			if (!p.ok) throw new Error(JSON.stringify(p.errors));
			const pl = p.languages.find((l) => l.locale === 'pl')!;
			expect(pl).toMatchObject({ families: 1, translated: true, title: 'Każdy dzień się liczy', text: 'Cal: każdy dzień się liczy!', lang: 'pl', mismatched: false });
			expect(p.languages.find((l) => l.locale === 'en')).toMatchObject({ families: 2, translated: true });
			// No family reads Romanian and the Romanian version was left empty: not listed.
			expect(p.languages.map((l) => l.locale)).toEqual(['en', 'pl']);

			// A version in a language with an error in it: a clear error naming the language.
			const bad = await previewCampaign(handle, schoolId, { ...input, translations: { ar: { title: 'مرحبا', body: 'مرحبا {surname}' } } });
			expect(bad.ok).toBe(false);
			if (!bad.ok) expect(bad.errors).toEqual([{ field: 'body-ar', problem: { code: 'unknown_merge_fields', language: 'ar' }, message: 'Use only {firstName}, {attendance} and {daysMissed} in the message (Arabic)' }]);

			const made = await createCampaign(handle, { schoolId, staffUserId: head, input });
			if (!made.ok) throw new Error('not made');
			await queueCampaign(handle, made.id);
			const rows = await handle.query<{ recipient: string; body: string }>(`select recipient, body from outbound_messages where campaign_id = $1 and channel = 'sms' order by recipient`, [made.id]);
			expect(rows).toEqual([
				{ recipient: '+447700911001', body: 'Amy: every day counts!' },
				{ recipient: '+447700911002', body: 'Ben: every day counts!' },
				{ recipient: '+447700911003', body: 'Cal: każdy dzień się liczy!' }
			]);
			// Not delivered here: the tests after this one count what the outbox sends.
			await handle.query(`delete from outbound_messages where campaign_id = $1`, [made.id]);
		} finally {
			await handle.query(`update guardians set preferred_language = 'en' where id = $1`, [y3Parent]);
		}
	});

	it('warns when a template\'s translation is kept but the English was rewritten', async () => {
		const t = (await import('../../src/lib/domain/campaigns')).CAMPAIGN_TEMPLATES[0];
		const p = await previewCampaign(handle, schoolId, { title: t.title, body: 'Something else entirely, {firstName}.', translations: { pl: t.translations.pl }, audience: { kind: 'school' }, channels: ['sms'] });
		if (!p.ok) throw new Error('invalid');
		expect(p.languages.find((l) => l.locale === 'pl')!.mismatched).toBe(true);
		const same = await previewCampaign(handle, schoolId, { title: t.title, body: t.body, translations: { pl: t.translations.pl }, audience: { kind: 'school' }, channels: ['sms'] });
		if (!same.ok) throw new Error('invalid');
		expect(same.languages.find((l) => l.locale === 'pl')!.mismatched).toBe(false);
	});

	it('a subscription the push service says is gone (410) is removed and not retried', async () => {
		goneStatus = 410;
		const made = await createCampaign(handle, { schoolId, staffUserId: head, input: { title: 'Test', body: 'Hello {firstName}', audience: { kind: 'school' }, channels: ['push'] } });
		if (!made.ok) throw new Error('not made');
		expect(await queueCampaign(handle, made.id)).toBe(1);
		await deliverDueMessages(handle, { push: webPushTransport(handle, KEYS, { agent: testAgent }) }, { now: new Date(Date.now() + 1000) });
		expect(await handle.query(`select * from push_subscriptions`)).toEqual([]);
		const [row] = await handle.query<{ status: string; provider_status: string }>(`select status, provider_status from outbound_messages where campaign_id = $1`, [made.id]);
		expect(row).toEqual({ status: 'dead', provider_status: 'gone' });
	});

	it('excluded families get nothing', async () => {
		const everyone = await campaignAudience(handle, schoolId, { kind: 'school' });
		const without = await campaignAudience(handle, schoolId, { kind: 'school' }, [y5Parent]);
		expect(everyone.length - without.length).toBe(1);
		expect(without.map((r) => r.guardianId)).not.toContain(y5Parent);
	});

	it('a worker that died after claiming campaign messages: they go out once, after the lease', async () => {
		const made = await createCampaign(handle, { schoolId, staffUserId: head, input: { title: 'Test 2', body: 'Hi {firstName}', audience: { kind: 'year', yearGroup: 3 }, channels: ['sms'] } });
		if (!made.ok) throw new Error('not made');
		await queueCampaign(handle, made.id);
		const t0 = new Date(Date.now() + 5000);
		expect((await claimDueMessages(handle, 50, 60_000, t0)).length).toBeGreaterThan(0);
		const sent: string[] = [];
		const transport = { async send(m: { recipient: string }) { sent.push(m.recipient); return { providerMessageId: 'y' }; } };
		await deliverDueMessages(handle, { sms: transport }, { now: new Date(t0.getTime() + 1000) });
		expect(sent).toEqual([]);
		await deliverDueMessages(handle, { sms: transport }, { now: new Date(t0.getTime() + 61_000) });
		await deliverDueMessages(handle, { sms: transport }, { now: new Date(t0.getTime() + 62_000) });
		expect(sent).toEqual(['+447700911003']);
	});

	it('send later: nothing is queued before the time; the scheduler queues it once when due', async () => {
		const now = new Date();
		const sendAt = new Date(now.getTime() + 2 * 3_600_000);
		const made = await createCampaign(handle, { schoolId, staffUserId: head, now, input: { title: 'Later', body: 'See you soon, {firstName}', audience: { kind: 'year', yearGroup: 3 }, channels: ['sms'], sendAt } });
		if (!made.ok) throw new Error('not made');
		expect(await queueCampaign(handle, made.id, now)).toBe(0);
		expect(await queueDueCampaigns(handle, new Date(sendAt.getTime() - 1000))).toBe(0);
		expect(await handle.query(`select id from outbound_messages where campaign_id = $1`, [made.id])).toEqual([]);
		expect(await queueDueCampaigns(handle, sendAt)).toBe(1);
		expect(await queueDueCampaigns(handle, new Date(sendAt.getTime() + 60_000))).toBe(0);
		const rows = await handle.query<{ recipient: string; body: string }>(`select recipient, body from outbound_messages where campaign_id = $1`, [made.id]);
		expect(rows).toEqual([{ recipient: '+447700911003', body: 'See you soon, Cal' }]);
		// Too late to cancel once queued.
		expect(await cancelCampaign(handle, { schoolId, staffUserId: head, campaignId: made.id })).toBe(false);
	});

	it('send later must be in the future and at most 90 days ahead', async () => {
		const now = new Date();
		const input = { title: 'Later', body: 'See you soon, {firstName}', audience: { kind: 'school' as const }, channels: ['sms' as const] };
		const past = await createCampaign(handle, { schoolId, staffUserId: head, now, input: { ...input, sendAt: new Date(now.getTime() - 1000) } });
		const far = await createCampaign(handle, { schoolId, staffUserId: head, now, input: { ...input, sendAt: new Date(now.getTime() + 91 * 86_400_000) } });
		expect(past).toMatchObject({ ok: false, errors: [{ field: 'sendDate' }] });
		expect(far).toMatchObject({ ok: false, errors: [{ field: 'sendDate' }] });
	});

	it('a cancelled scheduled campaign is never queued; other schools cannot cancel it', async () => {
		const now = new Date();
		const sendAt = new Date(now.getTime() + 3_600_000);
		const made = await createCampaign(handle, { schoolId, staffUserId: head, now, input: { title: 'Cancel me', body: 'Hello {firstName}', audience: { kind: 'school' }, channels: ['sms'], sendAt } });
		if (!made.ok) throw new Error('not made');
		const other = await createTestSchool(handle, { slug: 'camp-other', urn: '495002', misIds: ['Z1'] });
		expect(await cancelCampaign(handle, { schoolId: other.id, staffUserId: head, campaignId: made.id })).toBe(false);
		expect(await cancelCampaign(handle, { schoolId, staffUserId: head, campaignId: made.id })).toBe(true);
		expect(await cancelCampaign(handle, { schoolId, staffUserId: head, campaignId: made.id })).toBe(false);
		expect(await queueDueCampaigns(handle, new Date(sendAt.getTime() + 1000))).toBe(0);
		expect(await queueCampaign(handle, made.id, new Date(sendAt.getTime() + 1000))).toBe(0);
		expect(await handle.query(`select id from outbound_messages where campaign_id = $1`, [made.id])).toEqual([]);
		const listed = (await schoolCampaigns(handle, schoolId)).find((c) => c.id === made.id);
		expect(listed?.cancelledAt).toBeInstanceOf(Date);
		const [audit] = await handle.query<{ action: string }>(`select action from audit_log where subject_id = $1 and action = 'campaign.cancelled'`, [made.id]);
		expect(audit).toEqual({ action: 'campaign.cancelled' });
	});

	it('cancelling and the scheduler racing: exactly one wins', async () => {
		const now = new Date();
		const sendAt = new Date(now.getTime() + 60_000);
		const made = await createCampaign(handle, { schoolId, staffUserId: head, now, input: { title: 'Race', body: 'Hello {firstName}', audience: { kind: 'year', yearGroup: 3 }, channels: ['sms'], sendAt } });
		if (!made.ok) throw new Error('not made');
		const [queued, cancelled] = await Promise.all([queueCampaign(handle, made.id, sendAt), cancelCampaign(handle, { schoolId, staffUserId: head, campaignId: made.id })]);
		const [row] = await handle.query<{ queued: boolean; cancelled: boolean }>(`select queued_at is not null as queued, cancelled_at is not null as cancelled from campaigns where id = $1`, [made.id]);
		expect(row!.queued !== row!.cancelled).toBe(true);
		expect(cancelled).toBe(row!.cancelled);
		expect(queued).toBe(row!.queued ? 1 : 0);
	});

	it('signs one VAPID header per push service origin and reuses it until shortly before it expires', () => {
		let now = Date.parse('2026-12-01T09:00:00Z');
		const header = vapidHeaderCache(() => now);
		const a1 = header('https://fcm.googleapis.com/fcm/send/abc', KEYS);
		const a2 = header('https://fcm.googleapis.com/fcm/send/def', KEYS);
		const b = header('https://updates.push.services.mozilla.com/wpush/v2/xyz', KEYS);
		expect(a2).toBe(a1);
		expect(b).not.toBe(a1);
		const claims = (h: string) => JSON.parse(Buffer.from(/t=([^.]+)\.([^.]+)\./.exec(h)![2]!, 'base64url').toString()) as { aud: string; exp: number };
		expect(claims(a1)).toMatchObject({ aud: 'https://fcm.googleapis.com', exp: now / 1000 + 12 * 3600 });
		expect(claims(b).aud).toBe('https://updates.push.services.mozilla.com');
		now += 10 * 3600 * 1000; // 10 h later: still valid for 2 h, reused
		expect(header('https://fcm.googleapis.com/fcm/send/ghi', KEYS)).toBe(a1);
		now += 1 * 3600 * 1000 + 1000; // within the last hour: a new one
		const renewed = header('https://fcm.googleapis.com/fcm/send/ghi', KEYS);
		expect(renewed).not.toBe(a1);
		expect(claims(renewed).exp).toBe(Math.floor(now / 1000) + 12 * 3600);
	});
});
