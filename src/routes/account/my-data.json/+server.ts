/** GET /account/my-data.json: the signed-in parent's own data, as a download. */
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { guardianDataExport, recordDataExport } from '$lib/server/features/accounts';

export const GET: RequestHandler = async ({ locals, getClientAddress }) => {
	const guardian = locals.guardian;
	if (!guardian) error(401, 'Please sign in');
	const handle = locals.database;
	const data = await guardianDataExport(handle, guardian.id);
	if (!data) error(404, 'Not found');
	await recordDataExport(handle.db, guardian.id, getClientAddress());
	return json(data, {
		headers: {
			'content-disposition': `attachment; filename="every-day-my-data-${data.exportedAt.slice(0, 10)}.json"`,
			'cache-control': 'private, no-store'
		}
	});
};
