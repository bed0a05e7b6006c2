import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireStaff, rolesWith, STAFF_ROLE_LABELS } from '$lib/server/features/accounts';
import { importDirectory, listDirectories } from '$lib/server/features/support';
import { directoryProblemText } from '$lib/i18n-staff-problems';

/** Largest directory file accepted (the Portsmouth one is about 10 KB). */
const MAX_FILE_BYTES = 1024 * 1024;

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, rolesWith('directory.manage'));
	return {
		staffUser: { displayName: staff.displayName, roleLabel: STAFF_ROLE_LABELS[staff.role], schoolName: null },
		directories: await listDirectories(locals.database)
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const staff = requireStaff(locals, rolesWith('directory.manage'));
		const form = await request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { errors: ['Choose a directory file (.json) to upload'] });
		if (file.size > MAX_FILE_BYTES) return fail(400, { errors: ['The file must be smaller than 1 MB'] });
		let json: unknown;
		try {
			json = JSON.parse(await file.text());
		} catch {
			return fail(400, { errors: ['The file is not valid JSON. Export the directory to see the format.'] });
		}
		const result = await importDirectory(locals.database, json, { type: 'staff', id: staff.id });
		if (!result.ok) return fail(400, { errors: result.errors.map(directoryProblemText) });
		return { imported: `Loaded ${result.services} services into the “${result.slug}” directory.` };
	}
};
