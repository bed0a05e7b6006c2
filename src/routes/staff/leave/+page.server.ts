import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/platform/db';
import { requireSchoolStaff } from '$lib/server/features/accounts/access';
import { LEAVE_DECIDERS, schoolLeaveQueue } from '$lib/server/features/leave/requests';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals, LEAVE_DECIDERS);
	const queue = await schoolLeaveQueue(await getDatabase(), staff.schoolId);
	return {
		requests: queue.map((r) => ({ id: r.id, reference: r.reference, children: r.children.map((c) => c.name).join(', '), dates: r.dates, schoolDays: r.schoolDays, typeLabel: r.typeLabel, statusLabel: r.statusLabel, waiting: r.status === 'submitted' || r.status === 'more_information' }))
	};
};
