import { error, fail, redirect } from '@sveltejs/kit';
import { reportProblemMessages, reportProblemText } from '$lib/i18n-problems';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';
import {
	amendAbsenceReport,
	answerCheckIn,
	guardianReportByReference,
	withdrawAbsenceReport
} from '$lib/server/features/absence';
import { describeReport } from '$lib/server/features/absence';
import { MAX_DETAILS_LENGTH, isAbsenceReason, normaliseReference } from '$lib/domain/absence';
import { signInThenBackTo } from '$lib/domain/return-to';

/** The guardian's own report by reference; anyone else's is "not found". */
async function ownReport(locals: App.Locals, reference: string, signIn = '/sign-in') {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signIn);
	const ref = normaliseReference(reference);
	const report = ref ? await guardianReportByReference(locals.database, guardian.id, ref) : null;
	if (!report) error(404, m.rr_not_found());
	return { guardian, report };
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const { report } = await ownReport(locals, params.reference, signInThenBackTo(url));
	return { report: describeReport(report), maxDetails: MAX_DETAILS_LENGTH };
};

export const actions: Actions = {
	stillOff: async ({ locals, params }) => {
		const { guardian, report } = await ownReport(locals, params.reference);
		const result = await answerCheckIn(locals.database, { guardianId: guardian.id, reportId: report.reportId, answer: 'still_off' });
		if (!result.ok) return fail(409, { message: reportProblemText(result.problem) });
		return { done: m.rr_done_still_off({ school: report.schoolName, name: report.childName }) };
	},
	back: async ({ locals, params }) => {
		const { guardian, report } = await ownReport(locals, params.reference);
		const result = await answerCheckIn(locals.database, { guardianId: guardian.id, reportId: report.reportId, answer: 'back' });
		if (!result.ok) return fail(409, { message: reportProblemText(result.problem) });
		return { done: m.rr_done_back({ school: report.schoolName, name: report.childName }) };
	},
	/** Two steps, so one stray tap does not tell the school a child is coming in: ask, then withdraw. */
	withdraw: async ({ locals, params, request }) => {
		const { guardian, report } = await ownReport(locals, params.reference);
		if ((await request.formData()).get('confirm') !== 'yes') return { confirmWithdraw: true };
		const result = await withdrawAbsenceReport(locals.database, { guardianId: guardian.id, reportId: report.reportId });
		if (!result.ok) return fail(409, { message: reportProblemText(result.problem) });
		return { done: m.rr_done_withdrawn({ school: report.schoolName, name: report.childName }) };
	},
	change: async ({ locals, params, request }) => {
		const { guardian, report } = await ownReport(locals, params.reference);
		const form = await request.formData();
		const reason = String(form.get('reason') ?? '');
		const details = String(form.get('details') ?? '').slice(0, 2000);
		if (!isAbsenceReason(reason)) {
			return fail(400, { errors: reportProblemMessages([{ field: 'reason', code: 'choose_why' }]), details });
		}
		const result = await amendAbsenceReport(locals.database, {
			guardianId: guardian.id,
			reportId: report.reportId,
			reason,
			details
		});
		if (!result.ok) {
			if (result.error === 'invalid') {
				return fail(400, { errors: reportProblemMessages(result.errors.map((e) => ({ ...e, field: e.field === 'details' ? 'details' : 'reason' }))), details });
			}
			return fail(409, { message: reportProblemText(result.problem) });
		}
		return { done: m.rr_done_changed() };
	}
};
