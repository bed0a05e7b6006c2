import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { meetingForStaff, recordMeeting } from '$lib/server/features/graduated-response';
import { MEETING_STATUS_LABELS } from '$lib/domain/graduated-meetings';
import { localDateOf, localTimeOf } from '$lib/domain/calendar';

/** One meeting: when, where, with whom, the parents' replies and the history; then "Record the meeting". */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	const mt = await meetingForStaff(locals.database.db, staff, params.id);
	if (!mt) error(404, 'Page not found');
	const local = (d: Date | null) => (d ? `${localDateOf(d, mt.timeZone)} ${localTimeOf(d, mt.timeZone)}` : null);
	const invited = url.searchParams.get('invited');
	return {
		meeting: {
			id: mt.id,
			pupilId: mt.pupilId,
			pupilName: mt.pupilName,
			status: mt.status,
			statusLabel: MEETING_STATUS_LABELS[mt.status],
			when: mt.date ? `${mt.date} ${mt.time}` : null,
			place: mt.byPhone ? 'By phone' : mt.place,
			withWhom: mt.withWhom,
			repliedAt: local(mt.repliedAt),
			replyNote: mt.replyNote,
			attended: mt.attended,
			notes: mt.notes,
			heldAt: local(mt.heldAt),
			recordedBy: mt.recordedByName,
			history: mt.history.map((h, i) => ({ key: `${i}`, at: local(h.at)!, text: h.text }))
		},
		invited: invited === null ? null : { messages: Number(invited) || 0, unreachable: Number(url.searchParams.get('unreachable')) || 0 }
	};
};

export const actions: Actions = {
	record: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const form = await request.formData();
		const values = { parentsCame: String(form.get('parentsCame') ?? ''), attended: String(form.get('attended') ?? '').slice(0, 300), notes: String(form.get('notes') ?? '').slice(0, 4000) };
		const result = await recordMeeting(locals.database, staff, params.id, values as { parentsCame: 'yes' | 'no'; attended: string; notes: string });
		if (!result.ok && 'notFound' in result) error(404, 'Page not found');
		if (!result.ok && 'alreadyRecorded' in result) return fail(409, { errors: [{ field: 'parentsCame', message: 'This meeting has already been recorded' }], values });
		if (!result.ok) return fail(400, { errors: result.problems, values });
		return { recorded: true };
	}
};
