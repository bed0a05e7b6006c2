import { signInThenBackTo } from '$lib/domain/return-to';
import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isUuid } from '$lib/server/features/accounts';
import { linkedChild } from '$lib/server/features/attendance';
import { letterForGuardian } from '$lib/server/features/graduated-response';
import { formatLongDate } from '$lib/i18n';
import type { Locale } from '$lib/domain/locale';

/** A letter from school, for the parent it was written to: readable on a phone, printable. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const guardian = locals.guardian;
	if (!guardian) redirect(303, signInThenBackTo(url));
	if (!isUuid(params.pupilId) || !isUuid(params.letterId)) error(404, 'Page not found');
	const child = await linkedChild(locals.database.db, guardian.id, params.pupilId);
	if (!child) error(404, 'Page not found');
	const letter = await letterForGuardian(locals.database.db, guardian.id, params.pupilId, params.letterId);
	if (!letter) error(404, 'Page not found');
	return {
		pupilId: params.pupilId,
		letterId: letter.id,
		childName: child.preferredName?.trim() || child.firstName,
		letter: { content: letter.content, date: formatLongDate(letter.createdAt.toISOString().slice(0, 10), letter.content.locale as Locale) }
	};
};
