/**
 * GET /staff/voicemail/<CallSid>: a phone-line recording's audio for a member of staff at the
 * call's school, fetched from Twilio with the account's credentials (the recording's URL is never
 * sent to the browser). Not cached anywhere: it is a parent's voice.
 */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireSchoolStaff } from '$lib/server/features/accounts';
import { voicemailRecording } from '$lib/server/features/phone-line';

export const GET: RequestHandler = async ({ locals, params }) => {
	const staff = requireSchoolStaff(locals);
	const result = await voicemailRecording(locals.database.db, staff, params.callSid);
	if (!result.ok) error(result.code === 'not_found' ? 404 : 502, result.code === 'not_found' ? 'No such recording' : 'The recording could not be fetched from Twilio just now. Try again in a minute.');
	return new Response(result.body, { headers: { 'content-type': result.contentType, 'cache-control': 'no-store, private', 'x-content-type-options': 'nosniff' } });
};
