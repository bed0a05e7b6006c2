/**
 * Twilio voice webhook (the school's phone absence line): every step of a call posts here with
 * its step in the query string. Signature-validated (the only check: it is exempt from the form
 * origin check); the answer is TwiML.
 */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { handleTwilioVoice, twilioConfig } from '$bot';
import { publicOrigin } from '$lib/server/features/accounts';

export const POST: RequestHandler = async ({ request, url, locals }) => {
	const config = twilioConfig();
	if (!config) error(404, 'The phone line is not configured');
	const form = new URLSearchParams(await request.text());
	// Twilio signs the public URL it was given, not whatever address reached this instance.
	const result = await handleTwilioVoice(locals.database, {
		url: `${publicOrigin()}${url.pathname}${url.search}`,
		signature: request.headers.get('x-twilio-signature'),
		form,
		authToken: config.authToken
	});
	return new Response(result.body, { status: result.status, headers: { 'content-type': result.contentType } });
};
