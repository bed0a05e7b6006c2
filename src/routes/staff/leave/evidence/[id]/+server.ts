/** An evidence file for the school's deciding staff (every view audited). */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { requireSchoolStaff } from '$lib/server/features/accounts/access';
import { LEAVE_DECIDERS, viewLeaveEvidence } from '$lib/server/features/leave/requests';
import { evidenceResponse } from '$lib/server/features/leave/evidence-response';

export const GET: RequestHandler = async ({ locals, params, getClientAddress }) => {
	const staff = requireSchoolStaff(locals, LEAVE_DECIDERS);
	const file = await viewLeaveEvidence(await getDatabase(), { kind: 'staff', id: staff.id, schoolId: staff.schoolId, role: staff.role }, params.id, getClientAddress());
	if (!file) error(404, 'Not found');
	return evidenceResponse(file);
};
