import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { submitAbsenceReport } from '../../src/lib/server/features/absence';
import { enqueueMessage } from '../../src/lib/server/platform/outbox';
import { guardianDataExport } from '../../src/lib/server/features/accounts/my-data';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

describe(`download my data (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let mum: string;
	let dad: string;
	let stranger: string;
	let sam: string;
	let zed: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'mydata', urn: '430001', misIds: ['SAM', 'ZED'] });
		sam = school.pupils.get('SAM')!;
		zed = school.pupils.get('ZED')!;
		await handle.query(`update pupils set first_name = 'Sam', last_name = 'Smith' where id = $1`, [sam]);
		await handle.query(`update pupils set first_name = 'Zed', last_name = 'Other' where id = $1`, [zed]);
		mum = await createGuardian(handle, { firstName: 'Mum', phone: '+447700905001' });
		dad = await createGuardian(handle, { firstName: 'Dad', phone: '+447700905002', email: 'dad@example.test' });
		stranger = await createGuardian(handle, { firstName: 'Stranger', phone: '+447700905003' });
		await linkGuardian(handle, mum, sam);
		await linkGuardian(handle, dad, sam, 'Father');
		await linkGuardian(handle, stranger, zed);
		for (const [guardianId, pupilId] of [
			[mum, sam],
			[stranger, zed]
		] as const) {
			const r = await submitAbsenceReport(handle, {
				guardianId,
				pupilIds: [pupilId],
				reason: 'illness',
				details: `${guardianId === mum ? 'Sam' : 'Zed'} has a cold`,
				from: '2026-11-05',
				channel: 'web',
				idempotencyKey: randomUUID(),
				now: new Date('2026-11-05T08:00:00Z')
			});
			expect('reports' in r).toBe(true);
		}
		await handle.query(
			`insert into attendance_marks (pupil_id, date, session, school_id, code, source) values ($1, '2026-11-04', 'AM', $2, '/', 'seed'), ($3, '2026-11-04', 'AM', $2, 'N', 'seed')`,
			[sam, school.id, zed]
		);
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700905001', guardianId: mum, purpose: 'test', body: 'For Mum', idempotencyKey: 'my-data-1' });
		await enqueueMessage(handle.db, { channel: 'sms', recipient: '+447700905002', guardianId: dad, purpose: 'test', body: 'For Dad', idempotencyKey: 'my-data-2' });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('holds the parent’s own details, their child’s reports and marks, and only messages sent to them', async () => {
		const data = await guardianDataExport(handle, mum, new Date('2026-11-24T10:00:00Z'));
		expect(data).not.toBeNull();
		expect(data!.exportedAt).toBe('2026-11-24T10:00:00.000Z');
		expect(data!.you).toMatchObject({ firstName: 'Mum', phone: '+447700905001' });
		expect(data!.children.map((c) => c.name)).toEqual(['Sam Smith']);
		expect(data!.children[0]!.absenceReports.map((r) => r.details)).toEqual(['Sam has a cold']);
		expect(data!.children[0]!.attendanceMarks).toEqual([{ date: '2026-11-04', session: 'AM', code: '/', minutesLate: null }]);
		expect(data!.messagesSentToYou.map((m) => m.body)).toEqual(['For Mum']);
		// Nothing about the other family, nor the other parent's contact details.
		const text = JSON.stringify(data);
		expect(text).not.toContain('Zed');
		expect(text).not.toContain('dad@example.test');
		expect(text).not.toContain('+447700905002');
	});

	it('says which group of a days-missed run the household was in, and the local authority’s notices to this parent only', async () => {
		const school = await handle.query<{ school_id: string }>(`select school_id from pupils where id = $1`, [sam]);
		const schoolId = school[0]!.school_id;
		const run = await handle.query<{ id: string }>(
			`insert into days_missed_runs (school_id, period_name, period_from, period_to, year_from, figures_to, threshold_percent, hold_out_percent, seed, typical_days, earlier_half_terms)
			 values ($1, 'Autumn 1', '2026-09-03', '2026-10-23', '2026-09-03', '2026-10-23', 95, 20, 'abc123', 2, 0) returning id`,
			[schoolId]
		);
		const child = (pupilId: string, firstName: string) => JSON.stringify([{ pupilId, firstName, percent: 91.2, band: 'lower_amber', daysLastHalfTerm: 3, daysThisYear: 3 }]);
		await handle.query(
			`insert into days_missed_assignments (run_id, household_key, band, arm, pupil_ids, guardian_ids, children) values
			 ($1, 'sam-home', 'lower_amber', 'hold_out', $2::jsonb, $3::jsonb, $4::jsonb),
			 ($1, 'zed-home', 'lower_amber', 'message', $5::jsonb, $6::jsonb, $7::jsonb)`,
			[run[0]!.id, JSON.stringify([sam]), JSON.stringify([mum, dad]), child(sam, 'Sam'), JSON.stringify([zed]), JSON.stringify([stranger]), child(zed, 'Zed')]
		);
		for (const [guardianId, pupilId, reference] of [
			[mum, sam, 'NTI-MUM'],
			[stranger, zed, 'NTI-ZED']
		] as const) {
			await handle.query(
				`insert into la_interventions (reference, kind, school_id, pupil_id, guardian_id, status, window_count, window_start, window_end, support, improvement_weeks, improvement_ends_on)
				 values ($1, 'notice_to_improve', $2, $3, $4, 'issued', 10, '2026-09-10', '2026-11-13', 'offered', 4, '2026-12-18')`,
				[reference, schoolId, pupilId, guardianId]
			);
		}

		// Each parent's own comments on their child's plan of support are theirs; nobody else's.
		for (const [guardianId, pupilId, words] of [
			[mum, sam, 'The alarm is helping'],
			[stranger, zed, 'Words of another family']
		] as const) {
			const plan = await handle.query<{ id: string }>(`insert into graduated_plans (school_id, pupil_id, review_on) values ($1, $2, '2026-12-10') returning id`, [schoolId, pupilId]);
			await handle.query(`insert into graduated_plan_comments (plan_id, guardian_id, text, created_at) values ($1, $2, $3, '2026-11-20T18:00:00Z')`, [plan[0]!.id, guardianId, words]);
		}

		const data = (await guardianDataExport(handle, mum))!;
		expect(data.yourCommentsOnPlansOfSupport).toEqual([{ child: 'Sam Smith', at: new Date('2026-11-20T18:00:00Z'), text: 'The alarm is helping' }]);
		expect(data.daysMissedMessages).toEqual([
			{ halfTerm: 'Autumn 1', from: '2026-09-03', group: 'comparison (not sent that message)', band: 'lower_amber', children: [{ child: 'Sam Smith', daysMissedLastHalfTerm: 3, daysMissedThisYear: 3 }] }
		]);
		expect(data.noticesFromTheLocalAuthority).toEqual([expect.objectContaining({ child: 'Sam Smith', reference: 'NTI-MUM', kind: 'notice_to_improve', improvementEndsOn: '2026-12-18' })]);
		const text = JSON.stringify(data);
		expect(text).not.toContain('NTI-ZED');
		expect(text).not.toContain('Words of another family');
		expect(text).not.toContain(dad);
		// Dad shares the household: he sees the same draw; the stranger sees only theirs.
		expect((await guardianDataExport(handle, dad))!.daysMissedMessages.map((r) => r.group)).toEqual(['comparison (not sent that message)']);
		expect((await guardianDataExport(handle, stranger))!.daysMissedMessages.map((r) => r.children.map((c) => c.child))).toEqual([['Zed Other']]);
	});

	it('is null for an unknown guardian', async () => {
		expect(await guardianDataExport(handle, randomUUID())).toBeNull();
	});
});
