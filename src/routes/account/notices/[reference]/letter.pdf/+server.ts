import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { guardianNotice, noticeLetter, noticeLetterPdf } from '$lib/server/features/local-authority';
import { getLocale } from '$lib/paraglide/runtime';

/** The parent's own notice letter as a PDF, in their language. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	const notice = await guardianNotice(locals.database, locals.guardian.id, params.reference);
	const locale = getLocale();
	const letter = notice ? noticeLetter(notice, locale, notice.pupilFirstName) : null;
	if (!notice || !letter) error(404, 'Not found');
	const pdf = await noticeLetterPdf(letter, locale);
	return new Response(Buffer.from(pdf), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="notice-${notice.reference}.pdf"`, 'cache-control': 'private, no-store' }
	});
};
