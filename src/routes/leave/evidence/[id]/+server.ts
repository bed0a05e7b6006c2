/** A family's own evidence file (every view audited). */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { viewLeaveEvidence } from '$lib/server/features/leave';
import { evidenceResponse } from '$lib/server/features/leave';

export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	const file = await viewLeaveEvidence(locals.database, { kind: 'guardian', id: locals.guardian.id }, params.id, getClientAddress());
	if (!file) error(404, 'Not found');
	return evidenceResponse(file);
};
