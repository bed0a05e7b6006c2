import { randomUUID } from 'node:crypto';
import { fail, redirect } from '@sveltejs/kit';
import { inArray } from 'drizzle-orm';
import type { Actions, PageServerLoad } from './$types';
import { schools } from '$lib/server/platform/db/schema';
import { childrenOfGuardian } from '$lib/server/features/attendance';
import { submitReportForm, valuesFromFormData } from '$lib/server/features/absence';
import { MAX_DETAILS_LENGTH } from '$lib/domain/absence';
import { isSchoolDay, localDateOf, zonedInstant } from '$lib/domain/calendar';
import { loadSchoolCalendar } from '$lib/server/platform/school-calendar';
import { localiseFieldErrors } from '$lib/field-errors';

const SCHOOL_TIME_ZONE = 'Europe/London';

/** '09:15:00' → '9:15'. */
function clockTime(t: string): string {
	const [h = '0', m = '00'] = t.split(':');
	return `${Number(h)}:${m}`;
}

export const load: PageServerLoad = async ({ locals }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, '/sign-in');
	const handle = locals.database;
	const children = await childrenOfGuardian(handle.db, guardian.id);
	const schoolIds = [...new Set(children.map((c) => c.schoolId))];
	const schoolRows =
		schoolIds.length === 0
			? []
			: await handle.db
					.select({ id: schools.id, name: schools.name, amCloses: schools.amRegisterCloses, timeZone: schools.timeZone })
					.from(schools)
					.where(inArray(schools.id, schoolIds));
	const now = new Date();
	const schoolInfo = await Promise.all(
		schoolRows.map(async (s) => {
			// The countdown: only on a school day, before the morning register closes.
			const cal = await loadSchoolCalendar(handle.db, s.id);
			const today = localDateOf(now, s.timeZone);
			const closesAt = isSchoolDay(cal, today) ? zonedInstant(s.timeZone, today, s.amCloses) : null;
			return {
				name: s.name,
				closes: clockTime(s.amCloses),
				closesAt: closesAt && closesAt > now ? closesAt.toISOString() : null
			};
		})
	);
	return {
		children: children.map((c) => ({
			pupilId: c.pupilId,
			name: `${c.preferredName ?? c.firstName} ${c.lastName}`,
			schoolName: c.schoolName
		})),
		schools: schoolInfo,
		today: localDateOf(new Date(), SCHOOL_TIME_ZONE),
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
		if (!result.ok) return fail(result.retryAfterSeconds ? 429 : 400, { values, errors: localiseFieldErrors(result.errors) });
		redirect(303, `/report/done?refs=${result.reports.map((r) => r.reference).join(',')}`);
	}
};
