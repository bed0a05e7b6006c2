import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { childrenOfGuardian } from '$lib/server/features/attendance';
import { checkLeave, submitLeave, type LeaveAnswers } from '$lib/server/features/leave';
import { signpostsFor } from '$lib/server/features/support';
import { leaveTypesForAnyOf } from '$lib/domain/leave';
import { leaveTypeLabel, localiseLeaveErrors, localiseLeavePoints } from '$lib/i18n-leave';
import { childDisplayName } from '$lib/domain/pupils';
import { signInThenBackTo } from '$lib/domain/return-to';

function answersFrom(form: FormData): LeaveAnswers {
	const text = (n: string, max: number) => String(form.get(n) ?? '').slice(0, max);
	return {
		pupilIds: form.getAll('pupilId').map(String).slice(0, 10),
		type: text('type', 40),
		from: text('from', 20).trim(),
		to: text('to', 20).trim(),
		reason: text('reason', 2100)
	};
}

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.guardian) redirect(303, signInThenBackTo(url));
	const children = await childrenOfGuardian(locals.database.db, locals.guardian.id);
	return {
		children: children.map((c) => ({ pupilId: c.pupilId, name: childDisplayName(c), schoolName: c.schoolName })),
		// Only what applies to their children: study leave is for Year 11, so not offered to a primary family.
		types: leaveTypesForAnyOf(children.map((c) => c.yearGroup)).map((t) => ({ value: t, label: leaveTypeLabel(t) }))
	};
};

export const actions: Actions = {
	/** The rules for these dates, before anything is sent. */
	check: async ({ locals, request }) => {
		if (!locals.guardian) redirect(303, '/sign-in');
		const values = answersFrom(await request.formData());
		const result = await checkLeave(locals.database, locals.guardian.id, values);
		if (!result.ok) return fail(400, { values, errors: localiseLeaveErrors(result.errors), points: localiseLeavePoints(result.feedback?.points ?? []) });
		// A bereavement or family problem: offer support alongside the rules (docs/domain-rules.md §8).
		const support =
			values.type === 'exceptional' || values.type === 'other'
				? (await signpostsFor(locals.database, { text: values.reason, schoolIds: [result.schoolId], guardianId: locals.guardian.id })).services.filter((s) => s.category === 'general' || s.category === 'mental_health')
				: [];
		return { values, checked: true, points: localiseLeavePoints(result.feedback.points), support };
	},
	submit: async ({ locals, request }) => {
		if (!locals.guardian) redirect(303, '/sign-in');
		const values = answersFrom(await request.formData());
		const result = await submitLeave(locals.database, locals.guardian.id, values);
		if (!result.ok) return fail('retryAfterSeconds' in result ? 429 : 400, { values, errors: localiseLeaveErrors(result.errors), points: localiseLeavePoints(result.feedback?.points ?? []) });
		redirect(303, `/leave/${result.reference}?sent=1`);
	}
};
