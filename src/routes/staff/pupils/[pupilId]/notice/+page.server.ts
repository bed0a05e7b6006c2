import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { noticeRequestContext, requestIntervention } from '$lib/server/features/local-authority';
import { interventionFindingText, interventionProblemTexts } from '$lib/i18n-la';

export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requirePermission(locals, 'la.refer');
	const context = await noticeRequestContext(locals.database, staff, params.pupilId);
	if (!context) error(404, 'Page not found');
	return { pupilId: params.pupilId, ...context };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'la.refer');
		const form = await request.formData();
		const values = {
			kind: String(form.get('kind') ?? ''),
			guardianId: String(form.get('guardianId') ?? ''),
			support: String(form.get('support') ?? ''),
			supportDetails: String(form.get('supportDetails') ?? '').slice(0, 2000),
			improvementWeeks: String(form.get('improvementWeeks') ?? '')
		};
		const result = await requestIntervention(locals.database, staff, { ...values, pupilId: params.pupilId });
		if (!result.ok) return fail(400, { messages: interventionProblemTexts(result.problem), values });
		if (result.status === 'refused') return { refused: result.findings.map(interventionFindingText), reference: result.reference };
		return { sent: result.reference };
	}
};
