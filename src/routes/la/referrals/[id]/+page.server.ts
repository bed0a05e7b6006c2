import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { actOnReferral, laReferral, type ReferralAction } from '$lib/server/features/local-authority';
import { REFERRAL_STATUS_LABELS, referralProblemText } from '$lib/i18n-la';

export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const r = await laReferral(locals.database, staff, params.id);
	if (!r) error(404, 'Page not found');
	return {
		referral: {
			reference: r.reference,
			school: r.schoolName,
			pupil: r.pupilName,
			status: r.status,
			statusLabel: REFERRAL_STATUS_LABELS[r.status],
			summary: r.summary,
			sentAt: r.sentAt.toISOString().slice(0, 10),
			notes: r.notes.map((n) => ({ kind: n.kind, body: n.body, visibleToSchool: n.visibleToSchool, at: n.createdAt.toISOString().slice(0, 16).replace('T', ' ') })),
			evidence: r.evidence
		}
	};
};

const ACTIONS: readonly ReferralAction[] = ['accept', 'question', 'return', 'case_note'];

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requireStaff(locals, rolesWith('la.attendance'));
		const form = await request.formData();
		const action = String(form.get('action') ?? '') as ReferralAction;
		if (!ACTIONS.includes(action)) return fail(400, { message: 'Choose what to do' });
		const result = await actOnReferral(locals.database, staff, params.id, { action, body: String(form.get('body') ?? '') });
		if (!result.ok) return fail(400, { message: referralProblemText(result.problem) });
		return { done: action === 'case_note' ? 'Case note saved.' : `Saved. The school can see the referral is now: ${REFERRAL_STATUS_LABELS[result.status].toLowerCase()}.` };
	}
};
