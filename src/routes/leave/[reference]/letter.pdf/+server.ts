import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { RequestHandler } from './$types';
import { getDatabase } from '$lib/server/db';
import { schools } from '$lib/server/db/schema';
import { guardianLeaveRequest } from '$lib/server/leave';
import { leaveDecisionLetter } from '$lib/server/leave-letter';
import { getLocale } from '$lib/paraglide/runtime';

export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	const handle = await getDatabase();
	const request = await guardianLeaveRequest(handle, locals.guardian.id, params.reference);
	if (!request || !['approved', 'partly_approved', 'declined'].includes(request.status)) error(404, 'Not found');
	const [school] = await handle.db.select({ name: schools.name }).from(schools).where(eq(schools.id, request.schoolId));
	const pdf = await leaveDecisionLetter(request, school?.name ?? 'School', request.decidedAt ?? new Date(), getLocale());
	return new Response(Buffer.from(pdf), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="leave-${request.reference}.pdf"`, 'cache-control': 'private, no-store' }
	});
};
