import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	acknowledgeAbsenceReport,
	amendAbsenceReport,
	reportsForSchoolDay,
	submitAbsenceReport,
	withdrawAbsenceReport,
	type SubmitAbsenceInput,
	type SubmitResult
} from '../../src/lib/server/features/absence';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { illnessReport } from '../fixtures/absence/report';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

/*
 * The test school's calendar (tests/fixtures/register/school.ts): Autumn 1 3 Sep – 23 Oct 2026
 * (BST), half term 26–30 Oct, Autumn 2 2 Nov – 18 Dec (GMT); AM register 08:40–09:15 local.
 */
const GMT_MORNING = new Date('2026-11-05T08:00:00Z'); // Thu 5 Nov, 08:00 GMT

function reportsOf(result: SubmitResult) {
	if ('errors' in result) throw new Error(`expected reports, got ${JSON.stringify(result.errors)}`);
	return result.reports;
}
function errorsOf(result: SubmitResult) {
	if (!('errors' in result)) throw new Error('expected errors');
	return result.errors;
}

describe(`absence reports (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let school: TestSchool;
	let other: TestSchool;
	let parent: string;
	let otherParent: string;
	let sam: string;
	let ava: string;
	let stranger: string;
	let office: string;
	let otherOffice: string;

	const count = async (table: string) =>
		(await handle.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

	const base = (over: Partial<SubmitAbsenceInput> = {}) => illnessReport(parent, sam, GMT_MORNING, over);

	async function staff(schoolId: string, email: string): Promise<string> {
		const [row] = await handle.query<{ id: string }>(
			`insert into staff_users (school_id, email, display_name, role, password_hash)
			 values ($1, $2, 'Office', 'office', 'x') returning id`,
			[schoolId, email]
		);
		return row!.id;
	}

	beforeAll(async () => {
		handle = await openTestDatabase();
		school = await createTestSchool(handle, { slug: 'abs', urn: '400001', misIds: ['SAM', 'AVA', 'ZED'] });
		other = await createTestSchool(handle, { slug: 'abs-other', urn: '400002', misIds: ['OTH'] });
		sam = school.pupils.get('SAM')!;
		ava = school.pupils.get('AVA')!;
		stranger = school.pupils.get('ZED')!;
		await handle.query(`update pupils set first_name = 'Sam', class_name = '5B' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Ava', class_name = '5A' where id = $1`, [ava]);
		parent = await createGuardian(handle, { phone: '+447700902001' });
		otherParent = await createGuardian(handle, { phone: '+447700902002' });
		await linkGuardian(handle, parent, sam);
		await linkGuardian(handle, parent, ava);
		await linkGuardian(handle, otherParent, sam, 'Father');
		const strangerParent = await createGuardian(handle, { phone: '+447700902003' });
		await linkGuardian(handle, strangerParent, stranger);
		office = await staff(school.id, 'office@abs.test');
		otherOffice = await staff(other.id, 'office@other.test');
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('stores a multi-child report atomically, one report per child, with an audit row each', async () => {
		const before = await count('audit_log');
		const reports = reportsOf(
			await submitAbsenceReport(handle, base({ pupilIds: [sam, ava], from: '2026-11-05', to: '2026-11-06' }))
		);
		expect(reports.map((r) => r.pupilId)).toEqual([sam, ava]);
		for (const r of reports) {
			expect(r.reference).toMatch(/^[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}$/);
			expect(r.sessions.map((s) => `${s.date} ${s.session}`)).toEqual([
				'2026-11-05 AM',
				'2026-11-05 PM',
				'2026-11-06 AM',
				'2026-11-06 PM'
			]);
			expect(r.late).toBe(false);
			expect(r.created).toBe(true);
			expect(r.sessions.every((s) => s.suggestedCode === 'I')).toBe(true);
		}
		expect(new Set(reports.map((r) => r.reference)).size).toBe(2);
		expect(await count('audit_log')).toBe(before + 2);
		// Each audit row names its own report, with ids and counts only.
		const audit = await handle.query<{ subject_id: string; actor_type: string; actor_id: string; action: string; school_id: string; details: unknown }>(
			`select subject_id, actor_type, actor_id, action, school_id, details from audit_log where subject_type = 'absence_report' and subject_id = any($1::text[])`,
			[reports.map((r) => r.reportId)]
		);
		expect(audit.map((a) => ({ ...a, details: typeof a.details === 'string' ? JSON.parse(a.details) : a.details })).sort((a, b) => a.subject_id.localeCompare(b.subject_id))).toEqual(
			[...reports]
				.sort((a, b) => a.reportId.localeCompare(b.reportId))
				.map((r) => ({ subject_id: r.reportId, actor_type: 'guardian', actor_id: parent, action: 'absence_report.submitted', school_id: school.id, details: { reference: r.reference, channel: 'web', sessions: 4, late: false } }))
		);
		const [stored] = await handle.query<{ starts_on: string; ends_on: string; covers_through: string; sessions: string; channel: string; details: string; part_day: string | null }>(
			`select starts_on::text, ends_on::text, covers_through::text, sessions, channel, details, part_day from absence_reports where id = $1`,
			[reports[0]!.reportId]
		);
		expect(stored).toEqual({ starts_on: '2026-11-05', ends_on: '2026-11-06', covers_through: '2026-11-06', sessions: 'BOTH', channel: 'web', details: '', part_day: null });

		const board = await reportsForSchoolDay(handle, school.id, '2026-11-06');
		const mine = board.filter((b) => reports.some((r) => r.reportId === b.reportId));
		expect(mine.map((b) => [b.firstName, b.className, b.reason, b.status, b.late])).toEqual([
			['Ava', '5A', 'illness', 'open', false],
			['Sam', '5B', 'illness', 'open', false]
		]);
		expect(mine[0]!.sessions).toEqual([
			{ session: 'AM', suggestedCode: 'I', late: false },
			{ session: 'PM', suggestedCode: 'I', late: false }
		]);
		// The other school's board does not see them.
		expect(await reportsForSchoolDay(handle, other.id, '2026-11-06')).toEqual([]);
	});

	it('a child not linked to the guardian: a clear error and nothing stored, not even for their own child', async () => {
		const reports = await count('absence_reports');
		const sessions = await count('absence_report_sessions');
		const audit = await count('audit_log');
		for (const pupilIds of [[sam, stranger], [other.pupils.get('OTH')!], ['not-a-uuid'], [randomUUID()]]) {
			const errors = errorsOf(await submitAbsenceReport(handle, base({ pupilIds })));
			expect(errors[0]!.field).toBe('pupilIds');
		}
		expect(await count('absence_reports')).toBe(reports);
		expect(await count('absence_report_sessions')).toBe(sessions);
		expect(await count('audit_log')).toBe(audit);
	});

	it('an idempotent retry returns the same references and stores nothing new', async () => {
		const input = base({ pupilIds: [sam, ava], from: '2026-11-09', reason: 'medical_appointment', sessions: 'AM' });
		const first = reportsOf(await submitAbsenceReport(handle, input));
		const reports = await count('absence_reports');
		const second = reportsOf(await submitAbsenceReport(handle, { ...input, now: new Date('2026-11-09T10:00:00Z') }));
		expect(second.map((r) => r.reference)).toEqual(first.map((r) => r.reference));
		expect(second.every((r) => !r.created)).toBe(true);
		expect(second[0]!.sessions).toEqual([{ date: '2026-11-09', session: 'AM', late: false, suggestedCode: 'M' }]);
		// Concurrent retries (two tabs, a redelivered webhook) still make one report per child.
		const racing = base({ pupilIds: [sam], from: '2026-11-10' });
		const results = await Promise.all([submitAbsenceReport(handle, racing), submitAbsenceReport(handle, racing)]);
		expect(reportsOf(results[0]!)[0]!.reference).toBe(reportsOf(results[1]!)[0]!.reference);
		expect(await count('absence_reports')).toBe(reports + 1);
	});

	it('flags reports after the register closes, in BST and in GMT', async () => {
		// BST: 08:20Z is 09:20 local on Thu 1 Oct — AM register closed at 09:15.
		const bst = reportsOf(
			await submitAbsenceReport(handle, base({ from: '2026-10-01', now: new Date('2026-10-01T08:20:00Z') }))
		)[0]!;
		expect(bst.late).toBe(true);
		expect(bst.sessions.map((s) => s.late)).toEqual([true, false]);
		// GMT: 08:20Z is 08:20 local on Thu 12 Nov — on time.
		const gmt = reportsOf(
			await submitAbsenceReport(handle, base({ from: '2026-11-12', now: new Date('2026-11-12T08:20:00Z') }))
		)[0]!;
		expect(gmt.late).toBe(false);
		// GMT, 09:15Z exactly: late.
		const closing = reportsOf(
			await submitAbsenceReport(handle, base({ from: '2026-11-13', now: new Date('2026-11-13T09:15:00Z') }))
		)[0]!;
		expect(closing.late).toBe(true);
		const [row] = await handle.query<{ late: boolean }>(`select late from absence_reports where id = $1`, [bst.reportId]);
		expect(row!.late).toBe(true);
		const board = await reportsForSchoolDay(handle, school.id, '2026-10-01');
		expect(board.find((b) => b.reportId === bst.reportId)!.late).toBe(true);
	});

	it('rejects a past date, a weekend-only range and dates outside term, storing nothing', async () => {
		const reports = await count('absence_reports');
		expect(errorsOf(await submitAbsenceReport(handle, base({ from: '2026-11-04' })))[0]).toMatchObject({
			field: 'from',
			message: expect.stringMatching(/past/)
		});
		expect(errorsOf(await submitAbsenceReport(handle, base({ from: '2026-11-07', to: '2026-11-08' })))[0]).toMatchObject({
			message: expect.stringMatching(/closed/)
		});
		expect(
			errorsOf(
				await submitAbsenceReport(handle, base({ from: '2026-10-27', now: new Date('2026-10-20T08:00:00Z') }))
			)[0]
		).toMatchObject({ field: 'from', message: expect.stringMatching(/not in term time/) });
		expect(errorsOf(await submitAbsenceReport(handle, base({ from: '2026-12-21' })))[0]!.field).toBe('from');
		expect(errorsOf(await submitAbsenceReport(handle, base({ from: '2026-11-10', to: '2026-11-09' })))[0]!.field).toBe('to');
		expect(await count('absence_reports')).toBe(reports);
	});

	it('rejects overlong details, a missing reason and "other" without details', async () => {
		const reports = await count('absence_reports');
		const long = errorsOf(await submitAbsenceReport(handle, base({ details: 'x'.repeat(501) })));
		expect(long).toEqual([{ field: 'details', code: 'details_too_long', max: 500, message: expect.stringMatching(/500 characters/) }]);
		expect(errorsOf(await submitAbsenceReport(handle, base({ reason: 'holiday' as 'other' })))[0]!.field).toBe('reason');
		expect(errorsOf(await submitAbsenceReport(handle, base({ reason: 'other' })))[0]!.field).toBe('details');
		expect(await count('absence_reports')).toBe(reports);
		// Exactly 500 is fine; the database agrees.
		const ok = reportsOf(await submitAbsenceReport(handle, base({ reason: 'other', details: 'y'.repeat(500), from: '2026-11-16' })));
		expect(ok[0]!.sessions[0]!.suggestedCode).toBe('N');
		await expect(
			handle.query(`update absence_reports set details = $1 where id = $2`, ['z'.repeat(501), ok[0]!.reportId])
		).rejects.toThrow();
	});

	it('until further notice covers today only and is stored open-ended', async () => {
		const [r] = reportsOf(await submitAbsenceReport(handle, base({ from: '2026-11-17', untilFurtherNotice: true, now: new Date('2026-11-17T07:00:00Z') })));
		expect(r!.sessions.map((s) => s.date)).toEqual(['2026-11-17', '2026-11-17']);
		const [row] = await handle.query<{ ends_on: string | null; covers_through: string }>(
			`select ends_on, covers_through::text from absence_reports where id = $1`,
			[r!.reportId]
		);
		expect(row).toEqual({ ends_on: null, covers_through: '2026-11-17' });
	});

	it('withdraw: allowed while open (by any guardian of the child), refused after acknowledgement', async () => {
		const [open] = reportsOf(await submitAbsenceReport(handle, base({ from: '2026-11-18' })));
		expect(await withdrawAbsenceReport(handle, { guardianId: otherParent, reportId: open!.reportId })).toEqual({ ok: true });
		const board = await reportsForSchoolDay(handle, school.id, '2026-11-18');
		expect(board.some((b) => b.reportId === open!.reportId)).toBe(false);
		const withWithdrawn = await reportsForSchoolDay(handle, school.id, '2026-11-18', { includeWithdrawn: true });
		expect(withWithdrawn.find((b) => b.reportId === open!.reportId)!.status).toBe('withdrawn');
		// A withdrawn report cannot be acknowledged.
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: office, schoolId: school.id, reportId: open!.reportId })).toMatchObject({
			ok: false,
			error: 'withdrawn'
		});

		const [acked] = reportsOf(await submitAbsenceReport(handle, base({ from: '2026-11-19' })));
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: office, schoolId: school.id, reportId: acked!.reportId })).toEqual({ ok: true });
		expect(await withdrawAbsenceReport(handle, { guardianId: parent, reportId: acked!.reportId })).toMatchObject({
			ok: false,
			error: 'acknowledged'
		});
		expect(await amendAbsenceReport(handle, { guardianId: parent, reportId: acked!.reportId, details: 'x' })).toMatchObject({
			ok: false,
			error: 'acknowledged'
		});
		const [row] = await handle.query<{ status: string; acknowledged_by: string }>(
			`select status, acknowledged_by from absence_reports where id = $1`,
			[acked!.reportId]
		);
		expect(row).toEqual({ status: 'acknowledged', acknowledged_by: office });
	});

	it('a guardian who is not linked to the child cannot withdraw or amend', async () => {
		const [r] = reportsOf(await submitAbsenceReport(handle, base({ pupilIds: [ava], from: '2026-11-23' })));
		expect(await withdrawAbsenceReport(handle, { guardianId: otherParent, reportId: r!.reportId })).toMatchObject({ error: 'not_found' });
		expect(await amendAbsenceReport(handle, { guardianId: otherParent, reportId: r!.reportId, reason: 'bereavement' })).toMatchObject({
			error: 'not_found'
		});
	});

	it('amend: changes reason and dates while open, keeping the original on-time flags', async () => {
		const [r] = reportsOf(
			await submitAbsenceReport(handle, base({ from: '2026-11-24', now: new Date('2026-11-24T08:00:00Z') }))
		);
		const result = await amendAbsenceReport(handle, {
			guardianId: parent,
			reportId: r!.reportId,
			reason: 'medical_appointment',
			to: '2026-11-25',
			now: new Date('2026-11-24T10:00:00Z')
		});
		expect(result).toEqual({ ok: true });
		const board24 = (await reportsForSchoolDay(handle, school.id, '2026-11-24')).find((b) => b.reportId === r!.reportId)!;
		expect(board24.reason).toBe('medical_appointment');
		expect(board24.sessions).toEqual([
			{ session: 'AM', suggestedCode: 'M', late: false },
			{ session: 'PM', suggestedCode: 'M', late: false }
		]);
		expect((await reportsForSchoolDay(handle, school.id, '2026-11-25')).some((b) => b.reportId === r!.reportId)).toBe(true);
		const bad = await amendAbsenceReport(handle, { guardianId: parent, reportId: r!.reportId, details: 'x'.repeat(501) });
		expect(bad).toMatchObject({ ok: false, error: 'invalid' });
	});

	it('staff of another school cannot acknowledge; a disabled account cannot either', async () => {
		const [r] = reportsOf(await submitAbsenceReport(handle, base({ from: '2026-11-26' })));
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: otherOffice, schoolId: other.id, reportId: r!.reportId })).toMatchObject({
			error: 'not_found'
		});
		// Claiming the right school with the wrong staff member does not help.
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: otherOffice, schoolId: school.id, reportId: r!.reportId })).toMatchObject({
			error: 'not_found'
		});
		const [row] = await handle.query<{ status: string }>(`select status from absence_reports where id = $1`, [r!.reportId]);
		expect(row!.status).toBe('open');
		const disabled = await staff(school.id, 'gone@abs.test');
		await handle.query(`update staff_users set disabled_at = now() where id = $1`, [disabled]);
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: disabled, schoolId: school.id, reportId: r!.reportId })).toMatchObject({
			error: 'not_found'
		});
		// Acknowledging twice is harmless.
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: office, schoolId: school.id, reportId: r!.reportId })).toEqual({ ok: true });
		expect(await acknowledgeAbsenceReport(handle, { staffUserId: office, schoolId: school.id, reportId: r!.reportId })).toEqual({ ok: true });
	});
});
