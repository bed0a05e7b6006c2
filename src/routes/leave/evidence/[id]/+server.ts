/** A family's own evidence file (every view audited). */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { viewLeaveEvidence } from '$lib/server/features/leave/requests';
import { evidenceResponse } from '$lib/server/features/leave/evidence-response';

export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	const file = await viewLeaveEvidence(await getDatabase(), { kind: 'guardian', id: locals.guardian.id }, params.id, getClientAddress());
	if (!file) error(404, 'Not found');
	return evidenceResponse(file);
};
