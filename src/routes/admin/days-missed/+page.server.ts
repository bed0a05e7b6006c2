import type { PageServerLoad } from './$types';
// The local authority's admin and its attendance officers both read these results (figures, no names).
import { requireStaff, rolesWith, STAFF_ROLE_LABELS } from '$lib/server/features/accounts';
import { daysMissedResultsForAllSchools } from '$lib/server/features/campaigns';
import { MIN_PER_GROUP } from '$lib/domain/estimate';

/** The local authority: every school's days-missed results (figures per family group, no names). */
export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, [...rolesWith('directory.manage'), ...rolesWith('la.attendance')]);
	const schools = await daysMissedResultsForAllSchools(locals.database);
	return {
		staffUser: { displayName: staff.displayName, roleLabel: STAFF_ROLE_LABELS[staff.role], schoolName: null },
		schools: schools.map((s) => ({ schoolId: s.schoolId, schoolName: s.schoolName, runs: s.runs.map(({ households: _h, ...r }) => r) })),
		minPerGroup: MIN_PER_GROUP
	};
};
