import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { schoolName, schoolTimeZone } from '$lib/server/features/schools';
import { guardianLeaveRequest, leaveDecisionLetter } from '$lib/server/features/leave';
import { getLocale } from '$lib/paraglide/runtime';

export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	const handle = locals.database;
	const request = await guardianLeaveRequest(handle, locals.guardian.id, params.reference);
	if (!request || !['approved', 'partly_approved', 'declined'].includes(request.status)) error(404, 'Not found');
	const pdf = await leaveDecisionLetter(request, (await schoolName(handle.db, request.schoolId)) ?? 'School', request.decidedAt ?? new Date(), getLocale(), await schoolTimeZone(handle.db, request.schoolId));
	return new Response(Buffer.from(pdf), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="leave-${request.reference}.pdf"`, 'cache-control': 'private, no-store' }
	});
};
