import type { PageServerLoad } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { laReferralList } from '$lib/server/features/local-authority';
import { REFERRAL_STATUS_LABELS } from '$lib/i18n-la';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const list = await laReferralList(locals.database, staff);
	return {
		referrals: list.map((r) => ({ id: r.id, reference: r.reference, school: r.schoolName, pupil: r.pupilName, status: REFERRAL_STATUS_LABELS[r.status], sentAt: r.sentAt.toISOString().slice(0, 10) }))
	};
};
