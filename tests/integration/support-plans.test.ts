import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngine } from '../helpers/db';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import {
	addParentComment,
	planComments,
	createPlan,
	markFamilyActionDone,
	planForGuardian,
	planForSchool,
	pupilRecord,
	pupilsAwaitingPlan,
	recordReview,
	reviewsDue,
	saveGraduatedPolicy,
	stagesOf,
	sweepReviewReminders,
	updatePlan,
	type PlanInput
} from '../../src/lib/server/features/graduated-response';
import { ensureDefaultDirectory } from '../../src/lib/server/features/support';
import { createTestSchool } from '../fixtures/register/school';
import { createGuardian, linkGuardian } from '../fixtures/accounts/family';

async function mark(handle: DatabaseHandle, schoolId: string, pupilId: string, from: string, to: string, absentDays: string[] = []) {
	await handle.query(
		`insert into attendance_marks (pupil_id, date, session, school_id, code, source)
		 select $1, d::date, s::register_session, $2, case when to_char(d, 'YYYY-MM-DD') = any($5::text[]) then 'O' else '/' end, 'seed'
		   from generate_series($3::date, $4::date, interval '1 day') d, unnest(array['AM','PM']) s
		  where extract(isodow from d) < 6 and to_char(d, 'YYYY-MM-DD') not in ('2026-09-03', '2026-11-20')
		 on conflict do nothing`,
		[pupilId, schoolId, from, to, absentDays]
	);
}

const at = (iso: string) => new Date(iso);
const ORIGIN = 'https://everyday.test';

function input(over: Partial<PlanInput> = {}): PlanInput {
	return {
		barriers: ['mental_health_and_anxiety'],
		otherBarriers: 'Mornings are rushed with a new baby at home',
		childView: 'I worry about reading aloud.',
		actions: [
			{ who: 'school', text: 'Meet at the side gate at 8:40 for two weeks' },
			{ who: 'family', text: 'Pack the school bag the evening before' },
			{ who: 'service', text: 'Referral to the Mental Health Support Team', service: 'Mental Health Support Teams' }
		],
		reviewOn: '2026-11-30',
		...over
	};
}

