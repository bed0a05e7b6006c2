import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleInboundMessage, type InboundMessage } from '../../bot/conversations';
import { ensureDefaultDirectory } from '../../src/lib/server/features/support/directory';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/* Thu 5 Nov 2026 is a school day in the test calendar; 08:00 GMT is before the register closes. */
const MORNING = new Date('2026-11-05T08:00:00Z');
const POLISH_MUM = '+447700908101';
const ENGLISH_DAD = '+447700908102';

describe(`bot replies in the guardian's language (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let mum: string;
	let dad: string;
	let seq = 0;
	const sms = (address: string, text: string, over: Partial<InboundMessage> = {}): InboundMessage => ({
		channel: 'sms',
		providerMessageId: `SMi18n${++seq}`,
		address,
		text,
		now: MORNING,
		...over
	});
	const queued = (recipient: string) =>
		handle.query<{ body: string; choices: string[] | null }>(
			`select body, choices from outbound_messages where purpose = 'bot_reply' and recipient = $1 order by created_at, idempotency_key`,
			[recipient]
		);

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'langs', urn: '470101', misIds: ['ZOSIA', 'KUBA', 'TOM'] });
		await handle.query(`update schools set name = 'Harbour Primary' where id = $1`, [school.id]);
		const [zosia, kuba, tom] = ['ZOSIA', 'KUBA', 'TOM'].map((id) => school.pupils.get(id)!);
		await handle.query(`update pupils set first_name = 'Zosia' where id = $1`, [zosia]);
		await handle.query(`update pupils set first_name = 'Kuba' where id = $1`, [kuba]);
		await handle.query(`update pupils set first_name = 'Tom' where id = $1`, [tom]);
		mum = await createGuardian(handle, { phone: POLISH_MUM });
		// As the school's MIS import sets it.
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [mum]);
		await linkGuardian(handle, mum, zosia!);
		await linkGuardian(handle, mum, kuba!);
		dad = await createGuardian(handle, { phone: ENGLISH_DAD });
		await linkGuardian(handle, dad, tom!);
		await ensureDefaultDirectory(handle);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('a guardian whose preferred language is Polish gets the report confirmation in Polish, by SMS', async () => {
		const r = await handleInboundMessage(handle, sms(POLISH_MUM, 'Zosia is off sick today'));
		expect(r.replies).toHaveLength(1);
		expect(r.replies[0]!.text).toMatch(
			/^Dziękujemy\. Poinformowaliśmy Harbour Primary: Zosia \(nr ref\. [A-Z2-9]{3}-[A-Z2-9]{3}\), nieobecność: dzisiaj \(choroba\)\. Życzymy szybkiego powrotu do zdrowia\.$/
		);
		const [row] = await queued(POLISH_MUM);
		expect(row!.body).toBe(r.replies[0]!.text);
		// The report itself is stored as usual.
		const [report] = await handle.query<{ reason: string }>(`select reason from absence_reports where guardian_id = $1`, [mum]);
		expect(report!.reason).toBe('illness');
	});

	it('questions and numbered choices are in Polish too (the SMS lines and the reasons)', async () => {
		const r = await handleInboundMessage(handle, sms(POLISH_MUM, 'off today'));
		expect(r.replies[0]!.text).toBe('Kto nie będzie w szkole?');
		expect(r.replies[0]!.choices).toEqual(['Kuba', 'Zosia', 'Oboje']);
		const rows = await queued(POLISH_MUM);
		expect(rows.at(-1)!.body).toBe('Kto nie będzie w szkole?\n1 Kuba\n2 Zosia\n3 Oboje\nOdpowiedz numerem.');
		const reason = await handleInboundMessage(handle, sms(POLISH_MUM, '2'));
		expect(reason.replies[0]!.text).toBe('Jaki jest powód?');
		expect(reason.replies[0]!.choices).toContain('Choroba');
		expect(reason.replies[0]!.choices).toContain('Wizyta u lekarza lub dentysty');
	});

	it('an unknown message gets the Polish menu', async () => {
		const r = await handleInboundMessage(handle, sms(POLISH_MUM, 'qwerty zxcv'));
		expect(r.replies[0]!.text).toMatch(/^Przepraszamy, nie zrozumieliśmy\. Możesz napisać po polsku/);
	});

	it('on Telegram, a Polish guardian gets Polish whatever the app says', async () => {
		await handle.query(`insert into telegram_accounts (telegram_user_id, guardian_id, chat_id, linked_via) values (8101, $1, 81010, 'start_token')`, [mum]);
		const r = await handleInboundMessage(handle, {
			channel: 'telegram',
			providerMessageId: 'tg-i18n-1',
			address: '81010',
			telegramUserId: 8101,
			languageCode: 'ro',
			text: 'hello',
			now: MORNING
		});
		expect(r.replies[0]!.text).toMatch(/^Dzień dobry\. /);
	});

	it('on Telegram, a guardian with the default English gets their app’s language when we have it', async () => {
		await handle.query(`insert into telegram_accounts (telegram_user_id, guardian_id, chat_id, linked_via) values (8102, $1, 81020, 'start_token')`, [dad]);
		const ro = await handleInboundMessage(handle, {
			channel: 'telegram',
			providerMessageId: 'tg-i18n-2',
			address: '81020',
			telegramUserId: 8102,
			languageCode: 'ro',
			text: 'Tom is off sick today',
			now: MORNING
		});
		expect(ro.replies[0]!.text).toMatch(/^Vă mulțumim\. Am anunțat Harbour Primary: Tom \(ref\. [A-Z2-9-]{7}\), absent astăzi \(boală\)\./);
		const de = await handleInboundMessage(handle, {
			channel: 'telegram',
			providerMessageId: 'tg-i18n-3',
			address: '81020',
			telegramUserId: 8102,
			languageCode: 'de',
			text: 'hello',
			now: MORNING
		});
		expect(de.replies[0]!.text).toMatch(/^Hello\. You can text:/);
	});

	it('an English guardian texting by SMS still gets the English wording', async () => {
		const r = await handleInboundMessage(handle, sms(ENGLISH_DAD, 'hello'));
		expect(r.replies[0]!.text).toBe('Hello. You can text: "Sam is off sick today", "attendance" or "help". For anything urgent, phone the school.');
	});
});
