import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import { createTestSchool, type TestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { staffUsers, type StaffUser } from '../../src/lib/server/platform/db/schema';
import {
	actOnReferral,
	answerReferralQuestion,
	crossSchoolFigures,
	decideIntervention,
	guardianNotice,
	guardianNotices,
	laGroundForPupil,
	laIntervention,
	laInterventionList,
	laOverview,
	laReferral,
	laReferralList,
	laStatutoryNotifications,
	noticeLetter,
	noticeLetterPdf,
	overviewCsv,
	refreshStaleRollups,
	requestIntervention,
	schoolInterventions,
	schoolReferral,
	schoolReferrals,
	sendReferral
} from '../../src/lib/server/features/local-authority';

const TODAY = '2026-11-27';

/** Weekdays from `from` to `to` inclusive, skipping the fixture calendar's half term and INSET day. */
function schoolDays(from: string, to: string): string[] {
	const out: string[] = [];
	for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
		const iso = d.toISOString().slice(0, 10);
		const dow = d.getUTCDay();
		if (dow === 0 || dow === 6) continue;
		if (iso === '2026-09-03' || (iso >= '2026-10-24' && iso <= '2026-11-01')) continue;
		out.push(iso);
	}
	return out;
}

async function mark(handle: DatabaseHandle, schoolId: string, pupilId: string, code: (date: string, session: 'AM' | 'PM') => string) {
	const days = schoolDays('2026-09-04', '2026-11-26');
	const rows = days.flatMap((date) => (['AM', 'PM'] as const).filter((s) => !(date === '2026-11-20' && s === 'PM')).map((s) => ({ date, s, code: code(date, s) })));
	await handle.query(
		`insert into attendance_marks (pupil_id, date, session, school_id, code, source)
		 select $1, d, s::register_session, $2, c, 'seed' from unnest($3::date[], $4::text[], $5::text[]) as t(d, s, c)`,
		[pupilId, schoolId, rows.map((r) => r.date), rows.map((r) => r.s), rows.map((r) => r.code)]
	);
}

async function addStaff(handle: DatabaseHandle, email: string, role: StaffUser['role'], schoolId: string | null): Promise<StaffUser> {
	const [row] = await handle.db.insert(staffUsers).values({ email, displayName: email, role, schoolId, passwordHash: 'not-used' }).returning();
	return row!;
}

