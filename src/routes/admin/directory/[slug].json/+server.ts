/** GET /admin/directory/<slug>.json: the directory as the JSON file the import takes (LA admins only). */
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { exportDirectory } from '$lib/server/features/support';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireStaff(locals, rolesWith('directory.manage'));
	const file = await exportDirectory(locals.database, params.slug);
	if (!file) error(404, 'No such directory');
	return json(file, { headers: { 'content-disposition': `attachment; filename="support-directory-${file.directory.slug}.json"` } });
};
