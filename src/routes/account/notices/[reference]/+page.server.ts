import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { guardianNotice, noticeLetter } from '$lib/server/features/local-authority';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { signInThenBackTo } from '$lib/domain/return-to';

/** A parent's own notice from the local authority, in their language, with support first. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.guardian) redirect(303, signInThenBackTo(url));
	const notice = await guardianNotice(locals.database, locals.guardian.id, params.reference);
	if (!notice) error(404, 'Not found');
	const locale = getLocale();
	const letter = noticeLetter(notice, locale, notice.pupilFirstName);
	if (!letter) error(404, 'Not found');
	const o = { locale };
	const STATUS: Partial<Record<typeof notice.status, string>> = {
		issued: m.la_notice_status_issued({}, o),
		paid: m.la_notice_status_paid({}, o),
		unpaid: m.la_notice_status_unpaid({}, o),
		withdrawn: m.la_notice_status_withdrawn({}, o),
		improved: m.la_notice_status_improved({}, o),
		not_improved: m.la_notice_status_not_improved({}, o)
	};
	const status = STATUS[notice.status] ?? '';
	return { reference: notice.reference, title: letter.title, status, paragraphs: letter.paragraphs };
};
