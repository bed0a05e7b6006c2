import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db';
import { guardianLeaveRequests } from '$lib/server/leave';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.guardian) redirect(303, '/sign-in');
	const requests = await guardianLeaveRequests(await getDatabase(), locals.guardian.id);
	return { requests: requests.map((r) => ({ reference: r.reference, dates: r.dates, statusLabel: r.statusLabel, children: r.children.map((c) => c.name).join(', ') })) };
};
