/**
 * Campaign results by the channel each message actually went on, and the families previewed
 * against the families sent to, with the reason for every difference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { campaignResults, createCampaign, previewCampaign, queueCampaign } from '../../src/lib/server/features/campaigns/campaigns';
import { deliverDueMessages } from '../../src/lib/server/platform/outbox';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

describe(`campaign reach (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let head: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'reach', urn: '495101', misIds: ['P1', 'P2', 'P3', 'P4', 'P5'] });
		schoolId = school.id;
		const pupil = (mis: string) => school.pupils.get(mis)!;
		// P1's parent: a mobile number. P2's: a mobile number and Telegram. P3's: nothing to reach them on.
		await linkGuardian(handle, await createGuardian(handle, { phone: '+447700912001' }), pupil('P1'));
		const telegram = await createGuardian(handle, { phone: '+447700912002' });
		await linkGuardian(handle, telegram, pupil('P2'));
		await handle.query(`insert into telegram_accounts (telegram_user_id, guardian_id, chat_id, linked_via) values (912002, $1, 912002, 'start_token')`, [telegram]);
		await linkGuardian(handle, await createGuardian(handle, { email: 'nophone@reach.test' }), pupil('P3'));
		// P4's two parents: each their own number, each a family to reach.
		await linkGuardian(handle, await createGuardian(handle, { phone: '+447700912004', firstName: 'Ann' }), pupil('P4'));
		await linkGuardian(handle, await createGuardian(handle, { phone: '+447700912014', firstName: 'Bob' }), pupil('P4'), 'Father');
		// P5's parent texted STOP.
		await linkGuardian(handle, await createGuardian(handle, { phone: '+447700912005' }), pupil('P5'));
		await handle.query(`insert into sms_opt_outs (phone) values ('+447700912005')`);
		head = (await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'h@reach.test', 'H', 'headteacher', 'x') returning id`, [schoolId]))[0]!.id;
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('lists every chosen channel as actually sent, and explains each family previewed but not sent to', async () => {
		const input = { title: 'Every day counts', body: 'Every day at school counts, {firstName}.', audience: { kind: 'school' as const }, channels: ['push' as const, 'sms' as const, 'telegram' as const] };
		const preview = await previewCampaign(handle, schoolId, input);
		expect(preview).toMatchObject({ ok: true, families: 6 });
		const made = await createCampaign(handle, { schoolId, staffUserId: head, input });
		if (!made.ok) throw new Error(JSON.stringify(made.errors));
		// Texts to P1, P2, both of P4's parents and P5 (refused at send time); Telegram to P2.
		expect(await queueCampaign(handle, made.id)).toBe(6);
		const texts = await handle.query<{ recipient: string }>(`select recipient from outbound_messages where campaign_id = $1 and channel = 'sms' order by recipient`, [made.id]);
		expect(texts.map((t) => t.recipient)).toEqual(['+447700912001', '+447700912002', '+447700912004', '+447700912005', '+447700912014']);

		const ok = async () => ({ providerMessageId: 'x' });
		await deliverDueMessages(handle, { sms: { send: ok }, telegram: { send: ok } }, { now: new Date(Date.now() + 1000) });

		const r = (await campaignResults(handle, schoolId, made.id))!;
		expect(r.channels.map((c) => c.channel)).toEqual(['push', 'sms', 'telegram']);
		const push = r.channels.find((c) => c.channel === 'push')!;
		expect(push).toEqual({ channel: 'push', families: 0, results: [] });
		const sms = r.channels.find((c) => c.channel === 'sms')!;
		expect(sms.families).toBe(5);
		expect(sms.results).toEqual(
			expect.arrayContaining([
				{ channel: 'sms', outcome: 'sent', n: 4 },
				{ channel: 'sms', outcome: 'opted_out', n: 1 }
			])
		);
		expect(r.channels.find((c) => c.channel === 'telegram')).toEqual({ channel: 'telegram', families: 1, results: [{ channel: 'telegram', outcome: 'sent', n: 1 }] });

		// Six families previewed, four sent to: one with no address on any chosen channel, one opted out.
		expect(r.reach).toEqual({
			families: 6,
			sentTo: 4,
			differences: [
				{ reason: 'no_address', families: 1 },
				{ reason: 'opted_out', families: 1 }
			]
		});
		expect(r.reach!.families - r.reach!.sentTo).toBe(r.reach!.differences.reduce((n, d) => n + d.families, 0));
	});

	it('has no reach for a campaign not sent yet', async () => {
		const later = await createCampaign(handle, {
			schoolId,
			staffUserId: head,
			input: { title: 'Later', body: 'See you on Monday, {firstName}.', audience: { kind: 'school' }, channels: ['sms'], sendAt: new Date(Date.now() + 86_400_000) }
		});
		if (!later.ok) throw new Error(JSON.stringify(later.errors));
		const r = (await campaignResults(handle, schoolId, later.id))!;
		expect(r.reach).toBeNull();
		expect(r.channels).toEqual([{ channel: 'sms', families: null, results: [] }]);
	});
});
