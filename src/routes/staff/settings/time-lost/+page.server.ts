import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { setTimeLostPercents, timeLostPercents } from '$lib/server/features/schools';
import { timeLostTable } from '$lib/domain/attendance';
import { timeLostProblemText } from '$lib/i18n-staff-problems';

const ROLES = ['attendance_lead', 'headteacher', 'school_admin'] as const;
const formSchema = z.object({ percents: z.string().max(60) });

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals, ROLES);
	const { percents, own } = await timeLostPercents(locals.database, staff.schoolId);
	return { percents: percents.join(', '), own, preview: timeLostTable(190, percents).map((r) => ({ percent: r.percent, text: r.text })) };
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals, ROLES);
		const parsed = formSchema.safeParse({ percents: String((await request.formData()).get('percents') ?? '') });
		if (!parsed.success) return fail(400, { message: timeLostProblemText({ code: 'time_lost_count' }), percents: '' });
		const result = await setTimeLostPercents(locals.database, { schoolId: staff.schoolId, staffUserId: staff.id, text: parsed.data.percents });
		if (!result.ok) return fail(400, { message: timeLostProblemText(result.problem), percents: parsed.data.percents });
		return { saved: true };
	}
};
