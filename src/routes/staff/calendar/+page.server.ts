import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { addCalendarEntry, calendarOverview, importCalendarFile, removeCalendarEntry, schoolToday } from '$lib/server/features/schools';
import { calendarProblemMessages, calendarProblemText } from '$lib/i18n-staff-problems';

const MAX_CALENDAR_BYTES = 512 * 1024;

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals);
	const handle = locals.database;
	const today = await schoolToday(handle.db, staff.schoolId);
	return { years: await calendarOverview(handle, staff.schoolId, today) };
};

export const actions: Actions = {
	add: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const values = {
			kind: String(form.get('kind') ?? ''),
			name: String(form.get('name') ?? '').slice(0, 200),
			startsOn: String(form.get('startsOn') ?? '').slice(0, 20),
			endsOn: String(form.get('endsOn') ?? '').slice(0, 20),
			sessions: String(form.get('sessions') ?? 'BOTH'),
			yearGroups: form.getAll('yearGroups').map(String)
		};
		const result = await addCalendarEntry(locals.database, staff, staff.schoolId, values as never);
		if (!result.ok) return fail(400, { addErrors: result.problems.map(calendarProblemText), field: result.field ?? 'startsOn', values });
		return { added: values.kind };
	},
	import: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { importErrors: [{ line: 0, message: 'Choose a CSV or iCalendar (.ics) file' }] });
		if (file.size > MAX_CALENDAR_BYTES) return fail(400, { importErrors: [{ line: 0, message: 'The file is larger than 512 KB' }] });
		const result = await importCalendarFile(locals.database, staff, staff.schoolId, { name: file.name, text: await file.text() });
		if (!result.ok) return fail(422, { importErrors: calendarProblemMessages(result.problems.slice(0, 200)) });
		return { imported: result.summary };
	},
	remove: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const kind = String(form.get('kind') ?? '');
		if (kind !== 'term' && kind !== 'closure' && kind !== 'protected') return fail(400, {});
		await removeCalendarEntry(locals.database, staff, staff.schoolId, kind, String(form.get('id') ?? ''));
		return { removed: true };
	}
};
