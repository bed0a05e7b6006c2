import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission, staffCanSeePupil } from '$lib/server/features/accounts';
import { staffPupilFigures } from '$lib/server/features/attendance';
import { sendReferral } from '$lib/server/features/local-authority';
import { childDisplayName } from '$lib/domain/pupils';
import { referralProblemText } from '$lib/i18n-la';

/** One question: why the school refers now. The evidence is assembled when it is sent. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requirePermission(locals, 'la.refer');
	if (!(await staffCanSeePupil(locals.database.db, staff, params.pupilId))) error(404, 'Page not found');
	const figures = await staffPupilFigures(locals.database, staff.schoolId, params.pupilId, staff.id);
	if (!figures) error(404, 'Page not found');
	return { pupil: { id: figures.pupil.id, name: childDisplayName(figures.pupil) } };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'la.refer');
		const form = await request.formData();
		const summary = String(form.get('summary') ?? '');
		const result = await sendReferral(locals.database, staff, { pupilId: params.pupilId, summary });
		if (!result.ok) return fail(400, { message: referralProblemText(result.problem), summary });
		redirect(303, `/staff/referrals/${result.id}?sent=1`);
	}
};
