import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleInboundMessage, type InboundMessage } from '../../bot/conversations';
import { deliverDueMessages, enqueueMessage, type Transport } from '../../src/lib/server/platform/outbox';
import { ensureDefaultDirectory } from '../../src/lib/server/features/support/directory';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/* Thu 5 Nov 2026 is a school day in the test calendar; 08:00 GMT is before the register closes. */
const MORNING = new Date('2026-11-05T08:00:00Z');
const MUM = '+447700908001';

describe(`SMS and Telegram conversations (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let mum: string;
	let sam: string;
	let ella: string;
	let seq = 0;

	const sms = (text: string, over: Partial<InboundMessage> = {}): InboundMessage => ({
		channel: 'sms',
		providerMessageId: `SM${++seq}`,
		address: MUM,
		text,
		now: MORNING,
		...over
	});
	const reports = () =>
		handle.query<{ first_name: string; reason: string; channel: string; sessions: string }>(
			`select p.first_name, r.reason, r.channel, r.sessions from absence_reports r join pupils p on p.id = r.pupil_id order by r.submitted_at, p.first_name`
		);
	const replies = () =>
		handle.query<{ recipient: string; body: string; choices: string[] | null }>(
			`select recipient, body, choices from outbound_messages where purpose = 'bot_reply' order by created_at, idempotency_key`
		);

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'bot', urn: '470001', misIds: ['SAM', 'ELLA'] });
		await handle.query(`update schools set name = 'Bot Primary', phone = '023 9200 0003' where id = $1`, [school.id]);
		sam = school.pupils.get('SAM')!;
		ella = school.pupils.get('ELLA')!;
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ella' where id = $1`, [ella]);
		mum = await createGuardian(handle, { phone: MUM });
		await linkGuardian(handle, mum, sam);
		await linkGuardian(handle, mum, ella);
		await ensureDefaultDirectory(handle);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('"Sam is off sick today" stores one report and confirms it with a reference; a redelivery does nothing', async () => {
		const message = sms('Sam is off sick today');
		const first = await handleInboundMessage(handle, message);
		expect(first.duplicate).toBe(false);
		expect(first.replies[0]!.text).toMatch(/^Thank you\. We have told Bot Primary: Sam \(ref [A-Z2-9]{3}-[A-Z2-9]{3}\), off today \(illness\)\. We hope they feel better soon\.$/);
		const again = await handleInboundMessage(handle, message);
		expect(again.duplicate).toBe(true);
		expect(await reports()).toEqual([{ first_name: 'Sam', reason: 'illness', channel: 'sms', sessions: 'BOTH' }]);
		expect((await replies()).filter((r) => r.body.startsWith('Thank you.'))).toHaveLength(1);
	});

	it('asks who, then why, with numbered options on SMS, keeping the state between messages', async () => {
		const ask = await handleInboundMessage(handle, sms('not coming in today'));
		// Children in the order the parent sees them everywhere (same year group: by name).
		expect(ask.replies).toEqual([{ text: 'Who is off school?', choices: ['Ella', 'Sam', 'Both'] }]);
		const last = (await replies()).at(-1)!;
		expect(last.body).toBe('Who is off school?\n1 Ella\n2 Sam\n3 Both\nReply with a number.');
		// Ella: Sam is already reported for today (the first test), which would be added to his report.
		const why = await handleInboundMessage(handle, sms('1'));
		expect(why.replies[0]).toMatchObject({ text: 'What is the reason?', choices: ['Illness', 'Medical or dental appointment', 'Mental health', 'Family emergency', 'Something else'] });
		const done = await handleInboundMessage(handle, sms('2'));
		expect(done.replies[0]!.text).toMatch(/^Thank you\. We have told Bot Primary: Ella \(ref .*\), off today \(medical or dental appointment\)\.$/);
		expect((await reports()).filter((r) => r.first_name === 'Ella')).toEqual([{ first_name: 'Ella', reason: 'medical_appointment', channel: 'sms', sessions: 'BOTH' }]);
	});

	it('answers "attendance" and "help" with the same figures and signposts as the web', async () => {
		const a = await handleInboundMessage(handle, sms('attendance'));
		expect(a.replies[0]!.text.split('\n')).toEqual(['Ella: no register marks yet this year.', 'Sam: no register marks yet this year.']);
		const h = await handleInboundMessage(handle, sms('the bus never came'));
		expect(h.replies[0]!.text).toContain('Bot Primary can help: 023 9200 0003.');
		expect(h.replies[0]!.text).toContain('School transport and travel: https://www.portsmouth.gov.uk/services/schools-learning-and-childcare/schools/school-transport-and-travel/');
	});

	it('an unknown number gets one polite reply and nothing else', async () => {
		const r = await handleInboundMessage(handle, sms('Sam is ill', { address: '+447700908999' }));
		expect(r.guardianId).toBeNull();
		expect(r.replies[0]!.text).toMatch(/^Sorry, we don't recognise this number/);
		expect(await reports()).toHaveLength(2);
	});

	it('STOP is stored and honoured by the outbox; START lifts it', async () => {
		await handleInboundMessage(handle, sms('STOP'));
		await enqueueMessage(handle.db, { channel: 'sms', recipient: MUM, guardianId: mum, purpose: 'campaign', body: 'Every day counts!', idempotencyKey: 'campaign-1' });
		const sent: string[] = [];
		const transport: Transport = { async send(m) { sent.push(m.body); return { providerMessageId: `X${sent.length}` }; } };
		await deliverDueMessages(handle, { sms: transport }, { limit: 100, now: new Date(Date.now() + 1000) });
		expect(sent.some((b) => b === 'Every day counts!')).toBe(false);
		expect(sent.some((b) => b.startsWith('You will not get any more texts'))).toBe(true);
		const [row] = await handle.query<{ status: string; provider_status: string }>(`select status, provider_status from outbound_messages where idempotency_key = 'campaign-1'`);
		expect(row).toEqual({ status: 'dead', provider_status: 'opted_out' });
		await handleInboundMessage(handle, sms('START'));
		expect(await handle.query(`select * from sms_opt_outs`)).toEqual([]);
	});

	it('Telegram: identified only by a linked account; choices are kept as buttons', async () => {
		await handle.query(`insert into telegram_accounts (telegram_user_id, guardian_id, chat_id, linked_via) values (777, $1, 7770, 'start_token')`, [mum]);
		const r = await handleInboundMessage(handle, { channel: 'telegram', providerMessageId: 'u1', address: '7770', telegramUserId: 777, text: 'off today', now: MORNING });
		expect(r.replies[0]).toEqual({ text: 'Who is off school?', choices: ['Ella', 'Sam', 'Both'] });
		const [last] = await handle.query<{ body: string; choices: string[] }>(`select body, choices from outbound_messages where recipient = '7770'`);
		expect(last).toEqual({ body: 'Who is off school?', choices: ['Ella', 'Sam', 'Both'] });
		const stranger = await handleInboundMessage(handle, { channel: 'telegram', providerMessageId: 'u2', address: '9999', telegramUserId: 999, text: 'Sam is ill', now: MORNING });
		expect(stranger.replies[0]!.text).toMatch(/Link Telegram/);
	});
});
