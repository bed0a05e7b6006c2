import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { confirmDaysMissedRun, daysMissedRunView, discardDaysMissedRun } from '$lib/server/features/campaigns';
import { isUuid } from '$lib/domain/ids';
import { MESSAGE_WORDS_MAX } from '$lib/domain/days-missed';

const TONE_LABELS: Record<string, string> = {
	short: `A message is longer than about ${MESSAGE_WORDS_MAX} words`,
	days_not_percent: 'A message gives a percentage instead of days',
	no_threats: 'A message uses words of penalty or the law',
	offers_help: 'A message is missing the offer of help'
};

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const staff = requirePermission(locals, 'campaigns.manage');
	if (!isUuid(params.id)) error(404, 'Not found');
	const view = await daysMissedRunView(locals.database, staff.schoolId, params.id);
	if (!view) error(404, 'Not found');
	const r = view.run;
	return {
		id: r.id,
		periodName: r.periodName,
		periodFrom: r.periodFrom,
		periodTo: r.periodTo,
		thresholdPercent: r.thresholdPercent,
		holdOutPercent: r.holdOutPercent,
		seed: r.seed,
		offer: r.offer,
		typicalDays: r.typicalDays,
		confirmed: r.confirmedAt !== null,
		sentOn: r.sentOn,
		campaignId: r.campaignId,
		households: view.households,
		messaged: view.messaged,
		heldOut: view.heldOut,
		excluded: view.excluded,
		bands: view.bands,
		languages: view.languages,
		longestWords: view.longestWords,
		wordsMax: MESSAGE_WORDS_MAX,
		toneFailures: view.toneFailures.map((f) => TONE_LABELS[f] ?? f),
		queued: url.searchParams.get('sent')
	};
};

export const actions: Actions = {
	confirm: async ({ locals, params }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		if (!isUuid(params.id)) error(404, 'Not found');
		const queued = await confirmDaysMissedRun(locals.database, { schoolId: staff.schoolId, staffUserId: staff.id, runId: params.id });
		redirect(303, `/staff/campaigns/days-missed/${params.id}?sent=${queued}`);
	},
	discard: async ({ locals, params }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		if (!isUuid(params.id)) error(404, 'Not found');
		if (!(await discardDaysMissedRun(locals.database, { schoolId: staff.schoolId, staffUserId: staff.id, runId: params.id }))) {
			return fail(409, { discardError: 'This run has been sent, so it cannot be discarded.' });
		}
		redirect(303, '/staff/campaigns/days-missed');
	}
};
