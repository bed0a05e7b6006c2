/** An evidence file for the school's deciding staff (every view audited). */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { viewLeaveEvidence } from '$lib/server/features/leave';
import { evidenceResponse } from '$lib/server/features/leave';

export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
	const staff = requirePermission(locals, 'leave.decide');
	const file = await viewLeaveEvidence(locals.database, { kind: 'staff', id: staff.id, schoolId: staff.schoolId, role: staff.role }, params.id, getClientAddress());
	if (!file) error(404, 'Not found');
	return evidenceResponse(file);
};
