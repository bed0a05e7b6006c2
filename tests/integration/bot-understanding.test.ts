/**
 * The bot understands how parents really text, end to end through the signed Twilio webhook and
 * the Telegram webhook: a range is one report covering the days (as the web form makes it), a
 * part-day appointment is the right session, a correction amends the report just made (until
 * staff acknowledge it), and an ambiguous message stores nothing until it is answered.
 *
 * The clock is set (Date only; timers stay real) to Thursday 5 November 2026, 08:00 in London,
 * a school day in the test calendar.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import twilio from 'twilio';
import { webhookCallback } from 'grammy';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleTwilioSms } from '../../bot/channels/twilio';
import { createTelegramBot } from '../../bot/channels/telegram';
import type { TelegramConfig } from '../../src/lib/server/providers/telegram';
import { acknowledgeAbsenceReport } from '../../src/lib/server/features/absence';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

const TOKEN = 'test-auth-token';
const URL_SMS = 'https://everyday.test/webhooks/twilio/sms';
const MUM = '+447700909101';
const DAD = '+447700909102';
const THURSDAY_8AM = new Date('2026-11-05T08:00:00Z');

describe(`the bot understands parents' texts (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let office: string;
	let seq = 0;
	let clock = THURSDAY_8AM.getTime();

	/** Moves the clock on, so each scenario starts outside the last one's follow-up window. */
	const at = (minutesLater: number) => {
		clock += minutesLater * 60_000;
		vi.setSystemTime(new Date(clock));
	};
	const sms = async (from: string, body: string) => {
		const params = { MessageSid: `SM${String(++seq).padStart(32, '0')}`, From: from, Body: body, To: '+447700900000' };
		const res = await handleTwilioSms(handle, {
			url: URL_SMS,
			form: new URLSearchParams(params),
			signature: twilio.getExpectedTwilioSignature(TOKEN, URL_SMS, params),
			authToken: TOKEN
		});
		expect(res.status).toBe(200);
		const rows = await handle.query<{ body: string }>(
			`select body from outbound_messages where recipient = $1 and idempotency_key like $2 order by idempotency_key`,
			[from, `reply:sms:${params.MessageSid}:%`]
		);
		return rows.map((r) => r.body).join('\n');
	};
	const reports = (firstName?: string) =>
		handle.query<{ id: string; first_name: string; reason: string; starts_on: string; ends_on: string | null; sessions: string; status: string; details: string; part_day: string | null; arrives_by: string | null; leaves_at: string | null; returns_at: string | null; n: number }>(
			`select r.id, p.first_name, r.reason, r.starts_on::text, r.ends_on::text, r.sessions, r.status, r.details,
			        r.part_day, to_char(r.arrives_by, 'HH24:MI') as arrives_by, to_char(r.leaves_at, 'HH24:MI') as leaves_at, to_char(r.returns_at, 'HH24:MI') as returns_at,
			        (select count(*)::int from absence_report_sessions s where s.report_id = r.id) as n
			   from absence_reports r join pupils p on p.id = r.pupil_id
			  where r.status <> 'withdrawn' ${firstName ? `and p.first_name = '${firstName}'` : ''}
			  order by r.submitted_at, p.first_name`
		);
	const count = async () => (await handle.query<{ n: number }>(`select count(*)::int as n from absence_reports`))[0]!.n;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'understand', urn: '480101', misIds: ['SAM', 'ELLA', 'ZAK'] });
		schoolId = school.id;
		await handle.query(`update schools set name = 'Oak Primary' where id = $1`, [school.id]);
		for (const [mis, name] of [['SAM', 'Sam'], ['ELLA', 'Ella'], ['ZAK', 'Zachary']] as const) {
			await handle.query(`update pupils set first_name = $2 where id = $1`, [school.pupils.get(mis), name]);
		}
		await handle.query(`update pupils set preferred_name = 'Zak' where id = $1`, [school.pupils.get('ZAK')]);
		const mum = await createGuardian(handle, { phone: MUM });
		await linkGuardian(handle, mum, school.pupils.get('SAM')!);
		await linkGuardian(handle, mum, school.pupils.get('ELLA')!);
		const dad = await createGuardian(handle, { phone: DAD });
		await linkGuardian(handle, dad, school.pupils.get('ZAK')!);
		await handle.query(`insert into telegram_accounts (telegram_user_id, guardian_id, chat_id, linked_via) values (5151, $1, 5151, 'shared_contact')`, [mum]);
		const [row] = await handle.query<{ id: string }>(
			`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'office@oak.test', 'Office', 'office', 'x') returning id`,
			[school.id]
		);
		office = row!.id;
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(THURSDAY_8AM);
	});
	// Each scenario starts with no open report: a second report for a child and day is added to the
	// first (tested in duplicate-reports.test.ts), and these scenarios are about understanding.
	afterEach(async () => {
		at(30);
		await handle.query(`update absence_reports set status = 'withdrawn' where status <> 'withdrawn'`);
	});
	afterAll(async () => {
		vi.useRealTimers();
		await handle?.close();
	});

	it('SMS: "thurs and fri" is one report covering both days, all four sessions', async () => {
		const reply = await sms(MUM, 'sam d&v since last night, off thurs and fri');
		expect(reply).toMatch(/^Thank you\. We have told Oak Primary: Sam \(ref [A-Z2-9-]+\), off from today to Friday 6 November 2026 \(illness\)\./);
		expect(await reports('Sam')).toEqual([expect.objectContaining({ reason: 'illness', starts_on: '2026-11-05', ends_on: '2026-11-06', sessions: 'BOTH', n: 4 })]);
	});

	it('SMS: a morning appointment tomorrow is the AM session, the time kept in the details; "sorry, I meant Monday" moves it', async () => {
		const reply = await sms(MUM, 'Ella has the dentist tmrw at 10');
		expect(reply).toContain('Ella (ref');
		expect(reply).toContain('off Friday 6 November 2026 (morning) (medical or dental appointment)');
		const [made] = await reports('Ella');
		expect(made).toMatchObject({ reason: 'medical_appointment', starts_on: '2026-11-06', sessions: 'AM', n: 1 });
		expect(made!.details).toBe('Ella has the dentist tmrw at 10 [appointment 10:00]');

		at(3);
		const fix = await sms(MUM, 'sorry, I meant Monday');
		expect(fix).toMatch(/^Thank you, we have changed the report: Ella \(ref [A-Z2-9-]+\), off Monday 9 November 2026 \(morning\)/);
		const after = await reports('Ella');
		expect(after).toHaveLength(1);
		expect(after[0]).toMatchObject({ id: made!.id, starts_on: '2026-11-09', sessions: 'AM', n: 1 });

		// "and Sam too": the same appointment for Sam, a report of his own.
		at(1);
		const also = await sms(MUM, 'and Sam too');
		expect(also).toContain('Sam (ref');
		const sams = await reports('Sam');
		expect(sams.at(-1)).toMatchObject({ reason: 'medical_appointment', starts_on: '2026-11-09', sessions: 'AM' });
	});

	it('SMS: once staff have acknowledged the report, a correction is refused and nothing changes', async () => {
		await sms(MUM, 'Ella has a hospital appointment on the 12th at 2pm');
		const [made] = (await reports('Ella')).filter((r) => r.starts_on === '2026-11-12');
		expect(made).toMatchObject({ sessions: 'PM' });
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: office, schoolId, reportId: made!.id })).toEqual({ ok: true });
		at(2);
		const fix = await sms(MUM, 'sorry I meant the 13th');
		expect(fix).toMatch(/already seen that report/);
		const [same] = (await reports('Ella')).filter((r) => r.id === made!.id);
		expect(same).toMatchObject({ starts_on: '2026-11-12', status: 'acknowledged' });
	});

	it('SMS: an ambiguous day stores nothing until answered ("next Friday" on a Thursday)', async () => {
		const before = await count();
		const ask = await sms(MUM, 'Sam off next friday, hospital check up');
		expect(ask).toBe('Which day do you mean?\n1 Friday 13 November 2026\n2 Friday 6 November 2026\nReply with a number.');
		expect(await count()).toBe(before);
		const done = await sms(MUM, '1');
		expect(done).toContain('off Friday 13 November 2026 (medical or dental appointment)');
		expect((await reports('Sam')).at(-1)).toMatchObject({ starts_on: '2026-11-13', ends_on: '2026-11-13' });
		expect(await count()).toBe(before + 1);
	});

	it('SMS: a name we do not know is asked about, never assumed, and remembered as a nickname once answered', async () => {
		const before = await count();
		const ask = await sms(DAD, 'Zackary has a temperature');
		// A one-letter slip in his full name is still him.
		expect(ask).toMatch(/^Thank you\. We have told Oak Primary: Zak/);
		expect(await count()).toBe(before + 1);

		// A fresh day's question for him, not a second report of the same day (that one is added to the first).
		await handle.query(`update absence_reports set status = 'withdrawn' where status <> 'withdrawn'`);
		at(30);
		const who = await sms(DAD, 'Buster is poorly');
		expect(who).toBe('We do not have a child called Buster on your account. Who is off school?\n1 Zak\nReply with a number.');
		expect(await count()).toBe(before + 1);
		const done = await sms(DAD, '1');
		expect(done).toMatch(/^Thank you\. We have told Oak Primary: Zak/);
		expect(await count()).toBe(before + 2);

		// Next time "Buster" is Zak without asking.
		at(30);
		vi.setSystemTime(new Date('2026-11-06T07:30:00Z'));
		clock = Date.now();
		const again = await sms(DAD, 'Buster has the dentist at 2');
		expect(again).toContain('Zak (ref');
		expect(again).toContain('(afternoon)');
	});

	it('SMS: a late arrival is a part day with its time; a past day is queried and nothing stored', async () => {
		const late = await sms(MUM, 'sam will be late, in by 10');
		expect(late).toMatch(/^Thank you\. We have told Oak Primary: Sam \(ref [A-Z2-9-]+\) will arrive late today, by 10:00\./);
		// The time is the report's own (the board shows it), not a note in the parent's words.
		expect((await reports('Sam')).at(-1)).toMatchObject({ reason: 'other', part_day: 'late_arrival', arrives_by: '10:00', details: 'sam will be late, in by 10' });

		at(30);
		const before = await count();
		expect(await sms(MUM, 'Ella was off sick yesterday')).toMatch(/^We can only take reports for today or a day to come/);
		expect(await sms(MUM, 'Ella has the dentist on Saturday')).toMatch(/^The school is closed then/);
		expect(await count()).toBe(before);
	});

	it('SMS: an appointment with its times misses only the sessions the child is away for their register', async () => {
		// Out from 12:00 to 15:00: away when the afternoon register is taken, so that session only.
		const afternoon = await sms(MUM, 'picking sam up at 12 for the dentist, back by 3');
		expect(afternoon).toMatch(/^Thank you\. We have told Oak Primary: Sam \(ref [A-Z2-9-]+\) will be out today from 12:00 and back by 15:00\./);
		expect((await reports('Sam')).at(-1)).toMatchObject({ reason: 'medical_appointment', part_day: 'appointment', leaves_at: '12:00', returns_at: '15:00', n: 1 });

		// Out from 10:30 to 11:30: in school for both registers, so it is not an absence, and the parent is told so.
		at(30);
		const between = await sms(MUM, 'ella has the dentist, leaving at 10:30, back by 11:30');
		expect(between).toMatch(/will be out today from 10:30 and back by 11:30\. They will be in school when the register is taken, so this is not an absence\.$/);
		expect((await reports('Ella')).at(-1)).toMatchObject({ part_day: 'appointment', leaves_at: '10:30', returns_at: '11:30', n: 0 });
	});

	it('SMS: "chickenpox, off until further notice" is an open-ended report (the daily check-in extends it)', async () => {
		const reply = await sms(MUM, 'ella has chickenpox, off until further notice');
		expect(reply).toContain('off from today until further notice (illness)');
		expect((await reports('Ella')).at(-1)).toMatchObject({ starts_on: clockDate(), ends_on: null, n: 2 });
	});

	it('SMS: a cold is reported, with the NHS word that a child with a cold can usually still go to school', async () => {
		const reply = await sms(MUM, 'sam has a bad cold');
		expect(reply).toContain('NHS advice: They can go to school if they feel well enough and have no temperature.');
	});

	it('SMS: a conversation left mid-question by the previous version of the bot starts afresh, without an error', async () => {
		const mum = (await handle.query<{ id: string }>(`select id from guardians where phone = $1`, [MUM]))[0]!.id;
		const old = { pending: 'child', request: { reason: 'illness', details: 'ill', day: 'today', sessions: 'BOTH' }, options: [{ label: 'Sam', pupilIds: [] }] };
		await handle.query(
			`insert into conversations (channel, address, guardian_id, state, updated_at) values ('sms', $1, $2, $3, now())
			 on conflict (channel, address) do update set state = excluded.state`,
			[MUM, mum, JSON.stringify(old)]
		);
		const before = await count();
		expect(await sms(MUM, '1')).toMatch(/^Sorry, we did not understand that\./);
		expect(await count()).toBe(before);
	});

	it('SMS: "the twins" are the two children with the same date of birth, not their brother', async () => {
		const dad = (await handle.query<{ id: string }>(`select id from guardians where phone = $1`, [DAD]))[0]!.id;
		const twins = await handle.query<{ id: string }>(
			`insert into pupils (school_id, mis_id, first_name, last_name, year_group, date_of_birth)
			 values ($1, 'AVA', 'Ava', 'Pupil', 3, '2019-04-01'), ($1, 'ARLO', 'Arlo', 'Pupil', 3, '2019-04-01') returning id`,
			[schoolId]
		);
		for (const t of twins) await linkGuardian(handle, dad, t.id);
		const reply = await sms(DAD, 'the twins have chickenpox');
		expect(reply).toMatch(/Arlo \(ref [A-Z2-9-]+\), Ava \(ref [A-Z2-9-]+\)|Ava \(ref [A-Z2-9-]+\), Arlo \(ref [A-Z2-9-]+\)/);
		expect(reply).not.toContain('Zak');
	});

	describe('Telegram webhook', () => {
		const config: TelegramConfig = { token: '123456:TEST', webhookSecret: 'tg-secret', apiRoot: 'http://127.0.0.1:9', username: 'EveryDayTestBot' };
		let callback: (req: Request) => Promise<Response>;
		let update = 1000;
		const post = async (payload: Record<string, unknown>) => {
			const res = await callback(
				new Request('https://everyday.test/webhooks/telegram', {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': config.webhookSecret! },
					body: JSON.stringify({ update_id: ++update, ...payload })
				})
			);
			expect(res.status).toBe(200);
			const [reply] = await handle.query<{ body: string; choices: string[] | null }>(
				`select body, choices from outbound_messages where channel = 'telegram' and idempotency_key = $1`,
				[`reply:telegram:${update}:0`]
			);
			return reply;
		};
		const text = (t: string) => post({ message: { message_id: update, date: 0, chat: { id: 5151, type: 'private' }, from: { id: 5151, is_bot: false, first_name: 'Mum' }, text: t } });
		const tap = (data: string) =>
			post({
				callback_query: {
					id: `cb${update}`,
					chat_instance: 'x',
					data,
					from: { id: 5151, is_bot: false, first_name: 'Mum' },
					message: { message_id: 1, date: 0, chat: { id: 5151, type: 'private' }, text: 'question' }
				}
			});

		beforeAll(() => {
			callback = webhookCallback(createTelegramBot(handle, config), 'std/http', { secretToken: config.webhookSecret }) as never;
		});

		it('two children with different reasons in one message become two reports', async () => {
			const reply = await text('Sam has a temp and Ella has the orthodontist at 2:30');
			expect(reply!.body).toContain('Sam (ref');
			expect(reply!.body).toContain('Ella (ref');
			const today = clockDate();
			const made = (await reports()).filter((r) => r.starts_on === today && r.details.startsWith('Sam has a temp and Ella'));
			expect(made.map((r) => [r.first_name, r.reason, r.sessions]).sort()).toEqual([
				['Ella', 'medical_appointment', 'PM'],
				['Sam', 'illness', 'BOTH']
			]);
		});

		it('"both off until Monday" asks which reading, with buttons, and stores nothing until a button is tapped', async () => {
			const before = await count();
			const ask = await text('both off until monday, family emergency');
			expect(ask).toEqual({ body: 'Which day do you mean?', choices: ['from today to Monday 9 November 2026', 'today'] });
			expect(await count()).toBe(before);
			const done = await tap('2');
			expect(done!.body).toContain('(family emergency)');
			expect(await count()).toBe(before + 2);
			const both = (await reports()).slice(-2);
			expect(both.map((r) => [r.first_name, r.ends_on])).toEqual(expect.arrayContaining([['Sam', both[0]!.ends_on], ['Ella', both[0]!.ends_on]]));
			expect(both[0]!.ends_on).not.toBe(null);
		});

		it('"my son is ill" from a parent of two asks who, with buttons; "Ella too" then adds her', async () => {
			const before = await count();
			const who = await text('my son is ill');
			expect(who).toEqual({ body: 'Who is off school?', choices: ['Ella', 'Sam', 'Both'] });
			expect(await count()).toBe(before);
			const done = await tap('2');
			expect(done!.body).toMatch(/Sam \(ref/);
			at(2);
			const added = await text('Ella too');
			expect(added!.body).toMatch(/Ella \(ref/);
			expect(await count()).toBe(before + 2);
		});
	});

	function clockDate(): string {
		return new Date(Date.now()).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
	}
});
