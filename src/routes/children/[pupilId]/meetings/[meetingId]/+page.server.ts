import { signInThenBackTo } from '$lib/domain/return-to';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid } from '$lib/server/features/accounts';
import { linkedChild } from '$lib/server/features/attendance';
import { meetingForGuardian, meetingPlaceLang, meetingPlaceWords, meetingWhenWords, parentReply } from '$lib/server/features/graduated-response';
import { formatLongDate } from '$lib/i18n';
import { localDateOf } from '$lib/domain/calendar';

/** A meeting the school invited the family to: when, where, with whom, and "I can come" or "another time". */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	if (!isUuid(params.pupilId) || !isUuid(params.meetingId)) error(404, 'Page not found');
	const child = await linkedChild(locals.database.db, guardian.id, params.pupilId);
	if (!child) error(404, 'Page not found');
	const mt = await meetingForGuardian(locals.database.db, guardian.id, params.pupilId, params.meetingId);
	if (!mt) error(404, 'Page not found');
	const locale = locals.locale;
	const ahead = mt.startsAt !== null && mt.startsAt.getTime() > Date.now();
	return {
		pupilId: params.pupilId,
		childName: mt.firstName,
		meeting: {
			status: mt.status,
			when: mt.startsAt ? meetingWhenWords(mt.startsAt, mt.timeZone, locale) : null,
			place: mt.startsAt ? meetingPlaceWords(mt.place, locale) : null,
			placeLang: meetingPlaceLang(mt.place),
			withWhom: mt.withWhom,
			replyNote: mt.replyNote,
			heldOn: mt.heldAt ? formatLongDate(localDateOf(mt.heldAt, mt.timeZone), locale) : null,
			answerable: ahead && (mt.status === 'invited' || mt.status === 'confirmed' || mt.status === 'another_time')
		}
	};
};

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		const guardian = locals.guardian;
		if (!guardian) error(403, 'Sign in first');
		const form = await request.formData();
		const answer = String(form.get('answer') ?? '');
		const note = String(form.get('note') ?? '').slice(0, 500);
		if (answer !== 'confirm' && answer !== 'another_time') return fail(400, { missing: true, note });
		const result = await parentReply(locals.database, guardian.id, params.meetingId, { answer, note }, { channel: 'web' });
		if (!result.ok && result.problem === 'not_found') error(404, 'Page not found');
		if (!result.ok) return fail(409, { closed: true, note });
		return { answered: answer };
	}
};
