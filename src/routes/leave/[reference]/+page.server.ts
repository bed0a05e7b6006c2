import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { addLeaveEvidence, guardianLeaveRequest, parentLeaveAction } from '$lib/server/features/leave';
import { MAX_EVIDENCE_BYTES } from '$lib/server/features/leave';
import { leaveChangeProblemText, leaveDatesLabel, leaveStatusLabel, leaveTypeLabel } from '$lib/i18n-leave';
import { m } from '$lib/paraglide/messages';
import type { LeaveChangeProblem } from '$lib/domain/leave-problems';
import { signInThenBackTo } from '$lib/domain/return-to';

/** The field the problem is about, and its words in the family's language. */
const problemOn = (field: 'answer' | 'withdraw' | 'file', problem: LeaveChangeProblem) => ({ field, message: leaveChangeProblemText(problem) });

async function own(locals: App.Locals, reference: string, signIn = '/sign-in') {
	if (!locals.guardian) redirect(303, signIn);
	const request = await guardianLeaveRequest(locals.database, locals.guardian.id, reference);
	if (!request) error(404, leaveChangeProblemText({ code: 'request_not_found' }));
	return { guardianId: locals.guardian.id, request };
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { request } = await own(locals, params.reference, signInThenBackTo(url));
	const { schoolId: _s, id: _i, ...view } = request;
	// Status, type and dates in the parent's language (the service's labels are the staff's English).
	const translated = {
		statusLabel: leaveStatusLabel(view.status),
		typeLabel: leaveTypeLabel(view.type),
		dates: leaveDatesLabel(view.startsOn, view.endsOn),
		approvedDates: view.approvedFrom && view.approvedTo ? leaveDatesLabel(view.approvedFrom, view.approvedTo) : null
	};
	return { request: { ...view, ...translated }, sent: url.searchParams.has('sent') };
};

export const actions: Actions = {
	answer: async ({ locals, params, request }) => {
		const { guardianId } = await own(locals, params.reference);
		const answer = String((await request.formData()).get('answer') ?? '').slice(0, 2100);
		const r = await parentLeaveAction(locals.database, { guardianId, reference: params.reference, action: 'answer', answer });
		return r.ok ? { done: m.leave_done_answer_sent() } : fail(400, problemOn('answer', r.problem));
	},
	/** Two steps, so one stray tap does not withdraw the request: ask, then withdraw. */
	withdraw: async ({ locals, params, request }) => {
		const { guardianId } = await own(locals, params.reference);
		if ((await request.formData()).get('confirm') !== 'yes') return { confirmWithdraw: true };
		const r = await parentLeaveAction(locals.database, { guardianId, reference: params.reference, action: 'withdraw' });
		return r.ok ? { done: m.leave_done_withdrawn() } : fail(409, problemOn('withdraw', r.problem));
	},
	evidence: async ({ locals, params, request }) => {
		const { guardianId } = await own(locals, params.reference);
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, problemOn('file', { code: 'evidence_missing' }));
		if (file.size > MAX_EVIDENCE_BYTES) return fail(400, problemOn('file', { code: 'evidence_too_large', maxMegabytes: MAX_EVIDENCE_BYTES / 1024 / 1024 }));
		const r = await addLeaveEvidence(locals.database, { guardianId, reference: params.reference, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
		return r.ok ? { done: m.leave_done_evidence_added() } : fail(400, problemOn('file', r.problem));
	}
};
