import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isUuid, requirePermission } from '$lib/server/features/accounts';
import { letterForSchool } from '$lib/server/features/graduated-response';

/** One letter as the family got it, for staff (the pupil's record links here). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	if (!isUuid(params.id)) error(404, 'Page not found');
	const letter = await letterForSchool(locals.database.db, staff.schoolId, params.id);
	if (!letter) error(404, 'Page not found');
	return { letter: { id: letter.id, pupilId: letter.pupilId, content: letter.content, date: letter.createdAt.toISOString().slice(0, 10), delivery: letter.delivery, read: letter.readAt ? letter.readAt.toISOString().slice(0, 10) : null } };
};
