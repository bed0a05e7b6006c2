import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/server/features/accounts';
import { linkedChild } from '$lib/server/features/attendance';
import { graduatedLetterFileName, graduatedLetterPdf, letterForGuardian } from '$lib/server/features/graduated-response';

/** The letter as a PDF, for the parent it was written to only (anyone else: not found, as the page). */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.guardian) error(401, 'Please sign in');
	if (!isUuid(params.pupilId) || !isUuid(params.letterId)) error(404, 'Not found');
	const db = locals.database.db;
	const child = await linkedChild(db, locals.guardian.id, params.pupilId);
	if (!child) error(404, 'Not found');
	const letter = await letterForGuardian(db, locals.guardian.id, params.pupilId, params.letterId);
	if (!letter) error(404, 'Not found');
	const pdf = await graduatedLetterPdf(letter, child.preferredName?.trim() || child.firstName);
	return new Response(Buffer.from(pdf), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${graduatedLetterFileName(letter)}"`, 'cache-control': 'private, no-store' }
	});
};
