import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { schoolTimeZone } from '$lib/server/features/schools';
import { CAMPAIGN_CHANNELS, LANGUAGE_LABELS, campaignError, cancelCampaign, createCampaign, previewCampaign, queueCampaign, schoolCampaigns, type CampaignInput } from '$lib/server/features/campaigns';
import { CAMPAIGN_TEMPLATES, CAMPAIGN_TRANSLATION_LOCALES, SEND_LATER_MAX_DAYS, parseSendLater } from '$lib/domain/campaigns';
import { BANDS, BAND_INFO } from '$lib/domain/attendance';
import { textDirection } from '$lib/domain/locale';


function inputFrom(form: FormData): { input: CampaignInput; raw: Record<string, string | string[]> } {
	const text = (n: string, max = 700) => String(form.get(n) ?? '').slice(0, max);
	const kind = text('audience', 20);
	const audience =
		kind === 'year' ? { kind: 'year' as const, yearGroup: Number(text('yearGroup', 3)) } : kind === 'class' ? { kind: 'class' as const, className: text('className', 40) } : kind === 'band' ? { kind: 'band' as const, band: text('band', 40) as never } : { kind: 'school' as const };
	// The other-language versions: title-pl, body-pl, ... (empty ones are dropped by the schema).
	const translations = Object.fromEntries(CAMPAIGN_TRANSLATION_LOCALES.map((l) => [l, { title: text(`title-${l}`, 100), body: text(`body-${l}`) }]));
	const translationRaw = Object.fromEntries(CAMPAIGN_TRANSLATION_LOCALES.flatMap((l) => [[`title-${l}`, text(`title-${l}`, 100)], [`body-${l}`, text(`body-${l}`)]]));
	const channels = form.getAll('channel').map(String).filter((c): c is (typeof CAMPAIGN_CHANNELS)[number] => (CAMPAIGN_CHANNELS as readonly string[]).includes(c));
	return {
		input: { title: text('title', 100), body: text('body'), translations, audience, channels },
		raw: { ...translationRaw, title: text('title', 100), body: text('body'), audience: kind, yearGroup: text('yearGroup', 3), className: text('className', 40), band: text('band', 40), channel: channels, sendDate: text('sendDate', 10), sendTime: text('sendTime', 5) }
	};
}

/** "Saturday 27 March 2027 at 09:30" on the school's clock. */
const schoolClock = (timeZone: string) => (d: Date) =>
	`${d.toLocaleDateString('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })} at ${d.toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' })}`;

export const load: PageServerLoad = async ({ locals, url }) => {
	const staff = requirePermission(locals, 'campaigns.manage');
	const list = await schoolCampaigns(locals.database, staff.schoolId);
	const onSchoolClock = schoolClock(await schoolTimeZone(locals.database.db, staff.schoolId));
	const scheduled = list.filter((c) => !c.queuedAt && !c.cancelledAt).sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime());
	const justScheduled = scheduled.find((c) => c.id === url.searchParams.get('scheduled'));
	return {
		scheduled: scheduled.map((c) => ({ id: c.id, title: c.title, sendAt: onSchoolClock(c.sendAt) })),
		justScheduled: justScheduled ? { title: justScheduled.title, sendAt: onSchoolClock(justScheduled.sendAt) } : null,
		campaigns: list.filter((c) => c.queuedAt || c.cancelledAt).map((c) => ({ id: c.id, title: c.title, sent: c.queuedAt ? onSchoolClock(c.queuedAt) : null, cancelled: c.cancelledAt ? onSchoolClock(c.cancelledAt) : null })),
		maxDaysAhead: SEND_LATER_MAX_DAYS,
		templates: CAMPAIGN_TEMPLATES.map((t) => ({ key: t.key, title: t.title, body: t.body })),
		// "Start from a template" is a link (?template=key), so it works without JavaScript.
		template: (() => {
			const t = CAMPAIGN_TEMPLATES.find((x) => x.key === url.searchParams.get('template')) ?? CAMPAIGN_TEMPLATES[0];
			return { key: t.key, title: t.title, body: t.body, translations: t.translations as Record<string, { title: string; body: string }> };
		})(),
		languages: CAMPAIGN_TRANSLATION_LOCALES.map((l) => ({ locale: l, label: LANGUAGE_LABELS[l], dir: textDirection(l) })),
		bands: BANDS.map((b) => ({ value: b, label: BAND_INFO[b].staffLabel }))
	};
};

export const actions: Actions = {
	preview: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		const { input, raw } = inputFrom(await request.formData());
		const p = await previewCampaign(locals.database, staff.schoolId, input);
		if (!p.ok) return fail(400, { raw, errors: p.errors });
		return { raw, preview: p };
	},
	send: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		const { input, raw } = inputFrom(await request.formData());
		const handle = locals.database;
		const made = await createCampaign(handle, { schoolId: staff.schoolId, staffUserId: staff.id, input });
		if (!made.ok) return fail(400, { raw, errors: made.errors });
		await queueCampaign(handle, made.id);
		redirect(303, `/staff/campaigns/${made.id}`);
	},
	/** Send later: stored with its time; the scheduler (every minute) queues it when due. */
	schedule: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		const { input, raw } = inputFrom(await request.formData());
		const handle = locals.database;
		const when = parseSendLater(String(raw.sendDate), String(raw.sendTime), new Date(), await schoolTimeZone(handle.db, staff.schoolId));
		if (!when.ok) {
			const p = await previewCampaign(handle, staff.schoolId, input);
			return fail(400, { raw, errors: [campaignError(when.field, when.problem)], ...(p.ok ? { preview: p } : {}) });
		}
		const made = await createCampaign(handle, { schoolId: staff.schoolId, staffUserId: staff.id, input: { ...input, sendAt: when.at } });
		if (!made.ok) return fail(400, { raw, errors: made.errors });
		redirect(303, `/staff/campaigns?scheduled=${made.id}`);
	},
	cancel: async ({ locals, request }) => {
		const staff = requirePermission(locals, 'campaigns.manage');
		const id = String((await request.formData()).get('id') ?? '').slice(0, 36);
		const handle = locals.database;
		const title = (await schoolCampaigns(handle, staff.schoolId)).find((c) => c.id === id)?.title;
		if (!(await cancelCampaign(handle, { schoolId: staff.schoolId, staffUserId: staff.id, campaignId: id }))) {
			return fail(409, { cancelError: 'That message could not be cancelled: it has already been sent or cancelled.' });
		}
		return { cancelled: title ?? 'The message' };
	}
};
