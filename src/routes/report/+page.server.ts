import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { confirmationPath, reportFormContext, submitReportForm, valuesFromFormData } from '$lib/server/features/absence';
import { childDisplayName } from '$lib/domain/pupils';
import { MAX_DETAILS_LENGTH } from '$lib/domain/absence';
import { reportProblemMessages } from '$lib/i18n-problems';
import { signInThenBackTo } from '$lib/domain/return-to';

export const load: PageServerLoad = async ({ locals, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	const { children, schools, today } = await reportFormContext(locals.database, guardian.id);
	return {
		children: children.map((c) => ({
			pupilId: c.pupilId,
			name: childDisplayName(c),
			schoolName: c.schoolName
		})),
		schools,
		today,
		idempotencyKey: randomUUID(),
		maxDetails: MAX_DETAILS_LENGTH
	};
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, '/sign-in');
		const values = valuesFromFormData(await request.formData());
		const result = await submitReportForm(locals.database, guardian.id, values);
		if (!result.ok) return fail(result.retryAfterSeconds ? 429 : 400, { values, errors: reportProblemMessages(result.errors) });
		redirect(303, confirmationPath(result.reports));
	}
};
