import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { reportFromVoicemail, voicemailReportPage } from '$lib/server/features/phone-line';

const PROBLEM_WORDS: Record<string, string> = {
	choose_child: 'Choose the child and the parent who called.',
	enter_date: 'Enter the day the child is away, like 2026-11-05.',
	choose_reason: 'Choose the reason the parent gave.'
};

/** The office turns a voicemail into an absence report: who, which day, why. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const staff = requireSchoolStaff(locals);
	const search = (url.searchParams.get('q') ?? '').slice(0, 60);
	const page = await voicemailReportPage(locals.database, staff, params.callSid, search);
	if (!page) error(404, 'This voicemail is not waiting on the board (it may already be handled).');
	return { ...page, search, today: new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' }) };
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requireSchoolStaff(locals);
		const form = await request.formData();
		const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, String(v).slice(0, 500)]));
		const result = await reportFromVoicemail(locals.database, staff, params.callSid, values);
		if (!result.ok) {
			if (result.problems.some((p) => p.code === 'not_found')) error(404, 'This voicemail is not waiting on the board (it may already be handled).');
			return fail(400, { errors: result.problems.map((p) => ({ field: p.field === 'form' ? 'choice' : p.field, message: p.message ?? PROBLEM_WORDS[p.code] ?? 'Check this answer.' })), values });
		}
		redirect(303, `/staff/today?reported=${encodeURIComponent(result.references.join(', '))}`);
	}
};
