import type { PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { schoolLeaveQueue } from '$lib/server/features/leave';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requirePermission(locals, 'leave.decide');
	const queue = await schoolLeaveQueue(locals.database, staff.schoolId);
	return {
		requests: queue.map((r) => ({ id: r.id, reference: r.reference, children: r.children.map((c) => c.name).join(', '), dates: r.dates, schoolDays: r.schoolDays, typeLabel: r.typeLabel, statusLabel: r.statusLabel, waiting: r.status === 'submitted' || r.status === 'more_information' }))
	};
};