describe(`plans of support (${testEngine})`, () => {
	let handle: DatabaseHandle;
	let schoolA: string;
	let ella: string, finn: string, gus: string;
	let ellaParent: string, finnParent: string;
	let lead: { id: string; role: string; schoolId: string };
	let head: { id: string; role: string; schoolId: string };
	let office: { id: string; role: string; schoolId: string };
	let otherLead: { id: string; role: string; schoolId: string };
	let ellaPlan: string;

	const staff = async (schoolId: string, email: string, role: string) => {
		const [row] = await handle.query<{ id: string }>(`insert into staff_users (school_id, email, display_name, role, password_hash) values ($1, $2, 'Staff', $3, 'x') returning id`, [schoolId, email, role]);
		return { id: row!.id, role, schoolId };
	};
	const outbox = (purpose: string) => handle.query<{ recipient: string; body: string; channel: string }>(`select recipient, body, channel::text as channel from outbound_messages where purpose = $1 order by created_at`, [purpose]);

	beforeAll(async () => {
		handle = await openTestDatabase();
		await ensureDefaultDirectory(handle);
		const a = await createTestSchool(handle, { slug: 'plans-a', urn: '497001', misIds: ['ELLA', 'FINN'] });
		const b = await createTestSchool(handle, { slug: 'plans-b', urn: '497002', misIds: ['GUS'] });
		schoolA = a.id;
		ella = a.pupils.get('ELLA')!;
		finn = a.pupils.get('FINN')!;
		gus = b.pupils.get('GUS')!;
		await handle.query(`update pupils set first_name = 'Ella' where id = $1`, [ella]);
		await handle.query(`update pupils set first_name = 'Finn' where id = $1`, [finn]);
		ellaParent = await createGuardian(handle, { phone: '+447700913001' });
		finnParent = await createGuardian(handle, { phone: '+447700913002' });
		await handle.query(`update guardians set preferred_language = 'pl' where id = $1`, [ellaParent]);
		await linkGuardian(handle, ellaParent, ella);
		await linkGuardian(handle, finnParent, finn);
		lead = await staff(schoolA, 'lead@plans-a.test', 'attendance_lead');
		head = await staff(schoolA, 'head@plans-a.test', 'headteacher');
		office = await staff(schoolA, 'office@plans-a.test', 'office');
		otherLead = await staff(b.id, 'lead@plans-b.test', 'attendance_lead');
		expect(await saveGraduatedPolicy(handle.db, lead, schoolA, { preset: 'lanercost', cadence: 'half_termly' })).toEqual({ ok: true });
		// Autumn 1 with 10 days off each (80%), then Autumn 2: Ella in every day, Finn still off a day a week.
		const off = ['2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17', '2026-09-18', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09'];
		await mark(handle, schoolA, ella, '2026-09-03', '2026-10-23', off);
		await mark(handle, schoolA, finn, '2026-09-03', '2026-10-23', off);
		await mark(handle, schoolA, ella, '2026-11-02', '2026-11-27');
		await mark(handle, schoolA, finn, '2026-11-02', '2026-11-27', ['2026-11-06', '2026-11-13', '2026-11-16', '2026-11-17', '2026-11-27']);
		await handle.query(`insert into graduated_stages (pupil_id, school_id, attendance_step) values ($1, $2, 'support_plan')`, [finn, schoolA]);
	});
	afterAll(async () => {
		await handle?.close();
	});

	it('a pupil at the plan step with no plan is listed for "start a plan"', async () => {
		expect((await pupilsAwaitingPlan(handle, schoolA)).map((p) => p.pupilId)).toEqual([finn]);
	});

	it('refuses a plan with no action, an unknown service, or a review date in the past or when the school is shut', async () => {
		const now = at('2026-11-02T10:00:00Z');
		const r = await createPlan(handle, lead, ella, input({ actions: [{ who: 'service', text: 'Help', service: 'Not in the directory' }], reviewOn: '2026-11-01' }), { now });
		expect(r.ok === false && 'problems' in r ? r.problems.map((p) => p.code) : r).toEqual(['service_unknown', 'review_past']);
		const empty = await createPlan(handle, lead, ella, input({ barriers: [], otherBarriers: '', actions: [{ who: 'school', text: '' }] }), { now });
		expect(empty.ok === false && 'problems' in empty ? empty.problems.map((p) => p.code) : empty).toEqual(['no_barrier', 'no_action']);
		// The Christmas holidays (after the school's Autumn 2) and a Saturday are not school days.
		for (const reviewOn of ['2026-12-21', '2026-11-28']) {
			const shut = await createPlan(handle, lead, ella, input({ reviewOn }), { now });
			expect(shut.ok === false && 'problems' in shut ? shut.problems.map((p) => p.code) : shut).toEqual(['review_closed']);
		}
	});

	it('staff of another school, and staff without the permission, are refused', async () => {
		expect(await createPlan(handle, otherLead, ella, input(), { now: at('2026-11-02T10:00:00Z') })).toEqual({ ok: false, notFound: true });
		expect(await createPlan(handle, office, ella, input(), { now: at('2026-11-02T10:00:00Z') })).toEqual({ ok: false, forbidden: true });
		expect(await createPlan(handle, lead, gus, input(), { now: at('2026-11-02T10:00:00Z') })).toEqual({ ok: false, notFound: true });
	});

	it('creates a plan, moves the pupil to the plan step, and tells the family once in their language', async () => {
		const now = at('2026-11-02T10:00:00Z');
		const [a, b] = await Promise.all([createPlan(handle, lead, ella, input(), { now, origin: ORIGIN }), createPlan(handle, lead, ella, input(), { now, origin: ORIGIN })]);
		const made = [a, b].filter((r) => r.ok);
		expect(made).toHaveLength(1);
		ellaPlan = (made[0] as { id: string }).id;
		expect([a, b].find((r) => !r.ok)).toEqual({ ok: false, activePlan: ellaPlan });
		const plan = (await planForSchool(handle.db, schoolA, ellaPlan))!;
		expect(plan.barriers).toEqual(['mental_health_and_anxiety', 'Mornings are rushed with a new baby at home']);
		expect(plan.actions.map((x) => x.who)).toEqual(['school', 'family', 'service']);
		expect((await stagesOf(handle.db, [ella])).get(ella)!.attendance).toBe('support_plan');
		const messages = await outbox('graduated_plan');
		expect(messages).toHaveLength(1);
		expect(messages[0]!.recipient).toBe('+447700913001');
		expect(messages[0]!.body).toContain(`${ORIGIN}/children/${ella}/plan`);
		expect(messages[0]!.body).toContain('plan wsparcia');
		expect(await planForSchool(handle.db, (await handle.query<{ id: string }>(`select school_id::text as id from pupils where id = $1`, [gus]))[0]!.id, ellaPlan)).toBeNull();
		const [audit] = await handle.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'graduated.plan_created' and subject_id = $1`, [ella]);
		expect(audit!.n).toBe(1);
	});

	it('only a parent of the pupil sees the plan and ticks family actions; the tick survives a staff edit', async () => {
		const plan = (await planForSchool(handle.db, schoolA, ellaPlan))!;
		const family = plan.actions.find((x) => x.who === 'family')!;
		const school = plan.actions.find((x) => x.who === 'school')!;
		expect(await planForGuardian(handle.db, finnParent, ella)).toBeNull();
		expect((await planForGuardian(handle.db, ellaParent, ella))!.id).toBe(ellaPlan);
		expect(await markFamilyActionDone(handle.db, finnParent, ellaPlan, family.id)).toEqual({ ok: false, code: 'not_found' });
		expect(await markFamilyActionDone(handle.db, ellaParent, ellaPlan, school.id)).toEqual({ ok: false, code: 'not_family_action' });
		expect(await markFamilyActionDone(handle.db, ellaParent, ellaPlan, family.id, true, at('2026-11-05T18:00:00Z'))).toEqual({ ok: true });
		expect(await addParentComment(handle.db, finnParent, ellaPlan, 'Not my child')).toEqual({ ok: false, code: 'not_found' });
		expect(await addParentComment(handle.db, ellaParent, ellaPlan, '   ')).toEqual({ ok: false, code: 'invalid' });
		expect(await addParentComment(handle.db, ellaParent, ellaPlan, 'Mornings are still hard.', at('2026-11-06T08:00:00Z'))).toEqual({ ok: true });
		expect(await addParentComment(handle.db, ellaParent, ellaPlan, 'The side gate has really helped.', at('2026-11-06T18:00:00Z'))).toEqual({ ok: true });
		// Staff edit the plan (another school action): the parent's tick stays.
		const edited = await updatePlan(handle, lead, ellaPlan, input({ actions: [...plan.actions.map((x) => ({ id: x.id, who: x.who, text: x.text, service: x.service ?? undefined })), { who: 'school', text: 'A reading buddy' }] }), { now: at('2026-11-09T10:00:00Z') });
		expect(edited).toEqual({ ok: true, id: ellaPlan });
		expect(await updatePlan(handle, otherLead, ellaPlan, input(), { now: at('2026-11-09T10:00:00Z') })).toEqual({ ok: false, notFound: true });
		const after = (await planForSchool(handle.db, schoolA, ellaPlan))!;
		expect(after.actions).toHaveLength(4);
		expect(after.actions.find((x) => x.id === family.id)!.doneAt).toBe('2026-11-05T18:00:00.000Z');
		// A second comment is added to the first, never in its place.
		expect((await planComments(handle.db, [ellaPlan])).get(ellaPlan)).toEqual([
			{ at: at('2026-11-06T08:00:00Z'), text: 'Mornings are still hard.' },
			{ at: at('2026-11-06T18:00:00Z'), text: 'The side gate has really helped.' }
		]);
	});

	it('reminds staff of the review once, however many sweeps run at once', async () => {
		expect(await sweepReviewReminders(handle, at('2026-11-26T09:00:00Z'), { origin: ORIGIN })).toBe(0);
		const runs = await Promise.all([0, 1, 2].map(() => sweepReviewReminders(handle, at('2026-11-28T09:00:00Z'), { origin: ORIGIN })));
		expect(runs.reduce((x, y) => x + y, 0)).toBe(1);
		expect(await sweepReviewReminders(handle, at('2026-11-29T09:00:00Z'), { origin: ORIGIN })).toBe(0);
		const emails = await outbox('graduated_review_reminder');
		expect(emails).toHaveLength(1);
		expect(emails[0]).toMatchObject({ channel: 'email', recipient: 'lead@plans-a.test' });
		expect(emails[0]!.body).toContain(`${ORIGIN}/staff/graduated/plans/${ellaPlan}`);
		const due = await reviewsDue(handle.db, schoolA, at('2026-11-28T09:00:00Z'));
		expect(due.map((d) => [d.id, d.reminded, d.familyDone, d.familyActions, d.parentComments])).toEqual([[ellaPlan, true, 1, 1, 2]]);
	});

	it('review improved: the celebration letter to the family once, and back to monitoring', async () => {
		const now = at('2026-11-30T15:00:00Z');
		const [a, b] = await Promise.all([
			recordReview(handle, head, ellaPlan, { outcome: 'improved', notes: 'In every day since the plan.' }, { now, origin: ORIGIN }),
			recordReview(handle, head, ellaPlan, { outcome: 'improved', notes: 'In every day since the plan.' }, { now, origin: ORIGIN })
		]);
		const done = [a, b].filter((r) => r.ok);
		expect(done).toEqual([{ ok: true, outcome: 'improved', step: 'review_improved', stepLabel: 'Improved: celebrate and back to monitoring', letters: 1, referral: false }]);
		expect([a, b].find((r) => !r.ok)).toEqual({ ok: false, code: 'already_reviewed' });
		const letters = await outbox('graduated_letter');
		expect(letters).toHaveLength(1);
		expect(letters[0]!.recipient).toBe('+447700913001');
		expect((await stagesOf(handle.db, [ella])).get(ella)!.attendance).toBeNull();
		// Closed plans take no more ticks or comments.
		const family = (await planForSchool(handle.db, schoolA, ellaPlan))!.actions.find((x) => x.who === 'family')!;
		expect(await markFamilyActionDone(handle.db, ellaParent, ellaPlan, family.id, false)).toEqual({ ok: false, code: 'closed' });
		expect(await recordReview(handle, otherLead, ellaPlan, { outcome: 'not_improved' })).toEqual({ ok: false, code: 'not_found' });
	});

	it('review not improved: the next step of the ladder, the referral to the local authority', async () => {
		const created = await createPlan(handle, lead, finn, input({ reviewOn: '2026-11-27' }), { now: at('2026-11-02T10:00:00Z'), origin: ORIGIN });
		expect(created.ok).toBe(true);
		const id = (created as { id: string }).id;
		const r = await recordReview(handle, head, id, { outcome: 'not_improved', notes: 'Still off a day a week; parents came.' }, { now: at('2026-11-27T15:00:00Z'), origin: ORIGIN });
		expect(r).toEqual({ ok: true, outcome: 'not_improved', step: 'refer_to_la', stepLabel: 'Refer to the local authority', letters: 0, referral: true });
		expect((await stagesOf(handle.db, [finn])).get(finn)!.attendance).toBe('refer_to_la');
		const [step] = await handle.query<{ step: string; point_key: string }>(`select step, point_key from graduated_actions where pupil_id = $1 and step = 'refer_to_la'`, [finn]);
		expect(step).toEqual({ step: 'refer_to_la', point_key: `review:${id}` });
		// Finn's parent was told of the plan; no letter goes for a referral step.
		expect((await outbox('graduated_plan')).map((x) => x.recipient)).toEqual(['+447700913001', '+447700913002']);
		expect(await outbox('graduated_letter')).toHaveLength(1);
	});

	it("the pupil's record tells the plan's story: agreed, the parent's tick and each comment, the review", async () => {
		const record = (await pupilRecord(handle, ella))!;
		const titles = record.events.filter((e) => e.ref === ellaPlan).map((e) => e.title);
		expect(titles).toEqual(['Plan of support agreed', 'Parent marked their action done', "Parent's comment on the plan", "Parent's comment on the plan", 'Review: improved']);
		expect(record.events.filter((e) => e.title === "Parent's comment on the plan").map((e) => e.detail)).toEqual(['Mornings are still hard.', 'The side gate has really helped.']);
		const agreed = record.events.find((e) => e.title === 'Plan of support agreed')!;
		expect(agreed.detail).toContain('Mental health and anxiety, Mornings are rushed with a new baby at home');
		expect(agreed.detail).toContain('I worry about reading aloud.');
		expect(record.events.map((e) => e.title)).toContain('Improved: celebrate and back to monitoring');
	});
});
