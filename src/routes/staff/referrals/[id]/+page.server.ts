import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { can, requirePermission, requireSchoolStaff } from '$lib/server/features/accounts';
import { answerReferralQuestion, schoolReferral } from '$lib/server/features/local-authority';
import { REFERRAL_STATUS_LABELS, referralProblemText } from '$lib/i18n-la';

/** One of the school's referrals: its status, the conversation with the LA, and the evidence sent. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const staff = requireSchoolStaff(locals);
	const r = await schoolReferral(locals.database, staff, params.id);
	if (!r) error(404, 'Page not found');
	return {
		sent: url.searchParams.has('sent'),
		canAnswer: can(staff, 'la.refer') && r.status === 'question',
		referral: {
			reference: r.reference,
			pupil: r.pupilName,
			pupilId: r.pupilId,
			statusLabel: REFERRAL_STATUS_LABELS[r.status],
			summary: r.summary,
			sentAt: r.sentAt.toISOString().slice(0, 10),
			notes: r.notes.map((n) => ({ kind: n.kind, body: n.body, at: n.createdAt.toISOString().slice(0, 16).replace('T', ' ') })),
			evidence: r.evidence
		}
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'la.refer');
		const form = await request.formData();
		const result = await answerReferralQuestion(locals.database, staff, params.id, { body: String(form.get('body') ?? '') });
		if (!result.ok) return fail(400, { message: referralProblemText(result.problem) });
		return { done: 'Answer sent. The referral is back with the local authority.' };
	}
};
