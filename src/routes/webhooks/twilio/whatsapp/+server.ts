/** Twilio WhatsApp webhook (the school's WhatsApp sender's incoming messages): signature-validated (the only check: it is exempt from the form origin check). */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { handleTwilioWhatsApp, twilioConfig, whatsappConfig } from '$bot';
import { publicOrigin } from '$lib/server/features/accounts';

export const POST: RequestHandler = async ({ request, url, locals }) => {
	const config = twilioConfig();
	if (!config || !whatsappConfig()) error(404, 'WhatsApp is not configured');
	const form = new URLSearchParams(await request.text());
	// Twilio signs the public URL it was given, not whatever address reached this instance.
	const result = await handleTwilioWhatsApp(locals.database, {
		url: `${publicOrigin()}${url.pathname}${url.search}`,
		signature: request.headers.get('x-twilio-signature'),
		form,
		authToken: config.authToken
	});
	return new Response(result.body, { status: result.status, headers: { 'content-type': result.contentType } });
};
