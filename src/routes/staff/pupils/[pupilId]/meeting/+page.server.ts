import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/features/accounts';
import { inviteMeeting, meetingPupil, meetingsForPupil } from '$lib/server/features/graduated-response';
import { isUuid } from '$lib/domain/ids';

/** "Invite the parents to a meeting": a day, a time, a place or by phone, and who will be there. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	const db = locals.database.db;
	const pupil = await meetingPupil(db, staff, params.pupilId);
	if (!pupil) error(404, 'Page not found');
	const meetingId = url.searchParams.get('meeting');
	const meetings = await meetingsForPupil(db, staff.schoolId, pupil.id);
	// Rearranging: the meeting's own details are the starting point (the parents may have said what suits them).
	const meeting = meetingId && isUuid(meetingId) ? (meetings.find((mt) => mt.id === meetingId && mt.status !== 'held') ?? null) : null;
	if (meetingId && !meeting) error(404, 'Page not found');
	const action = url.searchParams.get('action');
	return {
		pupil,
		meeting: meeting && { id: meeting.id, status: meeting.status, date: meeting.date, time: meeting.time, place: meeting.byPhone ? '' : meeting.place, byPhone: meeting.byPhone, withWhom: meeting.withWhom, replyNote: meeting.replyNote },
		actionId: action && isUuid(action) ? action : (meeting?.actionId ?? null)
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const staff = requirePermission(locals, 'graduated.manage');
		const form = await request.formData();
		const text = (k: string, max = 300) => String(form.get(k) ?? '').slice(0, max);
		const values = { date: text('date', 10), time: text('time', 5), byPhone: form.get('byPhone') === 'yes', place: text('place', 200), withWhom: text('withWhom') };
		const meetingId = text('meetingId', 36);
		const actionId = text('actionId', 36);
		const result = await inviteMeeting(locals.database, staff, params.pupilId, {
			...values,
			...(isUuid(meetingId) ? { meetingId } : {}),
			...(isUuid(actionId) ? { actionId } : {})
		});
		if (!result.ok && 'notFound' in result) error(404, 'Page not found');
		if (!result.ok) return fail(400, { errors: result.problems, values });
		redirect(303, `/staff/graduated/meetings/${result.meetingId}?invited=${result.messages}&unreachable=${result.unreachable}`);
	}
};
