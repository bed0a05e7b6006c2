import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { guardianLeaveRequests } from '$lib/server/features/leave/requests';
import { leaveDatesLabel, leaveStatusLabel } from '$lib/i18n-leave';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.guardian) redirect(303, '/sign-in');
	const requests = await guardianLeaveRequests(await getDatabase(), locals.guardian.id);
	return { requests: requests.map((r) => ({ reference: r.reference, dates: leaveDatesLabel(r.startsOn, r.endsOn), statusLabel: leaveStatusLabel(r.status), children: r.children.map((c) => c.name).join(', ') })) };
};
