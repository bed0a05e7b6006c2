import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { z } from 'zod';
import { decideLeave, schoolLeaveRequest, type LeaveDecision } from '$lib/server/features/leave';
import { leaveDecisionProblemText } from '$lib/i18n-leave';

const splitForm = z.object({
	setApart: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).min(1).max(60),
	otherDays: z.enum(['exceptional', 'declined']),
	note: z.string().max(2000)
});

export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requirePermission(locals, 'leave.decide');
	const request = await schoolLeaveRequest(locals.database, staff.schoolId, params.id);
	if (!request) error(404, 'Not found');
	return { request: { ...request, decidedAt: request.decidedAt?.toISOString() ?? null, createdAt: request.createdAt.toISOString(), earlier: request.earlier.map((e) => ({ reference: e.reference, dates: e.dates, statusLabel: e.statusLabel, typeLabel: e.typeLabel })) } };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'leave.decide');
		const form = await request.formData();
		const text = (n: string) => String(form.get(n) ?? '').slice(0, 2000);
		const kind = text('decision');
		let decision: LeaveDecision;
		if (kind === 'approve') decision = { kind: 'approve' };
		else if (kind === 'partial') decision = { kind: 'partial', from: text('from'), to: text('to'), note: text('note') };
		else if (kind === 'decline') decision = { kind: 'decline', note: text('note') };
		else if (kind === 'more_info') decision = { kind: 'more_info', question: text('question') };
		else if (kind === 'religious_split') {
			const parsed = splitForm.safeParse({ setApart: form.getAll('setApart').map(String), otherDays: text('otherDays'), note: text('note') });
			if (!parsed.success) return fail(400, { message: 'Choose the day set apart, and what happens to the other days' });
			decision = { kind: 'religious_split', ...parsed.data };
		}
		else return fail(400, { message: 'Choose a decision' });
		const result = await decideLeave(locals.database, { staffUserId: staff.id, schoolId: staff.schoolId, requestId: params.id, decision });
		return result.ok ? { done: 'Decision saved. The family has been told.' } : fail(400, { message: leaveDecisionProblemText(result.problem) });
	}
};
