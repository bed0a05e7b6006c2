import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission, staffCanSeePupil } from '$lib/server/features/accounts';
import { createPlan, planInputFromForm, planProblemMessages, planServiceChoices, plansForPupil } from '$lib/server/features/graduated-response';
import { BARRIERS } from '$lib/domain/signposting';
import { BARRIER_LABELS } from '$lib/domain/support-plans';
import { childDisplayName } from '$lib/domain/pupils';

/** "Start a plan of support": the plan's form for one pupil (an active plan opens instead). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	if (!(await staffCanSeePupil(locals.database.db, staff, params.pupilId))) error(404, 'Page not found');
	const active = (await plansForPupil(locals.database.db, params.pupilId)).find((p) => p.status === 'active');
	if (active) redirect(303, `/staff/graduated/plans/${active.id}`);
	const [pupil] = await locals.database.query<{ first_name: string; last_name: string; preferred_name: string | null }>(`select first_name, last_name, preferred_name from pupils where id = $1`, [params.pupilId]);
	return {
		pupil: { id: params.pupilId, name: childDisplayName({ firstName: pupil!.first_name, lastName: pupil!.last_name, preferredName: pupil!.preferred_name }) },
		services: await planServiceChoices(locals.database, staff.schoolId),
		barrierOptions: BARRIERS.map((b) => ({ value: b, label: BARRIER_LABELS[b] }))
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const input = planInputFromForm(await request.formData());
		const result = await createPlan(locals.database, staff, params.pupilId, input);
		if (result.ok) redirect(303, `/staff/graduated/plans/${result.id}?created=1`);
		if ('activePlan' in result) redirect(303, `/staff/graduated/plans/${result.activePlan}`);
		if ('problems' in result) return fail(400, { errors: planProblemMessages(result.problems), values: input });
		error(404, 'Page not found');
	}
};
