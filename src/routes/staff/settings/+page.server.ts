import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { firstDayContactTime, setFirstDayContactTime } from '$lib/server/features/school-day';

/** Who may change how the school chases unexplained absences. */

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requirePermission(locals, 'settings.manage');
	return { firstDayContactAt: await firstDayContactTime(locals.database, staff.schoolId) };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'settings.manage');
		const form = await request.formData();
		const automatic = form.get('automatic') === 'yes';
		const time = String(form.get('time') ?? '').trim().slice(0, 10);
		const result = await setFirstDayContactTime(locals.database, {
			schoolId: staff.schoolId,
			staffUserId: staff.id,
			time: automatic ? time : null
		});
		if (!result.ok) return fail(400, { message: result.message, time, automatic });
		return { saved: true };
	}
};
