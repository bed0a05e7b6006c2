import type { PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db';
import { requireSchoolStaff } from '$lib/server/auth/access';
import { LEAVE_DECIDERS, schoolLeaveQueue } from '$lib/server/leave';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals, LEAVE_DECIDERS);
	const queue = await schoolLeaveQueue(await getDatabase(), staff.schoolId);
	return {
		requests: queue.map((r) => ({ id: r.id, reference: r.reference, children: r.children.map((c) => c.name).join(', '), dates: r.dates, schoolDays: r.schoolDays, typeLabel: r.typeLabel, statusLabel: r.statusLabel, waiting: r.status === 'submitted' || r.status === 'more_information' }))
	};
};
