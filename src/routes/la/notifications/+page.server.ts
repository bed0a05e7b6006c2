import type { PageServerLoad } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { laStatutoryNotifications } from '$lib/server/features/local-authority';
import { STATUTORY_REASON_LABELS } from '$lib/i18n-la';
import { longDate } from '$lib/domain/absence';

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const list = await laStatutoryNotifications(locals.database, staff);
	return {
		pupils: list.map((n) => ({
			id: n.pupilId,
			name: n.pupilName,
			yearGroup: n.yearGroup,
			school: n.schoolName,
			reasons: n.reasons.map((r) => STATUTORY_REASON_LABELS[r]),
			run: n.continuous && n.continuous.days >= 10 ? `${n.continuous.days} school days, ${longDate(n.continuous.from)} to ${longDate(n.continuous.to)}` : null,
			percent: n.possible ? `${((100 * n.attended) / n.possible).toFixed(1)}%` : '–'
		}))
	};
};
