import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { campaignResults } from '$lib/server/features/campaigns';
import { schoolTimeZone } from '$lib/server/features/schools';
import { isUuid } from '$lib/domain/ids';

export const load: PageServerLoad = async ({ locals, params }) => {
	const staff = requirePermission(locals, 'campaigns.manage');
	if (!isUuid(params.id)) error(404, 'Not found');
	const r = await campaignResults(locals.database, staff.schoolId, params.id);
	if (!r) error(404, 'Not found');
	const c = r.campaign;
	const timeZone = await schoolTimeZone(locals.database.db, staff.schoolId);
	const when = (d: Date) => d.toLocaleString('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' });
	const state = c.cancelledAt ? `Cancelled on ${when(c.cancelledAt)}; it was not sent.` : c.queuedAt ? `Sent on ${when(c.queuedAt)}.` : `Scheduled to send on ${when(c.sendAt)} (UK time).`;
	return { title: c.title, body: c.body, channels: r.channels, reach: r.reach, state };
};
