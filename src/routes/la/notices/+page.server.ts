import type { PageServerLoad } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { laInterventionList } from '$lib/server/features/local-authority';
import { INTERVENTION_KIND_LABELS, INTERVENTION_STATUS_LABELS } from '$lib/i18n-la';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const list = await laInterventionList(locals.database, staff);
	return {
		notices: list.map((n) => ({
			id: n.id,
			reference: n.reference,
			kind: INTERVENTION_KIND_LABELS[n.kind],
			school: n.schoolName,
			pupil: n.pupilName,
			parent: n.guardianName,
			status: INTERVENTION_STATUS_LABELS[n.status],
			requestedOn: n.requestedAt.toISOString().slice(0, 10)
		}))
	};
};
