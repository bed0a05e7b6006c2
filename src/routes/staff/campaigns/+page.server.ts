import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDatabase } from '$lib/server/db';
import { requireSchoolStaff } from '$lib/server/auth/access';
import { CAMPAIGN_CHANNELS, createCampaign, previewCampaign, queueCampaign, schoolCampaigns, type CampaignInput } from '$lib/server/campaigns';
import { CAMPAIGN_TEMPLATES } from '$lib/domain/campaigns';
import { BANDS, BAND_INFO } from '$lib/domain/attendance';

const ROLES = ['attendance_lead', 'headteacher', 'school_admin'] as const;

function inputFrom(form: FormData): { input: CampaignInput; raw: Record<string, string | string[]> } {
	const text = (n: string, max = 700) => String(form.get(n) ?? '').slice(0, max);
	const kind = text('audience', 20);
	const audience =
		kind === 'year' ? { kind: 'year' as const, yearGroup: Number(text('yearGroup', 3)) } : kind === 'class' ? { kind: 'class' as const, className: text('className', 40) } : kind === 'band' ? { kind: 'band' as const, band: text('band', 40) as never } : { kind: 'school' as const };
	const channels = form.getAll('channel').map(String).filter((c): c is (typeof CAMPAIGN_CHANNELS)[number] => (CAMPAIGN_CHANNELS as readonly string[]).includes(c));
	return {
		input: { title: text('title', 100), body: text('body'), audience, channels },
		raw: { title: text('title', 100), body: text('body'), audience: kind, yearGroup: text('yearGroup', 3), className: text('className', 40), band: text('band', 40), channel: channels }
	};
}

export const load: PageServerLoad = async ({ locals }) => {
	const staff = requireSchoolStaff(locals, ROLES);
	const list = await schoolCampaigns(await getDatabase(), staff.schoolId);
	return {
		campaigns: list.map((c) => ({ id: c.id, title: c.title, sent: c.queuedAt?.toLocaleString('en-GB', { timeZone: 'Europe/London' }) ?? null })),
		templates: CAMPAIGN_TEMPLATES.map((t) => ({ ...t })),
		bands: BANDS.map((b) => ({ value: b, label: BAND_INFO[b].staffLabel }))
	};
};

export const actions: Actions = {
	preview: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals, ROLES);
		const { input, raw } = inputFrom(await request.formData());
		const p = await previewCampaign(await getDatabase(), staff.schoolId, input);
		if (!p.ok) return fail(400, { raw, errors: p.errors });
		return { raw, preview: p };
	},
	send: async ({ locals, request }) => {
		const staff = requireSchoolStaff(locals, ROLES);
		const { input, raw } = inputFrom(await request.formData());
		const handle = await getDatabase();
		const made = await createCampaign(handle, { schoolId: staff.schoolId, staffUserId: staff.id, input });
		if (!made.ok) return fail(400, { raw, errors: made.errors });
		await queueCampaign(handle, made.id);
		redirect(303, `/staff/campaigns/${made.id}`);
	}
};