describe(`the local authority's side (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let one: TestSchool;
	let two: TestSchool;
	let pupilA: string;
	let pupilB: string;
	let pupilC: string;
	let parentA: string;
	let otherParent: string;
	let lead: StaffUser;
	let office: StaffUser;
	let headTwo: StaffUser;
	let officer: StaffUser;
	let laAdmin: StaffUser;
	let referralId: string;

	beforeAll(async () => {
		handle = await openTestDatabase();
		one = await createTestSchool(handle, { slug: 'one', urn: '100001', misIds: ['A', 'B'] });
		two = await createTestSchool(handle, { slug: 'two', urn: '100002', misIds: ['C'] });
		pupilA = one.pupils.get('A')!;
		pupilB = one.pupils.get('B')!;
		pupilC = two.pupils.get('C')!;
		// A: exactly 10 unauthorised sessions in November (the threshold; no 10-day run, not persistently absent over the year).
		await mark(handle, one.id, pupilA, (d) => (d >= '2026-11-09' && d <= '2026-11-13' ? 'O' : '/'));
		await mark(handle, one.id, pupilB, () => '/');
		// C: 10 school days in a row without authorisation.
		await mark(handle, two.id, pupilC, (d) => (d >= '2026-11-02' && d <= '2026-11-13' ? 'N' : '/'));
		parentA = await createGuardian(handle, { firstName: 'Ada', lastName: 'Parent', phone: '+447700900111' });
		otherParent = await createGuardian(handle, { firstName: 'Bea', lastName: 'Other', phone: '+447700900112' });
		await linkGuardian(handle, parentA, pupilA);
		await linkGuardian(handle, otherParent, pupilB);
		lead = await addStaff(handle, 'lead@one.example.org', 'attendance_lead', one.id);
		office = await addStaff(handle, 'office@one.example.org', 'office', one.id);
		headTwo = await addStaff(handle, 'head@two.example.org', 'headteacher', two.id);
		officer = await addStaff(handle, 'officer@la.example.org', 'la_officer', null);
		laAdmin = await addStaff(handle, 'admin@la.example.org', 'la_admin', null);
	});
	afterAll(async () => {
		await handle?.close();
	});

	describe('who the LA officer sees by name', () => {
		it('nobody without a referral, a notice or a statutory notification', async () => {
			expect(await laGroundForPupil(handle, officer, pupilA, TODAY)).toBeNull();
			expect(await laGroundForPupil(handle, officer, pupilB, TODAY)).toBeNull();
			expect(await laGroundForPupil(handle, officer, 'not-a-uuid', TODAY)).toBeNull();
		});

		it('a pupil absent 10 school days in a row without authorisation, through the statutory notifications', async () => {
			expect(await laGroundForPupil(handle, officer, pupilC, TODAY)).toBe('statutory_notification');
			const list = await laStatutoryNotifications(handle, officer, { today: TODAY });
			expect(list.map((n) => n.pupilId)).toEqual([pupilC]);
			expect(list[0]).toMatchObject({ reasons: expect.arrayContaining(['continuous_unauthorised_absence']), continuous: { days: 10, from: '2026-11-02', to: '2026-11-13' } });
		});

		it('the directory admin and school staff get no statutory list and no ground', async () => {
			expect(await laStatutoryNotifications(handle, laAdmin, { today: TODAY })).toEqual([]);
			expect(await laStatutoryNotifications(handle, lead, { today: TODAY })).toEqual([]);
			expect(await laGroundForPupil(handle, laAdmin, pupilC, TODAY)).toBeNull();
		});
	});

	describe('referrals', () => {
		it('the office cannot refer; the attendance lead can, with the evidence assembled', async () => {
			expect(await sendReferral(handle, office, { pupilId: pupilA, summary: 'Please help' })).toEqual({ ok: false, problem: { code: 'not_permitted' } });
			expect(await sendReferral(handle, lead, { pupilId: pupilA, summary: '   ' })).toEqual({ ok: false, problem: { code: 'text_required', field: 'summary' } });
			expect(await sendReferral(handle, lead, { pupilId: pupilC, summary: 'Not ours' })).toEqual({ ok: false, problem: { code: 'not_found' } });
			const sent = await sendReferral(handle, lead, { pupilId: pupilA, summary: 'Attendance has fallen since October despite an attendance plan.' });
			expect(sent.ok).toBe(true);
			if (!sent.ok) return;
			referralId = sent.id;
			expect(sent.reference).toMatch(/^R[A-Z2-9]{3}-[A-Z2-9]{3}$/);
			const again = await sendReferral(handle, lead, { pupilId: pupilA, summary: 'Again' });
			expect(again).toEqual({ ok: false, problem: { code: 'already_referred', reference: sent.reference } });
		});

		it('the LA officer reads it with its evidence, by half term', async () => {
			const view = await laReferral(handle, officer, referralId);
			expect(view?.pupilName).toBe('Test Pupil');
			expect(view?.evidence.map((s) => s.kind)).toEqual(['figures_by_half_term', 'unauthorised_window', 'absence_reports', 'first_day_contacts', 'leave_requests', 'graduated_response']);
			const figures = view!.evidence[0]!;
			if (figures.kind !== 'figures_by_half_term') throw new Error('first section');
			expect(figures.halfTerms.map((t) => [t.name, t.unauthorised])).toEqual([
				['Autumn 1', 0],
				['Autumn 2', 10]
			]);
			expect(view!.evidence[1]).toMatchObject({ kind: 'unauthorised_window', count: 10 });
			const [audit] = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'la.referral.viewed' and subject_id = $1`, [referralId]);
			expect(audit!.n).toBe(1);
			expect(await laGroundForPupil(handle, officer, pupilA, TODAY)).toBe('referral');
		});

		it('nobody but the LA officer opens it from the LA side', async () => {
			expect(await laReferral(handle, laAdmin, referralId)).toBeNull();
			expect(await laReferral(handle, lead, referralId)).toBeNull();
			expect(await laReferralList(handle, laAdmin)).toEqual([]);
			expect((await laReferralList(handle, officer)).map((r) => r.id)).toEqual([referralId]);
		});

		it('a school cannot see another school\'s referrals', async () => {
			expect(await schoolReferrals(handle, headTwo)).toEqual([]);
			expect(await schoolReferral(handle, headTwo, referralId)).toBeNull();
			expect((await schoolReferrals(handle, office)).map((r) => r.id)).toEqual([referralId]);
			expect(await answerReferralQuestion(handle, headTwo, referralId, { body: 'x' })).toEqual({ ok: false, problem: { code: 'not_found' } });
		});

		it('question, answer, case note and return: the school sees the status and the conversation, not the case notes', async () => {
			expect(await actOnReferral(handle, officer, referralId, { action: 'question', body: '' })).toEqual({ ok: false, problem: { code: 'text_required', field: 'body' } });
			expect(await actOnReferral(handle, laAdmin, referralId, { action: 'accept' })).toEqual({ ok: false, problem: { code: 'not_permitted' } });
			expect(await actOnReferral(handle, officer, referralId, { action: 'question', body: 'Has the family been offered the early help assessment?' })).toEqual({ ok: true, status: 'question' });
			expect(await actOnReferral(handle, officer, referralId, { action: 'case_note', body: 'Sibling known to early help.' })).toEqual({ ok: true, status: 'question' });
			let school = await schoolReferral(handle, lead, referralId);
			expect(school?.status).toBe('question');
			expect(school?.notes.map((n) => n.kind)).toEqual(['question']);
			expect(await answerReferralQuestion(handle, lead, referralId, { body: 'Yes, in October; the family declined.' })).toEqual({ ok: true, status: 'submitted' });
			expect(await actOnReferral(handle, officer, referralId, { action: 'return', body: 'Please try the early help assessment again first.' })).toEqual({ ok: true, status: 'returned' });
			school = await schoolReferral(handle, lead, referralId);
			expect(school?.status).toBe('returned');
			expect(school?.notes.map((n) => n.kind)).toEqual(['question', 'answer', 'returned']);
			const la = await laReferral(handle, officer, referralId);
			expect(la?.notes.map((n) => n.kind)).toEqual(['question', 'case_note', 'answer', 'returned']);
			expect(await actOnReferral(handle, officer, referralId, { action: 'accept' })).toEqual({ ok: false, problem: { code: 'wrong_status', status: 'returned' } });
			const actions = await handle.query<{ action: string }>(`select action from audit_log where subject_id = $1 and action <> 'la.referral.viewed' order by id`, [referralId]);
			expect(actions.map((a) => a.action)).toEqual(['la.referral.sent', 'la.referral.question', 'la.referral.case_note', 'la.referral.answered', 'la.referral.return']);
		});

		it('a returned referral can be sent again and accepted', async () => {
			const sent = await sendReferral(handle, lead, { pupilId: pupilA, summary: 'Early help offered again; declined again.' });
			expect(sent.ok).toBe(true);
			if (!sent.ok) return;
			expect(await actOnReferral(handle, officer, sent.id, { action: 'accept' })).toEqual({ ok: true, status: 'accepted' });
			expect((await schoolReferral(handle, lead, sent.id))?.status).toBe('accepted');
		});
	});

	describe('notices to improve and penalty notices', () => {
		const pn = (extra: object = {}) => ({ kind: 'penalty_notice', pupilId: pupilA, guardianId: parentA, support: 'offered', supportDetails: 'Attendance plan since October', ...extra });

		it('the rules refuse a request the school can put right, and nothing is stored', async () => {
			const r = await requestIntervention(handle, lead, pn({ support: 'not_offered' }), TODAY);
			expect(r).toEqual({ ok: false, problem: { code: 'rules', findings: [{ code: 'support_not_offered' }] } });
			const nti = await requestIntervention(handle, lead, { ...pn(), kind: 'notice_to_improve', improvementWeeks: 8 }, TODAY);
			expect(nti).toMatchObject({ ok: false, problem: { code: 'rules', findings: [{ code: 'improvement_period_out_of_range', weeks: 8 }] } });
			const early = await requestIntervention(handle, lead, pn(), '2026-11-12');
			expect(early).toMatchObject({ ok: false, problem: { code: 'rules', findings: [{ code: 'threshold_not_met', count: 8 }] } });
			expect(await laInterventionList(handle, officer)).toEqual([]);
		});

		it('only the school\'s own pupils, their own parents, and the lead or head', async () => {
			expect(await requestIntervention(handle, office, pn(), TODAY)).toEqual({ ok: false, problem: { code: 'not_permitted' } });
			expect(await requestIntervention(handle, headTwo, pn(), TODAY)).toEqual({ ok: false, problem: { code: 'not_found' } });
			expect(await requestIntervention(handle, lead, pn({ guardianId: otherParent }), TODAY)).toEqual({ ok: false, problem: { code: 'invalid_input', field: 'guardianId' } });
		});

		it('a first penalty notice: requested, issued with £80/£160 and its dates, the parent told with support, paid on day 22 at £160', async () => {
			const r = await requestIntervention(handle, lead, pn(), TODAY);
			expect(r).toMatchObject({ ok: true, status: 'requested', findings: [] });
			if (!r.ok) return;
			expect(await guardianNotices(handle, parentA)).toEqual([]);
			expect(await decideIntervention(handle, lead, r.id!, { action: 'issue' }, TODAY)).toEqual({ ok: false, problem: { code: 'not_permitted' } });
			expect(await decideIntervention(handle, officer, r.id!, { action: 'issue' }, TODAY)).toEqual({ ok: true, status: 'issued' });
			const notice = await laIntervention(handle, officer, r.id!);
			expect(notice).toMatchObject({ noticeNumber: 1, reducedAmount: 80, reducedBy: '2026-12-18', fullAmount: 160, payBy: '2026-12-25', issuedOn: TODAY, windowCount: 10 });
			const [msg] = await handle.query<{ body: string; recipient: string; purpose: string }>(`select body, recipient, purpose from outbound_messages where guardian_id = $1`, [parentA]);
			expect(msg).toMatchObject({ recipient: '+447700900111', purpose: 'la_penalty_notice_issued' });
			expect(msg!.body).toContain('£80');
			expect(msg!.body).toContain('can help');
			expect(msg!.body).toContain(notice!.reference);
			// The parent sees it; another parent does not.
			expect((await guardianNotices(handle, parentA)).map((n) => n.reference)).toEqual([notice!.reference]);
			expect(await guardianNotices(handle, otherParent)).toEqual([]);
			expect(await guardianNotice(handle, otherParent, notice!.reference)).toBeNull();
			// Payment on day 22 is the full amount; a payment dated after today is refused.
			expect(await decideIntervention(handle, officer, r.id!, { action: 'paid', paidOn: '2026-12-19' }, '2026-12-19')).toEqual({ ok: true, status: 'paid' });
			expect((await laIntervention(handle, officer, r.id!))?.amountPaid).toBe(160);
			const letter = noticeLetter((await guardianNotice(handle, parentA, notice!.reference))!, 'en', 'Test');
			expect(letter?.paragraphs.map((p) => p.text)).toEqual(
				expect.arrayContaining(['Penalty notice', '£80 if paid by Friday 18 December 2026, or £160 if paid by Friday 25 December 2026.', 'Paid £160 on Saturday 19 December 2026.'])
			);
			const pdf = await noticeLetterPdf(letter!, 'en');
			expect(Buffer.from(pdf.slice(0, 5)).toString('latin1')).toBe('%PDF-');
		});

		it('a second within 3 years is £160 with no reduced rate; a third is refused, saying prosecution is considered', async () => {
			const second = await requestIntervention(handle, lead, pn(), '2027-01-04');
			expect(second.ok).toBe(true);
			if (!second.ok) return;
			// The window counted then is what the school sent; the LA issues on its own day.
			expect(await decideIntervention(handle, officer, second.id!, { action: 'issue' }, '2027-01-05')).toEqual({ ok: true, status: 'issued' });
			expect(await laIntervention(handle, officer, second.id!)).toMatchObject({ noticeNumber: 2, reducedAmount: null, fullAmount: 160, payBy: '2027-02-02' });
			const third = await requestIntervention(handle, lead, pn(), '2027-01-06');
			expect(third).toMatchObject({ ok: true, status: 'refused', findings: [{ code: 'third_notice_prosecution_instead', noticesWithin3Years: 2, earliestIssuedOn: TODAY }] });
			if (!third.ok) return;
			expect(await decideIntervention(handle, officer, third.id!, { action: 'issue' }, '2027-01-06')).toEqual({ ok: false, problem: { code: 'wrong_status', status: 'refused' } });
			// The refused request is the school's and the LA's, not the parent's.
			expect((await guardianNotices(handle, parentA)).map((n) => n.status).sort()).toEqual(['issued', 'paid']);
			expect((await schoolInterventions(handle, lead)).length).toBe(3);
			expect(await schoolInterventions(handle, headTwo)).toEqual([]);
		});

		it('a withdrawn notice no longer counts, and the parent is told', async () => {
			const list = await laInterventionList(handle, officer);
			const second = list.find((n) => n.noticeNumber === 2)!;
			expect(await decideIntervention(handle, officer, second.id, { action: 'withdraw', note: '' }, '2027-01-07')).toEqual({ ok: false, problem: { code: 'invalid_input', field: 'note' } });
			expect(await decideIntervention(handle, officer, second.id, { action: 'withdraw', note: 'Medical evidence received.' }, '2027-01-07')).toEqual({ ok: true, status: 'withdrawn' });
			const [msg] = await handle.query<{ body: string }>(`select body from outbound_messages where purpose = 'la_penalty_notice_withdrawn'`);
			expect(msg!.body).toContain('withdrawn');
			const again = await requestIntervention(handle, lead, pn(), '2027-01-08');
			expect(again).toMatchObject({ ok: true, status: 'requested' });
		});

		it('a notice to improve gives 3 to 6 weeks; its outcome waits for the end of the period', async () => {
			const r = await requestIntervention(handle, lead, { ...pn(), kind: 'notice_to_improve', improvementWeeks: '4' }, TODAY);
			expect(r.ok).toBe(true);
			if (!r.ok) return;
			expect(await decideIntervention(handle, officer, r.id!, { action: 'issue' }, TODAY)).toEqual({ ok: true, status: 'issued' });
			expect(await laIntervention(handle, officer, r.id!)).toMatchObject({ improvementWeeks: 4, improvementEndsOn: '2026-12-25' });
			expect(await decideIntervention(handle, officer, r.id!, { action: 'paid', paidOn: TODAY }, TODAY)).toEqual({ ok: false, problem: { code: 'wrong_status', status: 'issued' } });
			expect(await decideIntervention(handle, officer, r.id!, { action: 'outcome', outcome: 'improved' }, '2026-12-24')).toEqual({ ok: false, problem: { code: 'period_not_over', endsOn: '2026-12-25' } });
			expect(await decideIntervention(handle, officer, r.id!, { action: 'outcome', outcome: 'improved' }, '2026-12-25')).toEqual({ ok: true, status: 'improved' });
			const [msg] = await handle.query<{ body: string }>(`select body from outbound_messages where purpose = 'la_notice_to_improve_issued'`);
			expect(msg!.body).toContain('4 weeks');
			const steps = await handle.query<{ action: string }>(`select action from audit_log where subject_id = $1 order by id`, [r.id]);
			expect(steps.map((s) => s.action)).toEqual(['la.intervention.requested', 'la.intervention.issue', 'la.intervention.outcome']);
		});
	});

	describe('the view across schools', () => {
		it('figures by school and half term, with the LA totals, and no names', async () => {
			expect(await refreshStaleRollups(handle)).toBe(2);
			expect(await refreshStaleRollups(handle)).toBe(0);
			const view = await crossSchoolFigures(handle, '2026/27');
			const s1 = view.schools.find((s) => s.schoolId === one.id)!;
			expect(s1.halfTerms.map((t) => t.termName)).toEqual(['Autumn 1', 'Autumn 2']);
			expect(s1.halfTerms[0]).toMatchObject({ pupils: 2, attendancePercent: 100, persistent: 0, trend: null });
			// Autumn 2 to 26 November: 19 school days, 37 sessions each (20 November PM closed); A missed 10.
			expect(s1.halfTerms[1]).toMatchObject({ pupils: 2, possible: 74, attended: 64, persistent: 1, persistentPercent: 50, severe: 0 });
			expect(s1.halfTerms[1]!.trend).toBeCloseTo((100 * 64) / 74 - 100, 6);
			const s2 = view.schools.find((s) => s.schoolId === two.id)!;
			expect(s2.halfTerms[1]).toMatchObject({ pupils: 1, possible: 37, attended: 17, persistent: 1, severe: 1 });
			expect(view.totals.halfTerms[1]).toMatchObject({ pupils: 3, possible: 111, attended: 81, persistent: 2, severe: 1 });
			expect(JSON.stringify(view)).not.toContain('Test Pupil');
			const csv = overviewCsv(view);
			expect(csv.split('\n')[0]).toBe(
				'School,Period,Pupils,Possible sessions,Attended sessions,Attendance %,Persistently absent,Persistent absence %,Severely absent,Severe absence %,Change from previous half term (points)'
			);
			expect(csv).toContain('All schools,Autumn 2,3,111,81,73.0,2,66.7,1,33.3,');
		});

		it('only for the LA officer', async () => {
			expect(await laOverview(handle, lead, { academicYear: '2026/27' })).toBeNull();
			expect(await laOverview(handle, laAdmin, { academicYear: '2026/27' })).toBeNull();
			expect((await laOverview(handle, officer, { academicYear: '2026/27' }))?.schools).toHaveLength(2);
		});
	});
});

describe(`statutory notifications on a day in the past (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let pupilD: string;
	let officer: StaffUser;

	beforeAll(async () => {
		handle = await openTestDatabase();
		const school = await createTestSchool(handle, { slug: 'past', urn: '100003', misIds: ['D'] });
		pupilD = school.pupils.get('D')!;
		// Ill for the first five school days, then in every day: about half of the sessions missed by
		// 18 September, under 10% over the term (the year's counts alone would not list the pupil).
		await mark(handle, school.id, pupilD, (d) => (d <= '2026-09-10' ? 'I' : '/'));
		officer = await addStaff(handle, 'officer@past.example.org', 'la_officer', null);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('judges the marks up to that day, not the whole year', async () => {
		const then = await laStatutoryNotifications(handle, officer, { today: '2026-09-18' });
		expect(then.map((n) => [n.pupilId, n.reasons])).toEqual([[pupilD, ['irregular_attendance']]]);
		expect(then[0]).toMatchObject({ possible: 22, attended: 12 });
		expect(await laStatutoryNotifications(handle, officer, { today: TODAY })).toEqual([]);
	});
});
