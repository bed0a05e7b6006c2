import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { decideIntervention, laIntervention, noticeLetter, type InterventionDecision } from '$lib/server/features/local-authority';
import { INTERVENTION_KIND_LABELS, INTERVENTION_STATUS_LABELS, SUPPORT_LABELS, interventionFindingText, interventionProblemTexts } from '$lib/i18n-la';
import { longDate } from '$lib/domain/absence';

export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const n = await laIntervention(locals.database, staff, params.id);
	if (!n) error(404, 'Page not found');
	const letter = noticeLetter(n, 'en', n.pupilFirstName);
	return {
		notice: {
			id: n.id,
			reference: n.reference,
			kind: n.kind,
			kindLabel: INTERVENTION_KIND_LABELS[n.kind],
			status: n.status,
			statusLabel: INTERVENTION_STATUS_LABELS[n.status],
			school: n.schoolName,
			pupil: n.pupilName,
			parent: n.guardianName,
			window: `${n.windowCount} unauthorised sessions from ${longDate(n.windowStart)} to ${longDate(n.windowEnd)}`,
			support: SUPPORT_LABELS[n.support],
			supportDetails: n.supportDetails,
			findings: n.findings.map(interventionFindingText),
			improvementWeeks: n.improvementWeeks,
			decisionNote: n.decisionNote,
			letter: letter?.paragraphs ?? null
		}
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requireStaff(locals, rolesWith('la.attendance'));
		const form = await request.formData();
		const action = String(form.get('action') ?? '');
		const note = String(form.get('note') ?? '').slice(0, 4000);
		let decision: InterventionDecision;
		if (action === 'issue') decision = { action, note };
		else if (action === 'refuse' || action === 'withdraw') decision = { action, note };
		else if (action === 'paid') decision = { action, paidOn: String(form.get('paidOn') ?? '') };
		else if (action === 'unpaid') decision = { action };
		else if (action === 'improved' || action === 'not_improved') decision = { action: 'outcome', outcome: action, note };
		else return fail(400, { messages: ['Choose what to do'] });
		const result = await decideIntervention(locals.database, staff, params.id, decision);
		if (!result.ok) return fail(400, { messages: interventionProblemTexts(result.problem) });
		return { done: `Saved: ${INTERVENTION_STATUS_LABELS[result.status].toLowerCase()}.${action === 'issue' || action === 'withdraw' ? ' The parent has been told.' : ''}` };
	}
};
