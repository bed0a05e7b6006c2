/**
 * Rate limits on the message-sending paths (sign-in limits are in guardian-sign-in,
 * staff-auth and rate-limit tests): each limit triggers with a clear, polite answer, nothing is
 * stored or queued for the refused attempt, and it resets when its window ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { LIMITS } from '../../src/lib/server/platform/limits';
import { INBOUND_LIMIT_REPLY, handleInboundMessage } from '../../bot/conversations';
import { submitAbsenceReport, type SubmitAbsenceInput } from '../../src/lib/server/features/absence';
import { submitLeave } from '../../src/lib/server/features/leave/requests';
import { createTelegramLinkToken, redeemTelegramLinkToken } from '../../src/lib/server/features/accounts/telegram-linking';
import { sendFirstDayContacts } from '../../src/lib/server/features/school-day/school-day';
import { createCampaign } from '../../src/lib/server/features/campaigns/campaigns';
import { subscribeToPush } from '../../src/lib/server/providers/webpush';
import { createTestSchool } from '../fixtures/register/school';
import { illnessReport } from '../fixtures/absence/report';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const T0 = new Date('2026-11-05T08:00:00Z'); // Thu 5 Nov 2026, a school day in the test calendar
const later = (ms: number) => new Date(T0.getTime() + ms);

describe(`rate limits on sending paths (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let parent: string;
	let sam: string;
	let schoolId: string;
	const count = async (sql: string, params: unknown[] = []) => (await handle.query<{ n: number }>(sql, params))[0]!.n;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'limits', urn: '480001', misIds: ['SAM'] });
		sam = school.pupils.get('SAM')!;
		schoolId = school.id;
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		parent = await createGuardian(handle, { phone: '+447700920001' });
		await linkGuardian(handle, parent, sam);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('inbound texts from one number: one polite notice over the limit, then silence, STOP still honoured, reset after the window', async () => {
		const from = '+447700920001'; // the parent's own number: STOP is honoured for known numbers
		const sms = (i: number, text = 'hello', now = T0) =>
			handleInboundMessage(handle, { channel: 'sms', providerMessageId: `SMlimit${i}`, address: from, text, now });
		const queued = () => count(`select count(*)::int as n from outbound_messages where recipient = $1`, [from]);
		const { limit } = LIMITS.inboundPerSender;
		for (let i = 0; i < limit; i++) {
			const texts = (await sms(i)).replies.map((r) => r.text);
			expect(texts.length).toBeGreaterThan(0);
			expect(texts.some((t) => t.startsWith(INBOUND_LIMIT_REPLY))).toBe(false);
		}
		const before = await queued();
		const over = await sms(limit);
		expect(over.replies).toHaveLength(1);
		expect(over.replies[0]!.text).toMatch(/^We have had a lot of messages from you in the last few minutes, so we have paused replies\. If it is urgent, please phone the school\. Please try again in \d+ minutes\.$/);
		expect((await sms(limit + 1)).replies).toEqual([]);
		expect(await queued()).toBe(before + 1);
		// Every message is recorded as seen: a redelivery is a duplicate, not a new count.
		expect((await sms(limit + 1)).duplicate).toBe(true);
		// STOP is never limited.
		await sms(limit + 2, 'STOP');
		expect(await count(`select count(*)::int as n from sms_opt_outs where phone = $1`, [from])).toBe(1);
		await sms(limit + 3, 'START');
		// The next window: answered again.
		const next = (await sms(limit + 4, 'hello', later(LIMITS.inboundPerSender.windowMs + 1000))).replies.map((r) => r.text);
		expect(next.length).toBeGreaterThan(0);
		expect(next.some((t) => t.startsWith(INBOUND_LIMIT_REPLY))).toBe(false);
	});

	it('absence reports per parent: refused with a clear message and nothing stored, a retry of a stored one still answered, reset after an hour', async () => {
		const input = (over: Partial<SubmitAbsenceInput> = {}) => illnessReport(parent, sam, T0, over);
		const { limit, windowMs } = LIMITS.reportsPerGuardian;
		const first = input();
		for (let i = 0; i < limit; i++) {
			const r = await submitAbsenceReport(handle, i === 0 ? first : input());
			expect('reports' in r, JSON.stringify(r)).toBe(true);
		}
		const stored = await count(`select count(*)::int as n from absence_reports`);
		const outbox = await count(`select count(*)::int as n from outbound_messages`);
		const refused = await submitAbsenceReport(handle, input());
		expect(refused).toMatchObject({
			errors: [{ field: 'pupilIds', message: expect.stringMatching(/^You have sent a lot of reports in the last hour\. Please try again in \d+ minutes\. If it is urgent, please phone the school\.$/) }],
			retryAfterSeconds: expect.any(Number)
		});
		expect(await count(`select count(*)::int as n from absence_reports`)).toBe(stored);
		expect(await count(`select count(*)::int as n from outbound_messages`)).toBe(outbox);
		// The phone resending the first report (same key) still gets its reference.
		expect('reports' in (await submitAbsenceReport(handle, first))).toBe(true);
		expect('reports' in (await submitAbsenceReport(handle, input({ now: later(windowMs + 1000) })))).toBe(true);
	});

	it('leave requests per parent: refused over the limit, nothing stored, reset the next day', async () => {
		const answers = { pupilIds: [sam], type: 'exceptional', from: '2026-11-23', to: '2026-11-24', reason: 'A funeral' };
		const { limit, windowMs } = LIMITS.leavePerGuardian;
		for (let i = 0; i < limit; i++) expect((await submitLeave(handle, parent, answers, T0)).ok).toBe(true);
		const stored = await count(`select count(*)::int as n from leave_requests`);
		const refused = await submitLeave(handle, parent, answers, T0);
		expect(refused).toMatchObject({ ok: false, errors: [{ field: 'pupilIds', message: expect.stringMatching(/^You have sent a lot of leave requests today\. Please try again in \d+ hours\.$/) }] });
		expect(await count(`select count(*)::int as n from leave_requests`)).toBe(stored);
		expect((await submitLeave(handle, parent, answers, later(windowMs + 1000))).ok).toBe(true);
	});

	it('Telegram linking per Telegram user: guessing codes is cut short, even a good code waits for the window', async () => {
		const who = { telegramUserId: 777001, chatId: 777001 };
		const { limit, windowMs } = LIMITS.telegramLinkAttemptsPerUser;
		for (let i = 0; i < limit; i++) {
			expect(await redeemTelegramLinkToken(handle.db, 'a'.repeat(32), who, T0)).toEqual({ ok: false, reason: 'invalid_expired_or_used' });
		}
		const { token } = await createTelegramLinkToken(handle.db, parent, T0);
		expect(await redeemTelegramLinkToken(handle.db, token, who, T0)).toEqual({ ok: false, reason: 'rate_limited' });
		expect(await count(`select count(*)::int as n from telegram_accounts where telegram_user_id = $1`, [who.telegramUserId])).toBe(0);
		// The code was not used up by the refused attempt: it works once the window has passed (within its 30 minutes).
		const fresh = await createTelegramLinkToken(handle.db, parent, later(windowMs));
		expect(await redeemTelegramLinkToken(handle.db, fresh.token, who, later(windowMs + 1000))).toEqual({ ok: true, guardianId: parent });
	});

	it('first day contact started by staff: refused over the limit, the scheduler’s own run is not limited', async () => {
		const staffUserId = randomUUID();
		const { limit, windowMs } = LIMITS.firstDayContactsPerStaff;
		for (let i = 0; i < limit; i++) {
			expect((await sendFirstDayContacts(handle, { schoolId, date: '2026-11-05', staffUserId, now: T0 })).retryAfterSeconds).toBeUndefined();
		}
		const refused = await sendFirstDayContacts(handle, { schoolId, date: '2026-11-05', staffUserId, now: T0 });
		expect(refused.retryAfterSeconds).toBeGreaterThan(0);
		expect(refused.contacted).toEqual([]);
		expect((await sendFirstDayContacts(handle, { schoolId, date: '2026-11-05', staffUserId: null, now: T0 })).retryAfterSeconds).toBeUndefined();
		expect((await sendFirstDayContacts(handle, { schoolId, date: '2026-11-05', staffUserId, now: later(windowMs + 1000) })).retryAfterSeconds).toBeUndefined();
	});

	it('campaigns per school: refused over the limit with a clear message, nothing stored, reset the next day', async () => {
		const staff = (await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'lead@limits.test', 'Lead', 'attendance_lead', 'x') returning id`, [schoolId]))[0]!.id;
		const send = (now: Date) => createCampaign(handle, { schoolId, staffUserId: staff, now, input: { title: 'Every day counts', body: 'Thank you, {firstName}.', audience: { kind: 'school' }, channels: ['sms'] } });
		const { limit } = LIMITS.campaignsPerSchool;
		for (let i = 0; i < limit; i++) expect((await send(T0)).ok).toBe(true);
		const stored = await count(`select count(*)::int as n from campaigns where school_id = $1`, [schoolId]);
		const over = await send(T0);
		expect(over.ok).toBe(false);
		if (!over.ok) {
			expect(over.errors[0]!.message).toMatch(/^Your school has sent or scheduled a lot of messages today\. Please try again in \d+ hours\.$/);
			expect('retryAfterSeconds' in over && over.retryAfterSeconds).toBeGreaterThan(0);
		}
		expect(await count(`select count(*)::int as n from campaigns where school_id = $1`, [schoolId])).toBe(stored);
		expect((await send(later(24 * 3_600_000 + 1000))).ok).toBe(true);
	});

	it('turning on notifications per parent: refused over the limit, nothing saved, reset after an hour; a bad subscription is refused without counting', async () => {
		const sub = (i: number) => ({ endpoint: `https://push.example.org/limit/${i}`, keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } });
		expect(await subscribeToPush(handle.db, parent, { endpoint: 'not a url' }, T0)).toEqual({ ok: false, reason: 'invalid' });
		const { limit } = LIMITS.pushSubscriptionsPerGuardian;
		for (let i = 0; i < limit; i++) expect((await subscribeToPush(handle.db, parent, sub(i), T0)).ok).toBe(true);
		const over = await subscribeToPush(handle.db, parent, sub(limit), T0);
		expect(over).toMatchObject({ ok: false, reason: 'limited' });
		expect(await count(`select count(*)::int as n from push_subscriptions where guardian_id = $1`, [parent])).toBe(limit);
		expect((await subscribeToPush(handle.db, parent, sub(limit), later(3_600_000 + 1000))).ok).toBe(true);
	});
});
