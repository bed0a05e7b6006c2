import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { handleInboundMessage, type InboundMessage } from '../../bot/conversations';
import { reportsForSchoolDay, submitAbsenceReport, submitReportForm, withdrawAbsenceReport, type SubmittedReport } from '../../src/lib/server/features/absence';
import { ensureDefaultDirectory } from '../../src/lib/server/features/support/directory';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';
import { illnessReport } from '../fixtures/absence/report';
import { m } from '../../src/lib/paraglide/messages';

/* Thu 5 Nov 2026 is a school day in the test calendar; 08:00 GMT is before the register closes. */
const MORNING = new Date('2026-11-05T08:00:00Z');
const MUM = '+447700908101';
const DAD = '+447700908102';

function reportsOf(result: Awaited<ReturnType<typeof submitAbsenceReport>>): SubmittedReport[] {
	if ('errors' in result) throw new Error(JSON.stringify(result.errors));
	return result.reports;
}

describe(`a child reported twice for the same day is one report (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolId: string;
	let mum: string;
	let dad: string;
	let sam: string;
	let ella: string;
	let seq = 0;

	const sms = (text: string, address = MUM): InboundMessage => ({ channel: 'sms', providerMessageId: `SMD${++seq}`, address, text, now: MORNING });
	const reportRows = (pupilId: string) =>
		handle.query<{ id: string; reference: string; status: string; details: string; channel: string }>(
			`select id, reference, status, details, channel from absence_reports where pupil_id = $1 order by submitted_at`,
			[pupilId]
		);
	const history = (reportId: string) =>
		handle.query<{ channel: string; details: string; sessions_added: number }>(
			`select channel, details, sessions_added from absence_report_additions where report_id = $1 order by received_at, id`,
			[reportId]
		);

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'dup', urn: '470101', misIds: ['SAM', 'ELLA'] });
		schoolId = school.id;
		await handle.query(`update schools set name = 'Dup Primary' where id = $1`, [school.id]);
		sam = school.pupils.get('SAM')!;
		ella = school.pupils.get('ELLA')!;
		await handle.query(`update pupils set first_name = 'Sam' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ella' where id = $1`, [ella]);
		mum = await createGuardian(handle, { phone: MUM });
		dad = await createGuardian(handle, { phone: DAD });
		// Mum reads Every Day in Polish: the "already reported" words reach her in Polish.
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [mum]);
		for (const g of [mum, dad]) {
			await linkGuardian(handle, g, sam);
			await linkGuardian(handle, g, ella);
		}
		await ensureDefaultDirectory(handle);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('a web report then two texts for the same child and day: one open report with its history, and the parent told in her language', async () => {
		const web = await submitReportForm(handle, mum, { pupilIds: [sam], when: 'day', date: '2026-11-05', from: '', to: '', reason: 'illness', details: 'Temperature', part: '', arrivesBy: '', leavesAt: '', apptLeavesAt: '', apptReturnsAt: '', idempotencyKey: randomUUID() }, 'web', MORNING);
		if (!web.ok) throw new Error(JSON.stringify(web.errors));
		expect(web.reports[0]!.alreadyReported).toBeUndefined();
		const reference = web.reports[0]!.reference;

		const first = await handleInboundMessage(handle, sms('Sam is off sick today'));
		const second = await handleInboundMessage(handle, sms('Sam is ill today, he has a cough'));
		const told = m.report_again_bot({ children: 'Sam' }, { locale: 'pl' });
		expect(told).not.toBe(m.report_again_bot({ children: 'Sam' }, { locale: 'en' }));
		for (const r of [first, second]) {
			expect(r.replies[0]!.text.startsWith(told)).toBe(true);
			// The reference they are given is the first report's.
			expect(r.replies[0]!.text).toContain(reference);
		}

		const rows = await reportRows(sam);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ reference, status: 'open', channel: 'web' });
		expect(await history(rows[0]!.id)).toEqual([
			expect.objectContaining({ channel: 'sms', sessions_added: 0 }),
			expect.objectContaining({ channel: 'sms', sessions_added: 0 })
		]);
		// The board: one report for Sam that day, with both texts under it.
		const board = (await reportsForSchoolDay(handle, schoolId, '2026-11-05')).filter((r) => r.pupilId === sam);
		expect(board).toHaveLength(1);
		expect(board[0]!.history.map((h) => h.channel)).toEqual(['sms', 'sms']);
		expect(board[0]!.sessions.map((s) => s.session)).toEqual(['AM', 'PM']);
	});

	it('a second sending with another reason keeps the first reason on the report, and the board says what the later one gave', async () => {
		const day = { from: '2026-11-11', details: '' };
		const first = reportsOf(await submitAbsenceReport(handle, illnessReport(mum, sam, MORNING, { ...day, reason: 'religious_observance' })));
		reportsOf(await submitAbsenceReport(handle, illnessReport(mum, sam, MORNING, { ...day, reason: 'medical_appointment', details: 'Orthodontist at 10:30' })));
		reportsOf(await submitAbsenceReport(handle, illnessReport(mum, sam, MORNING, { ...day, reason: 'religious_observance' })));
		const [row] = (await reportsForSchoolDay(handle, schoolId, '2026-11-11')).filter((r) => r.pupilId === sam);
		expect(row!.reportId).toBe(first[0]!.reportId);
		expect(row!.reason).toBe('religious_observance');
		expect(row!.details).toBe('Orthodontist at 10:30');
		expect(row!.history.map((h) => h.reason)).toEqual(['medical_appointment', 'religious_observance']);
	});

	it('the other parent reporting the same day adds to the first report; new words and new days are kept, a retry adds nothing', async () => {
		const first = reportsOf(await submitAbsenceReport(handle, illnessReport(mum, ella, MORNING, { details: 'Sickness bug' })));
		const input = illnessReport(dad, ella, MORNING, { from: '2026-11-05', to: '2026-11-06', details: 'Still being sick', channel: 'web' });
		const again = reportsOf(await submitAbsenceReport(handle, input));
		expect(again).toHaveLength(1);
		expect(again[0]).toMatchObject({ reference: first[0]!.reference, created: false, alreadyReported: true });
		// Friday was not in the first report: it is now, on the same report.
		expect(again[0]!.sessions.map((s) => `${s.date} ${s.session}`)).toEqual(['2026-11-05 AM', '2026-11-05 PM', '2026-11-06 AM', '2026-11-06 PM']);
		const retry = reportsOf(await submitAbsenceReport(handle, input));
		expect(retry[0]).toMatchObject({ reference: first[0]!.reference, created: false, alreadyReported: true });

		const rows = await reportRows(ella);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.details).toBe('Sickness bug\nStill being sick');
		expect(await history(rows[0]!.id)).toEqual([{ channel: 'web', details: 'Still being sick', sessions_added: 2 }]);
		const [audit] = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'absence_report.reported_again' and subject_id = $1`, [rows[0]!.id]);
		expect(audit!.n).toBe(1);
	});

	it('an acknowledged report is opened again only when the new sending adds something', async () => {
		const date = '2026-11-10';
		const first = reportsOf(await submitAbsenceReport(handle, illnessReport(mum, sam, MORNING, { from: date, details: 'Migraine' })));
		const id = first[0]!.reportId;
		await handle.query(`update absence_reports set status = 'acknowledged', acknowledged_at = now() where id = $1`, [id]);
		reportsOf(await submitAbsenceReport(handle, illnessReport(mum, sam, MORNING, { from: date, details: 'Migraine' })));
		expect((await reportRows(sam)).find((r) => r.id === id)!.status).toBe('acknowledged');
		reportsOf(await submitAbsenceReport(handle, illnessReport(mum, sam, MORNING, { from: date, details: 'Seeing the GP at 10' })));
		expect((await reportRows(sam)).find((r) => r.id === id)).toMatchObject({ status: 'open', details: 'Migraine\nSeeing the GP at 10' });
		expect(await history(id)).toHaveLength(2);
	});

	it('a withdrawn report, or another day, is not the same report', async () => {
		const date = '2026-11-12';
		const first = reportsOf(await submitAbsenceReport(handle, illnessReport(mum, ella, MORNING, { from: date })));
		const withdrawn = await withdrawAbsenceReport(handle, { guardianId: mum, reportId: first[0]!.reportId, now: MORNING });
		expect(withdrawn.ok).toBe(true);
		const fresh = reportsOf(await submitAbsenceReport(handle, illnessReport(mum, ella, MORNING, { from: date })));
		expect(fresh[0]).toMatchObject({ created: true });
		expect(fresh[0]!.alreadyReported).toBeUndefined();
		expect(fresh[0]!.reference).not.toBe(first[0]!.reference);
		const nextDay = reportsOf(await submitAbsenceReport(handle, illnessReport(mum, ella, MORNING, { from: '2026-11-13' })));
		expect(nextDay[0]).toMatchObject({ created: true });
	});
});
