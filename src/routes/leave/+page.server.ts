import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { guardianLeaveRequests } from '$lib/server/features/leave';
import { leaveDatesLabel, leaveStatusLabel } from '$lib/i18n-leave';
import { signInThenBackTo } from '$lib/domain/return-to';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.guardian) redirect(303, signInThenBackTo(url));
	const requests = await guardianLeaveRequests(locals.database, locals.guardian.id);
	return { requests: requests.map((r) => ({ reference: r.reference, dates: leaveDatesLabel(r.startsOn, r.endsOn), statusLabel: leaveStatusLabel(r.status), children: r.children.map((c) => c.name).join(', ') })) };
};
