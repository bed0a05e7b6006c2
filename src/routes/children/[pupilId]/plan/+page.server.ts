import { signInThenBackTo } from '$lib/domain/return-to';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { linkedChild } from '$lib/server/features/attendance';
import { addParentComment, markFamilyActionDone, planComments, planForGuardian, planServices } from '$lib/server/features/graduated-response';
import { splitBarriers } from '$lib/domain/support-plans';
import { formatLongDate } from '$lib/i18n';
import { DEFAULT_TIME_ZONE, localDateOf } from '$lib/domain/calendar';
import { m } from '$lib/paraglide/messages';
import type { Barrier } from '$lib/domain/signposting';

const BARRIER_WORDS: Record<Barrier, (inputs: Record<string, never>, opts: { locale: App.Locals['locale'] }) => string> = {
	emotionally_based_school_avoidance: m.barrier_emotionally_based_school_avoidance,
	unmet_sen: m.barrier_unmet_sen,
	holiday_or_extended_leave: m.barrier_holiday_or_extended_leave,
	mental_health_and_anxiety: m.barrier_mental_health_and_anxiety,
	long_term_medical_needs: m.barrier_long_term_medical_needs,
	change_of_placement_needed: m.barrier_change_of_placement_needed,
	illness: m.barrier_illness,
	transport: m.barrier_transport,
	exploitation: m.barrier_exploitation
};

/** The family's view of their child's plan of support: what each of us will do, their ticks and comment. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	const child = await linkedChild(locals.database.db, guardian.id, params.pupilId);
	if (!child) error(404, 'Page not found');
	const plan = await planForGuardian(locals.database.db, guardian.id, params.pupilId);
	const firstName = child.preferredName?.trim() || child.firstName;
	if (!plan) return { pupilId: params.pupilId, firstName, plan: null };
	const locale = locals.locale;
	const [services, comments] = await Promise.all([planServices(locals.database, plan), planComments(locals.database.db, [plan.id])]);
	const { fixed, other } = splitBarriers(plan.barriers);
	return {
		pupilId: params.pupilId,
		firstName,
		plan: {
			id: plan.id,
			active: plan.status === 'active',
			status: plan.status,
			// The school's own words stay as the school wrote them (English).
			barriers: [...fixed.map((b) => ({ text: BARRIER_WORDS[b]({}, { locale }), school: false })), ...other.map((text) => ({ text, school: true }))],
			childView: plan.childView,
			actions: plan.actions.map((a) => {
				const s = a.service ? services.get(a.service) : undefined;
				return {
					id: a.id,
					who: a.who,
					text: a.text,
					doneOn: a.doneAt ? formatLongDate(a.doneAt.slice(0, 10), locale) : null,
					service: a.service ? { name: a.service, link: s?.link ?? null, contact: s?.contact ?? null, contactHref: s?.contactHref ?? null } : null
				};
			}),
			reviewOn: formatLongDate(plan.reviewOn, locale),
			reviewedOn: plan.reviewedAt ? formatLongDate(plan.reviewedAt.toISOString().slice(0, 10), locale) : null,
			// The family's own words, each with the day it was sent, oldest first.
			comments: (comments.get(plan.id) ?? []).map((c) => ({ on: formatLongDate(localDateOf(c.at, DEFAULT_TIME_ZONE), locale), text: c.text }))
		},
		commented: url.searchParams.get('commented') === '1'
	};
};

export const actions: Actions = {
	done: async ({ locals, params, request, url }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, signInThenBackTo(url));
		const form = await request.formData();
		const plan = await planForGuardian(locals.database.db, guardian.id, params.pupilId);
		if (!plan) error(404, 'Page not found');
		const result = await markFamilyActionDone(locals.database.db, guardian.id, plan.id, String(form.get('action') ?? '').slice(0, 64), form.get('done') !== '0');
		if (!result.ok && result.code !== 'closed') error(404, 'Page not found');
		redirect(303, `/children/${params.pupilId}/plan#family-heading`);
	},
	comment: async ({ locals, params, request, url }) => {
		const guardian = locals.guardian;
		if (!guardian) redirect(303, signInThenBackTo(url));
		const form = await request.formData();
		const text = String(form.get('comment') ?? '').slice(0, 4000);
		const plan = await planForGuardian(locals.database.db, guardian.id, params.pupilId);
		if (!plan) error(404, 'Page not found');
		const result = await addParentComment(locals.database.db, guardian.id, plan.id, text);
		if (!result.ok && result.code === 'invalid') return fail(400, { commentError: m.graduated_plan_comment_error({}, { locale: locals.locale }), comment: text });
		if (!result.ok && result.code === 'not_found') error(404, 'Page not found');
		redirect(303, `/children/${params.pupilId}/plan?commented=1#comment-heading`);
	}
};
