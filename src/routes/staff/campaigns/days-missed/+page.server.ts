import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { addDaysMissedExclusion, daysMissedOverview, daysMissedProblemText, offerChoices, prepareDaysMissedRun, pupilsForExclusion, removeDaysMissedExclusion } from '$lib/server/features/campaigns';
import { EXCLUSION_REASONS, EXCLUSION_REASON_LABELS, HOLD_OUT_PERCENT_MAX, type ExclusionReason } from '$lib/domain/days-missed';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requirePermission(locals, 'campaigns.manage');
	const [overview, offers, pupils] = await Promise.all([daysMissedOverview(locals.database, staff.schoolId), offerChoices(locals.database), pupilsForExclusion(locals.database, staff.schoolId)]);
	return {
		...overview,
		exclusions: overview.exclusions.map((e) => ({ id: e.id, name: `${e.firstName} ${e.lastName}`, className: e.className, reason: EXCLUSION_REASON_LABELS[e.reason as ExclusionReason] ?? e.reason, note: e.note })),
		offers: offers.map((o) => ({ id: o.id, label: `${o.name} (${o.contact})` })),
		pupils: pupils.map((p) => ({ id: p.id, label: `${p.lastName}, ${p.firstName}${p.className ? ` (${p.className})` : ''}` })),
		reasons: EXCLUSION_REASONS.map((r) => ({ value: r, label: EXCLUSION_REASON_LABELS[r] })),
		holdOutMax: HOLD_OUT_PERCENT_MAX
	};
};

export const actions: Actions = {
	prepare: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		const form = await request.formData();
		const raw = { thresholdPercent: String(form.get('thresholdPercent') ?? '').slice(0, 5), holdOutPercent: String(form.get('holdOutPercent') ?? '').slice(0, 5), offerServiceId: String(form.get('offerServiceId') ?? '').slice(0, 36) };
		const made = await prepareDaysMissedRun(locals.database, { schoolId: staff.schoolId, staffUserId: staff.id, input: raw });
		if (!made.ok) {
			const field = made.problem.code === 'threshold_invalid' ? 'thresholdPercent' : made.problem.code === 'hold_out_invalid' ? 'holdOutPercent' : made.problem.code === 'offer_invalid' ? 'offerServiceId' : 'prepare';
			return fail(400, { raw, errors: [{ field, message: daysMissedProblemText(made.problem) }] });
		}
		redirect(303, `/staff/campaigns/days-missed/${made.id}`);
	},
	exclude: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		const form = await request.formData();
		const pupilId = String(form.get('pupilId') ?? '').slice(0, 36);
		const reason = String(form.get('reason') ?? '').slice(0, 40);
		const note = String(form.get('note') ?? '').slice(0, 200);
		const errors = [];
		if (!pupilId) errors.push({ field: 'pupilId', message: 'Choose the child whose family is not to be sent these messages' });
		if (!(EXCLUSION_REASONS as readonly string[]).includes(reason)) errors.push({ field: 'reason', message: 'Choose the reason' });
		if (errors.length) return fail(400, { errors, excludeRaw: { pupilId, reason, note } });
		const ok = await addDaysMissedExclusion(locals.database, { schoolId: staff.schoolId, staffUserId: staff.id, input: { pupilId, reason: reason as ExclusionReason, note } });
		if (!ok) return fail(400, { errors: [{ field: 'pupilId', message: 'That family is already excluded, or the child is not at this school' }], excludeRaw: { pupilId, reason, note } });
		return { excluded: true };
	},
	include: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		const id = String((await request.formData()).get('id') ?? '').slice(0, 36);
		await removeDaysMissedExclusion(locals.database, { schoolId: staff.schoolId, staffUserId: staff.id, exclusionId: id });
		return { included: true };
	}
};
