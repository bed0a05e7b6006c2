import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireStaff, rolesWith } from '$lib/server/features/accounts';
import { laIntervention, noticeLetter, noticeLetterPdf } from '$lib/server/features/local-authority';

/** The notice letter as a PDF, in English, for the LA's file and for posting. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const staff = requireStaff(locals, rolesWith('la.attendance'));
	const n = await laIntervention(locals.database, staff, params.id);
	const letter = n ? noticeLetter(n, 'en', n.pupilFirstName) : null;
	if (!n || !letter) error(404, 'Page not found');
	const pdf = await noticeLetterPdf(letter, 'en');
	return new Response(Buffer.from(pdf), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${n.reference}.pdf"`, 'cache-control': 'no-store' }
	});
};
