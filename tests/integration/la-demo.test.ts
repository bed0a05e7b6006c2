import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { staffUsers } from '../../src/lib/server/platform/db/schema';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { crossSchoolFigures, guardianNotices, laGroundForPupil, laInterventionList, laReferralList } from '../../src/lib/server/features/local-authority';
import { eq } from 'drizzle-orm';

const TODAY = '2026-11-23';

describe(`the local authority's demo data (${testEngine})`, () => {
	let handle: DatabaseHandle;
	beforeAll(async () => {
		handle = await openTestDatabase();
		await seedDemoData(handle, { today: TODAY });
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('a referred pupil, a notice to improve running, a penalty notice paid and one refused after two within three years', async () => {
		const [officer] = await handle.db.select().from(staffUsers).where(eq(staffUsers.role, 'la_officer'));
		expect(officer).toMatchObject({ email: 'attendance@portsmouth.example.org', schoolId: null });
		const referrals = await laReferralList(handle, officer!);
		expect(referrals.map((r) => [r.reference, r.status])).toEqual([['RDEM-REF', 'submitted']]);
		const notices = await laInterventionList(handle, officer!);
		const by = new Map(notices.map((n) => [n.reference, n]));
		expect(by.get('NDEM-NTI')).toMatchObject({ kind: 'notice_to_improve', status: 'issued', improvementWeeks: 4, improvementEndsOn: '2026-12-14' });
		expect(by.get('NDEM-PAY')).toMatchObject({ kind: 'penalty_notice', status: 'paid', amountPaid: 80 });
		expect(by.get('NDEM-PNC')).toMatchObject({ status: 'refused', findings: [{ code: 'third_notice_prosecution_instead', noticesWithin3Years: 2 }] });
		expect(by.get('NDEM-PNC')!.guardianId).toBe(by.get('NDEM-PNA')!.guardianId);
		// The officer sees those pupils by name through them, and the parents see their own.
		expect(await laGroundForPupil(handle, officer!, referrals[0]!.pupilId, TODAY)).toBe('referral');
		expect(await laGroundForPupil(handle, officer!, by.get('NDEM-NTI')!.pupilId, TODAY)).not.toBeNull();
		expect((await guardianNotices(handle, by.get('NDEM-PAY')!.guardianId)).map((n) => n.reference)).toEqual(['NDEM-PAY']);
	});

	it('builds the figures across both demo schools', async () => {
		const view = await crossSchoolFigures(handle, '2026/27');
		expect(view.schools.map((s) => s.name).sort()).toEqual(['Harbourside Primary', 'Northgate Infant School']);
		for (const s of view.schools) expect(s.halfTerms.length).toBeGreaterThan(0);
		expect(view.totals.year.pupils).toBe(203 + 13);
	});
});
