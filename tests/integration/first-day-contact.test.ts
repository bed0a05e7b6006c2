import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	answerCheckIn,
	guardianReportByReference,
	guardianReports,
	sendDueCheckIns,
	submitAbsenceReport,
	withdrawAbsenceReport
} from '../../src/lib/server/features/absence';
import {
	boardVersion,
	firstDayContactTime,
	runAutomaticFirstDayContacts,
	sendFirstDayContacts,
	setFirstDayContactTime,
	unexplainedAbsences
} from '../../src/lib/server/features/school-day/school-day';
import { runScheduledJobs } from '../../src/lib/server/startup/scheduler';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/*
 * Test school calendar (tests/fixtures/register/school.ts): Autumn 2 from Mon 2 Nov 2026 (GMT);
 * AM register 08:40–09:15. Thu 5 Nov and Fri 6 Nov are school days; Sat 7 Nov is not.
 */
const DAY = '2026-11-05';
const at = (iso: string) => new Date(iso);

describe(`first day contact and daily check-ins (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let other: TestSchool;
	let mum: string;
	let dad: string;
	let emailParent: string;
	let unreachableParent: string;
	let otherParent: string;
	let sam: string;
	let ava: string;
	let zed: string;
	let kai: string;
	let oth: string;
	let office: string;

	const outbox = (purpose: string) =>
		handle.query<{ channel: string; recipient: string; body: string; guardian_id: string; idempotency_key: string }>(
			`select channel, recipient, body, guardian_id, idempotency_key from outbound_messages where purpose = $1 order by recipient`,
			[purpose]
		);

	async function mark(pupilId: string, schoolId: string, date: string, session: 'AM' | 'PM', code = 'N') {
		await handle.query(
			`insert into attendance_marks (pupil_id, date, session, school_id, code, source) values ($1, $2, $3, $4, $5, 'seed')`,
			[pupilId, date, session, schoolId, code]
		);
	}

	beforeAll(async () => {
		handle = await openTestDatabase();
		school = await createTestSchool(handle, { slug: 'fdc', urn: '420001', misIds: ['SAM', 'AVA', 'ZED', 'KAI'] });
		other = await createTestSchool(handle, { slug: 'fdc-other', urn: '420002', misIds: ['OTH'] });
		await handle.query(`update schools set name = 'Test Primary', phone = '023 9200 0001' where id = $1`, [school.id]);
		sam = school.pupils.get('SAM')!;
		ava = school.pupils.get('AVA')!;
		zed = school.pupils.get('ZED')!;
		kai = school.pupils.get('KAI')!;
		oth = other.pupils.get('OTH')!;
		await handle.query(`update pupils set first_name = 'Sam', preferred_name = 'Sammy' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ava' where id = $1`, [ava]);
		await handle.query(`update pupils set first_name = 'Zed' where id = $1`, [zed]);
		await handle.query(`update pupils set first_name = 'Kai' where id = $1`, [kai]);
		mum = await createGuardian(handle, { firstName: 'Mum', phone: '+447700904001' });
		dad = await createGuardian(handle, { firstName: 'Dad', phone: '+447700904002' });
		emailParent = await createGuardian(handle, { firstName: 'Em', email: 'em@example.test', phone: '+447700904003' });
		await handle.query(`update guardians set preferred_channel = 'email' where id = $1`, [emailParent]);
		unreachableParent = await createGuardian(handle, { firstName: 'Nobody' });
		otherParent = await createGuardian(handle, { firstName: 'Other', phone: '+447700904009' });
		await linkGuardian(handle, mum, sam);
		await linkGuardian(handle, dad, sam, 'Father');
		await linkGuardian(handle, emailParent, zed);
		await linkGuardian(handle, unreachableParent, kai);
		await linkGuardian(handle, mum, ava);
		await linkGuardian(handle, otherParent, oth);
		const [row] = await handle.query<{ id: string }>(
			`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, 'office@fdc.test', 'Office', 'office', 'x') returning id`,
			[school.id]
		);
		office = row!.id;
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('messages every parent of an unexplained absence once, on their own channel, and never twice', async () => {
		await mark(sam, school.id, DAY, 'AM');
		await mark(zed, school.id, DAY, 'AM');
		await mark(kai, school.id, DAY, 'AM');
		await mark(ava, school.id, DAY, 'AM');
		await mark(oth, other.id, DAY, 'AM');
		// Ava's absence is explained by a report: her family is not chased.
		const r = await submitAbsenceReport(handle, {
			guardianId: mum,
			pupilIds: [ava],
			reason: 'illness',
			from: DAY,
			channel: 'web',
			idempotencyKey: randomUUID(),
			now: at('2026-11-05T08:00:00Z')
		});
		expect('reports' in r).toBe(true);

		const before = await boardVersion(handle, school.id, DAY);
		const first = await sendFirstDayContacts(handle, {
			schoolId: school.id,
			date: DAY,
			pupilIds: [sam],
			staffUserId: office,
			now: at('2026-11-05T09:30:00Z'),
			origin: 'https://everyday.test'
		});
		expect(first).toEqual({ contacted: [sam], alreadyContacted: [], unreachable: [] });
		const messages = await outbox('first_day_contact');
		expect(messages.map((m) => [m.channel, m.recipient])).toEqual([
			['sms', '+447700904001'],
			['sms', '+447700904002']
		]);
		expect(messages[0]!.body).toBe(
			'Test Primary: Sammy is not in school today and we have not heard why. Please reply with the reason, or report it at https://everyday.test/report or call 023 9200 0001. Thank you.'
		);
		expect(await boardVersion(handle, school.id, DAY)).not.toBe(before);

		// "Message all": Sam is skipped (already contacted), Zed by email, Kai cannot be reached.
		const all = await sendFirstDayContacts(handle, { schoolId: school.id, date: DAY, staffUserId: office, now: at('2026-11-05T09:40:00Z') });
		expect(all.contacted).toEqual([zed]);
		expect(all.alreadyContacted).toEqual([sam]);
		expect(all.unreachable).toEqual([kai]);
		expect((await outbox('first_day_contact')).map((m) => [m.channel, m.recipient])).toEqual([
			['sms', '+447700904001'],
			['sms', '+447700904002'],
			['email', 'em@example.test']
		]);

		// Again, and concurrently: nothing more is queued.
		await Promise.all([
			sendFirstDayContacts(handle, { schoolId: school.id, date: DAY, staffUserId: office }),
			sendFirstDayContacts(handle, { schoolId: school.id, date: DAY, staffUserId: null })
		]);
		expect(await outbox('first_day_contact')).toHaveLength(3);

		const list = await unexplainedAbsences(handle, school.id, DAY);
		expect(list.map((p) => [p.firstName, p.contactedAt !== null])).toEqual(
			expect.arrayContaining([
				['Sam', true],
				['Zed', true],
				['Kai', true]
			])
		);
		// What went for each pupil, by the channel it really took, with how far it got.
		const sentFor = (name: string) => list.find((p) => p.firstName === name)!.contactMessages.map((c) => [c.channel, c.status]);
		expect([...list.map((p) => p.contactMessages.map((c) => c.channel))].flat().sort()).toEqual(['email', 'sms', 'sms']);
		expect(list.every((p) => p.contactMessages.every((c) => c.status === 'pending'))).toBe(true);
		const delivered = (await outbox('first_day_contact'))[0]!;
		await handle.query(`update outbound_messages set status = 'delivered' where recipient = $1 and purpose = 'first_day_contact'`, [delivered.recipient]);
		const after = await unexplainedAbsences(handle, school.id, DAY);
		expect(after.flatMap((p) => p.contactMessages.map((c) => c.status)).sort()).toEqual(['delivered', 'pending', 'pending']);
		expect(sentFor('Sam').length + sentFor('Zed').length + sentFor('Kai').length).toBe(3);
		// The other school's staff could not message this school's families, and vice versa.
		const cross = await sendFirstDayContacts(handle, { schoolId: other.id, date: DAY, pupilIds: [sam], staffUserId: null });
		expect(cross).toEqual({ contacted: [], alreadyContacted: [], unreachable: [] });
		const audit = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'first_day_contact.sent'`);
		expect(audit[0]!.n).toBe(3);
	});

	it('sends automatically only at the school’s set time on a school day', async () => {
		const FRI = '2026-11-06';
		await mark(sam, school.id, FRI, 'AM');
		// No time set: nothing automatic.
		expect(await runAutomaticFirstDayContacts(handle, at('2026-11-06T11:00:00Z'))).toBe(0);
		await handle.query(`update schools set first_day_contact_at = '10:00' where id = $1`, [school.id]);
		expect(await runAutomaticFirstDayContacts(handle, at('2026-11-06T09:59:00Z'))).toBe(0);
		expect(await runAutomaticFirstDayContacts(handle, at('2026-11-06T10:00:00Z'))).toBe(1);
		expect(await runAutomaticFirstDayContacts(handle, at('2026-11-06T10:01:00Z'))).toBe(0);
		const rows = await handle.query<{ sent_by: string | null; date: string }>(
			`select sent_by, date::text from first_day_contacts where pupil_id = $1 order by date`,
			[sam]
		);
		expect(rows).toEqual([
			{ sent_by: office, date: DAY },
			{ sent_by: null, date: FRI }
		]);
		// Saturday is not a school day.
		await mark(zed, school.id, '2026-11-07', 'AM');
		expect(await runAutomaticFirstDayContacts(handle, at('2026-11-07T12:00:00Z'))).toBe(0);
		await handle.query(`update schools set first_day_contact_at = null where id = $1`, [school.id]);
	});

	it('checks in daily on an open-ended report, and the answer extends or ends it', async () => {
		const made = await submitAbsenceReport(handle, {
			guardianId: mum,
			pupilIds: [sam],
			reason: 'illness',
			from: '2026-11-09',
			untilFurtherNotice: true,
			channel: 'web',
			idempotencyKey: randomUUID(),
			now: at('2026-11-09T07:50:00Z')
		});
		if (!('reports' in made)) throw new Error(JSON.stringify(made.errors));
		const report = made.reports[0]!;

		// Same day: the report already covers Monday, so no check-in.
		expect(await sendDueCheckIns(handle, { now: at('2026-11-09T08:00:00Z') })).toBe(0);
		// Tuesday, before 07:30 London: not yet.
		expect(await sendDueCheckIns(handle, { now: at('2026-11-10T07:00:00Z') })).toBe(0);
		// Tuesday 07:30: one check-in to the parent who reported, and only one however often it runs.
		const run = await runScheduledJobs(handle, at('2026-11-10T07:30:00Z'));
		expect(run.checkIns).toBe(1);
		expect(await sendDueCheckIns(handle, { now: at('2026-11-10T07:45:00Z'), origin: 'https://everyday.test' })).toBe(0);
		const checkIns = await outbox('absence_check_in');
		expect(checkIns).toHaveLength(1);
		expect(checkIns[0]!.recipient).toBe('+447700904001');
		expect(checkIns[0]!.body).toContain('Is Sammy still unwell?');
		expect(checkIns[0]!.body).toContain(`/reports/${report.reference}`);

		// Another family cannot answer it.
		expect(await answerCheckIn(handle, { guardianId: otherParent, reportId: report.reportId, answer: 'still_off', now: at('2026-11-10T08:00:00Z') })).toMatchObject({
			ok: false,
			error: 'not_found'
		});
		// Dad (also Sam's parent) answers: still off. Tuesday's sessions are added, on time.
		const still = await answerCheckIn(handle, { guardianId: dad, reportId: report.reportId, answer: 'still_off', now: at('2026-11-10T08:00:00Z') });
		expect(still).toEqual({ ok: true, addedSessions: 2 });
		expect(await answerCheckIn(handle, { guardianId: dad, reportId: report.reportId, answer: 'still_off', now: at('2026-11-10T08:05:00Z') })).toEqual({
			ok: true,
			addedSessions: 0
		});
		const sessions = await handle.query<{ date: string; session: string; late: boolean }>(
			`select date::text, session::text, late from absence_report_sessions where report_id = $1 order by date, session`,
			[report.reportId]
		);
		expect(sessions).toEqual([
			{ date: '2026-11-09', session: 'AM', late: false },
			{ date: '2026-11-09', session: 'PM', late: false },
			{ date: '2026-11-10', session: 'AM', late: false },
			{ date: '2026-11-10', session: 'PM', late: false }
		]);

		// Back at school: the report ends on Tuesday, and no more check-ins go out.
		expect(await answerCheckIn(handle, { guardianId: mum, reportId: report.reportId, answer: 'back', now: at('2026-11-11T07:00:00Z') })).toEqual({
			ok: true,
			addedSessions: 0
		});
		const mine = await guardianReportByReference(handle, mum, report.reference);
		expect(mine).toMatchObject({ endsOn: '2026-11-10', coversThrough: '2026-11-10', childName: 'Sammy' });
		expect(await sendDueCheckIns(handle, { now: at('2026-11-11T08:00:00Z') })).toBe(0);
	});

	it('a withdrawn open-ended report gets no check-in', async () => {
		const made = await submitAbsenceReport(handle, {
			guardianId: emailParent,
			pupilIds: [zed],
			reason: 'other',
			details: 'Family matter',
			from: '2026-11-12',
			untilFurtherNotice: true,
			channel: 'web',
			idempotencyKey: randomUUID(),
			now: at('2026-11-12T07:00:00Z')
		});
		if (!('reports' in made)) throw new Error(JSON.stringify(made.errors));
		const before = (await outbox('absence_check_in')).length;
		expect(await withdrawAbsenceReport(handle, { guardianId: emailParent, reportId: made.reports[0]!.reportId })).toEqual({ ok: true });
		expect(await sendDueCheckIns(handle, { now: at('2026-11-13T08:00:00Z') })).toBe(0);
		expect(await outbox('absence_check_in')).toHaveLength(before);
	});

	it('a parent lists only reports about their own children', async () => {
		const mumsList = await guardianReports(handle, mum, '2026-11-01');
		expect(mumsList.map((r) => r.childName).sort()).toEqual(['Ava', 'Sammy']);
		// Dad sees Sam's report made by Mum, but not Ava's (not his child).
		const dadsList = await guardianReports(handle, dad, '2026-11-01');
		expect(dadsList.map((r) => r.childName)).toEqual(['Sammy']);
		expect(await guardianReports(handle, otherParent, '2026-11-01')).toEqual([]);
		const ref = mumsList[0]!.reference;
		expect(await guardianReportByReference(handle, otherParent, ref)).toBeNull();
		expect(await guardianReportByReference(handle, 'not-a-uuid', ref)).toBeNull();
	});

	it('the automatic time must fall after the morning register closes and before 15:00', async () => {
		const set = (time: string | null) => setFirstDayContactTime(handle, { schoolId: school.id, staffUserId: office, time });
		expect(await set('09:00')).toEqual({ ok: false, problem: { code: 'contact_time_before_am_closes', amCloses: '09:15' } });
		expect(await set('09:15')).toMatchObject({ ok: false });
		expect(await set('15:30')).toEqual({ ok: false, problem: { code: 'contact_time_too_late', latest: '15:00' } });
		expect(await set('ten')).toEqual({ ok: false, problem: { code: 'contact_time_format' } });
		expect(await firstDayContactTime(handle, school.id)).toBeNull();
		expect(await set('10:30')).toEqual({ ok: true });
		expect(await firstDayContactTime(handle, school.id)).toBe('10:30');
		expect(await set(null)).toEqual({ ok: true });
		expect(await firstDayContactTime(handle, school.id)).toBeNull();
		const audit = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'school.first_day_contact_time_set'`);
		expect(audit[0]!.n).toBe(2);
	});
});
