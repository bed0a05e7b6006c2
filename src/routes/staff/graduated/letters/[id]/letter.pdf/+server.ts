import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid, requirePermission } from '$lib/server/features/accounts';
import { graduatedLetterFileName, graduatedLetterPdf, letterChildName, letterForSchool } from '$lib/server/features/graduated-response';

/** The letter as the family got it, as a PDF: staff of the letter's school only, as the page. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const staff = requirePermission(locals, 'graduated.manage');
	if (!isUuid(params.id)) error(404, 'Not found');
	const db = locals.database.db;
	const letter = await letterForSchool(db, staff.schoolId, params.id);
	if (!letter) error(404, 'Not found');
	const pdf = await graduatedLetterPdf(letter, await letterChildName(db, letter.pupilId));
	return new Response(Buffer.from(pdf), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${graduatedLetterFileName(letter)}"`, 'cache-control': 'private, no-store' }
	});
};
