import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { can, requirePermission } from '$lib/server/features/accounts';
import { planComments, planForSchool, planInputFromForm, planProblemMessages, planServiceChoices, recordReview, reviewFigures, stagesOf, updatePlan } from '$lib/server/features/graduated-response';
import { latestReferralForPupil } from '$lib/server/features/local-authority';
import { REFERRAL_STATUS_LABELS } from '$lib/i18n-la';
import { BARRIERS } from '$lib/domain/signposting';
import { BARRIER_LABELS, REVIEW_OUTCOMES, reviewStep, splitBarriers } from '$lib/domain/support-plans';
import { STEP_LABELS } from '$lib/domain/graduated-response';
import { attendancePercent, daysFromSessions, formatDays, formatPercent } from '$lib/domain/attendance';
import { childDisplayName } from '$lib/domain/pupils';

const figureWords = (f: { attended: number; possible: number }) => (f.possible === 0 ? 'No sessions yet' : `${formatDays(daysFromSessions(f.possible - f.attended))} missed of ${formatDays(daysFromSessions(f.possible))} (${formatPercent(attendancePercent(f.attended, f.possible))})`);

/** One plan of support: what was agreed, the family's ticks and comment, edit it, and record the review. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	const handle = locals.database;
	const plan = await planForSchool(handle.db, staff.schoolId, params.planId);
	if (!plan) error(404, 'Page not found');
	const [pupil] = await handle.query<{ first_name: string; last_name: string; preferred_name: string | null }>(`select first_name, last_name, preferred_name from pupils where id = $1`, [plan.pupilId]);
	const name = childDisplayName({ firstName: pupil!.first_name, lastName: pupil!.last_name, preferredName: pupil!.preferred_name });
	const figures = await reviewFigures(handle, plan);
	const stage = (await stagesOf(handle.db, [plan.pupilId])).get(plan.pupilId) ?? { attendance: null, lateness: null };
	const referral = await latestReferralForPupil(handle, staff, plan.pupilId);
	const comments = (await planComments(handle.db, [plan.id])).get(plan.id) ?? [];
	const { fixed, other } = splitBarriers(plan.barriers);
	const nextIf = Object.fromEntries(REVIEW_OUTCOMES.map((o) => [o, reviewStep(figures.policy, stage, o).step])) as Record<(typeof REVIEW_OUTCOMES)[number], keyof typeof STEP_LABELS | null>;
	return {
		created: url.searchParams.get('created') === '1',
		reviewed: url.searchParams.get('reviewed') === '1',
		pupil: { id: plan.pupilId, name },
		plan: {
			id: plan.id,
			status: plan.status,
			barrierLabels: [...fixed.map((b) => BARRIER_LABELS[b]), ...other],
			values: { barriers: fixed as string[], otherBarriers: other.join('\n'), childView: plan.childView, actions: plan.actions, reviewOn: plan.reviewOn },
			childView: plan.childView,
			actions: plan.actions,
			reviewOn: plan.reviewOn,
			parentComments: comments.map((c) => ({ on: c.at.toISOString().slice(0, 10), text: c.text })),
			reviewNotes: plan.reviewNotes,
			reviewedAt: plan.reviewedAt?.toISOString().slice(0, 10) ?? null,
			reminded: plan.reviewReminderAt?.toISOString().slice(0, 10) ?? null,
			createdAt: plan.createdAt.toISOString().slice(0, 10)
		},
		figures: { since: figures.since, sincePlan: figureWords(figures.sincePlan), beforePlan: figures.beforePlan ? figureWords(figures.beforePlan) : null, suggested: figures.suggested, reviewTarget: figures.policy.review.targetPercent, minGain: figures.policy.review.minGainPoints },
		stageLabel: stage.attendance ? STEP_LABELS[stage.attendance] : 'Monitoring (no step under way)',
		atReferral: stage.attendance === 'refer_to_la',
		nextIf: { improved: nextIf.improved ? STEP_LABELS[nextIf.improved] : null, not_improved: nextIf.not_improved ? STEP_LABELS[nextIf.not_improved] : null },
		canRefer: can(staff, 'la.refer'),
		referral: referral ? { id: referral.id, reference: referral.reference, status: REFERRAL_STATUS_LABELS[referral.status] } : null,
		services: await planServiceChoices(handle, staff.schoolId),
		barrierOptions: BARRIERS.map((b) => ({ value: b, label: BARRIER_LABELS[b] }))
	};
};

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const input = planInputFromForm(await request.formData());
		const result = await updatePlan(locals.database, staff, params.planId, input);
		if (result.ok) return { saved: true };
		if ('problems' in result) return fail(400, { errors: planProblemMessages(result.problems), values: input });
		error(404, 'Page not found');
	},
	review: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const form = await request.formData();
		const outcome = String(form.get('outcome') ?? '');
		const notes = String(form.get('notes') ?? '').slice(0, 4000);
		if (!(REVIEW_OUTCOMES as readonly string[]).includes(outcome)) return fail(400, { reviewError: 'Choose whether attendance has improved', notes });
		const result = await recordReview(locals.database, staff, params.planId, { outcome: outcome as (typeof REVIEW_OUTCOMES)[number], notes });
		if (!result.ok && result.code === 'invalid') return fail(400, { reviewError: 'Notes can be up to 2,000 characters', notes });
		if (!result.ok && result.code === 'not_found') error(404, 'Page not found');
		redirect(303, `/staff/graduated/plans/${params.planId}?reviewed=1`);
	}
};
