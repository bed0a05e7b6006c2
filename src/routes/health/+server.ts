import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db';

/** For load balancers: 200 when the database answers, 503 otherwise. No personal data. */
export const GET: RequestHandler = async () => {
	try {
		const handle = await getDatabase();
		await handle.query('select 1');
		return json({ status: 'ok', database: handle.engine });
	} catch {
		return json({ status: 'unavailable' }, { status: 503 });
	}
};
