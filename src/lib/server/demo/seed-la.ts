/**
 * The local authority's demo (fictional): a pupil referred by Harbourside with the evidence
 * assembled, a notice to improve running, a penalty notice paid at the reduced rate, and a request
 * refused because the parent already had two penalty notices for that child within three years.
 * Once only (skipped when any referral or notice exists). Then the figures across schools are built.
 */
import { addDays, type IsoDate } from '../../domain/calendar';
import { penaltyNoticeTerms, yearsBefore } from '../../domain/legal-intervention';
import type { DatabaseHandle } from '../platform/db/engine';
import { assembleEvidence, refreshStaleRollups } from '../features/local-authority';

interface Family {
	pupilId: string;
	guardianId: string;
}

export async function seedLaDemo(handle: DatabaseHandle, schoolId: string, today: IsoDate): Promise<{ created: boolean }> {
	const [existing] = await handle.query<{ n: number }>('select (select count(*) from la_referrals)::int + (select count(*) from la_interventions)::int as n');
	if (existing && Number(existing.n) > 0) {
		await refreshStaleRollups(handle);
		return { created: false };
	}
	// Four different families, lowest attendance first (the demo shows who a school would refer),
	// never the shared demo family whose pages other demos walk through.
	const families = await handle.query<{ pupil_id: string; guardian_id: string }>(
		`select p.id::text as pupil_id, pg.guardian_id::text as guardian_id
		   from pupils p
		   join lateral (select guardian_id from pupil_guardians where pupil_id = p.id order by contact_priority limit 1) pg on true
		   join guardians g on g.id = pg.guardian_id
		   left join attendance_marks m on m.pupil_id = p.id
		  where p.school_id = $1 and g.phone is distinct from '+447700900547'
		  group by p.id, pg.guardian_id
		 having count(m.*) > 0
		  order by count(*) filter (where m.code in ('/', '\\', 'L')) * 1.0 / count(m.*), p.id
		  limit 4`,
		[schoolId]
	);
	if (families.length < 4) return { created: false };
	const [referred, lowest, paid, refused] = families.map((f): Family => ({ pupilId: f.pupil_id, guardianId: f.guardian_id })) as [Family, Family, Family, Family];
	// The notice to improve goes to a demo parent who can sign in (07700 900101), so their account shows it.
	const [known] = await handle.query<{ pupil_id: string; guardian_id: string }>(
		`select pg.pupil_id::text as pupil_id, pg.guardian_id::text as guardian_id from pupil_guardians pg
		   join guardians g on g.id = pg.guardian_id join pupils p on p.id = pg.pupil_id
		  where g.phone = '+447700900101' and p.school_id = $1 and pg.pupil_id <> all($2::uuid[]) order by p.first_name limit 1`,
		[schoolId, [referred.pupilId, paid.pupilId, refused.pupilId]]
	);
	const improving: Family = known ? { pupilId: known.pupil_id, guardianId: known.guardian_id } : lowest;
	const [lead] = await handle.query<{ id: string }>(`select id::text as id from staff_users where school_id = $1 and role = 'attendance_lead' limit 1`, [schoolId]);
	const [officer] = await handle.query<{ id: string }>(`select id::text as id from staff_users where role = 'la_officer' limit 1`);

	const evidence = await assembleEvidence(handle, { schoolId, pupilId: referred.pupilId, today });
	await handle.query(
		`insert into la_referrals (reference, school_id, pupil_id, status, summary, evidence, sent_by)
		 values ('RDEM-REF', $1, $2, 'submitted', $3, $4::jsonb, $5)`,
		[
			schoolId,
			referred.pupilId,
			'Attendance has fallen every half term since September. An attendance plan was agreed with the family in October and reviewed twice; the family has not come to the last two meetings. We ask for the Education Welfare Service to support.',
			JSON.stringify(evidence),
			lead?.id ?? null
		]
	);

	const insert = async (row: Record<string, unknown>) => {
		const cols = Object.keys(row);
		await handle.query(
			`insert into la_interventions (${cols.map((c) => c.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`)).join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
			Object.values(row)
		);
	};
	const base = (f: Family, windowStart: IsoDate) => ({
		schoolId,
		pupilId: f.pupilId,
		guardianId: f.guardianId,
		windowCount: 12,
		windowStart,
		windowEnd: today,
		support: 'offered',
		supportDetails: 'Attendance plan with fortnightly reviews; early help offered.',
		requestedBy: lead?.id ?? null,
		decidedBy: officer?.id ?? null
	});
	const windowStart = addDays(today, -70);

	const ntiIssued = addDays(today, -7);
	await insert({ ...base(improving, windowStart), reference: 'NDEM-NTI', kind: 'notice_to_improve', status: 'issued', improvementWeeks: 4, improvementEndsOn: addDays(ntiIssued, 28), issuedOn: ntiIssued });

	const pnIssued = addDays(today, -35);
	const terms = penaltyNoticeTerms(pnIssued, 1);
	await insert({
		...base(paid, addDays(pnIssued, -70)),
		reference: 'NDEM-PAY',
		kind: 'penalty_notice',
		status: 'paid',
		noticeNumber: 1,
		reducedAmount: terms.reducedAmount,
		reducedBy: terms.reducedBy,
		fullAmount: terms.fullAmount,
		payBy: terms.payBy,
		issuedOn: pnIssued,
		paidOn: addDays(pnIssued, 12),
		amountPaid: terms.reducedAmount
	});

	// Two earlier notices to the same parent for the same child within three years, both paid…
	const first = addDays(yearsBefore(today, 2), 14);
	const second = addDays(today, -200);
	for (const [reference, issuedOn, n] of [
		['NDEM-PNA', first, 1],
		['NDEM-PNB', second, 2]
	] as const) {
		const t = penaltyNoticeTerms(issuedOn, n);
		await insert({
			...base(refused, addDays(issuedOn, -70)),
			reference,
			kind: 'penalty_notice',
			status: 'paid',
			noticeNumber: n,
			reducedAmount: t.reducedAmount,
			reducedBy: t.reducedBy,
			fullAmount: t.fullAmount,
			payBy: t.payBy,
			issuedOn,
			paidOn: addDays(issuedOn, 20),
			amountPaid: n === 1 ? t.reducedAmount : t.fullAmount
		});
	}
	// …so a third request is refused by the rules: the LA considers prosecution instead.
	await insert({
		...base(refused, windowStart),
		reference: 'NDEM-PNC',
		kind: 'penalty_notice',
		status: 'refused',
		findings: JSON.stringify([{ code: 'third_notice_prosecution_instead', noticesWithin3Years: 2, earliestIssuedOn: first }]),
		decidedBy: null
	});

	await refreshStaleRollups(handle);
	return { created: true };
}
