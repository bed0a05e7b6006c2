import type { PageServerLoad } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { schoolInterventions, schoolReferrals } from '$lib/server/features/local-authority';
import { INTERVENTION_KIND_LABELS, INTERVENTION_STATUS_LABELS, REFERRAL_STATUS_LABELS } from '$lib/i18n-la';

/** The school's own referrals and notice requests, and where each stands. */
export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals);
	const [referrals, notices] = await Promise.all([schoolReferrals(locals.database, staff), schoolInterventions(locals.database, staff)]);
	return {
		referrals: referrals.map((r) => ({ id: r.id, reference: r.reference, pupil: r.pupilName, status: REFERRAL_STATUS_LABELS[r.status], sentAt: r.sentAt.toISOString().slice(0, 10) })),
		notices: notices.map((n) => ({ id: n.id, reference: n.reference, kind: INTERVENTION_KIND_LABELS[n.kind], pupil: n.pupilName, parent: n.guardianName, status: INTERVENTION_STATUS_LABELS[n.status] }))
	};
};
