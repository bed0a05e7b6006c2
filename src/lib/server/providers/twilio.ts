/**
 * SMS through Twilio: outbound with the twilio SDK. TWILIO_API_BASE points the SDK's HTTP client
 * at another host (tests: a local fake Twilio), so the real SDK code builds and sends every request.
 * Inbound messages and status callbacks are the bot's (bot/channels/twilio.ts).
 */
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type { Transport } from '../platform/outbox';

export interface TwilioConfig {
	accountSid: string;
	authToken: string;
	/** Our sending number (E.164) or messaging service SID (MG...). */
	from: string;
	/** Default https://api.twilio.com; a local fake in tests. */
	apiBase?: string;
	/** Where Twilio posts delivery status (ORIGIN + /webhooks/twilio/status). */
	statusCallback?: string;
}

export function twilioConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TwilioConfig | null {
	const accountSid = env.TWILIO_ACCOUNT_SID?.trim();
	const authToken = env.TWILIO_AUTH_TOKEN?.trim();
	const from = env.TWILIO_FROM?.trim();
	if (!accountSid || !authToken || !from) return null;
	const origin = env.ORIGIN?.trim().replace(/\/+$/, '');
	return {
		accountSid,
		authToken,
		from,
		apiBase: env.TWILIO_API_BASE?.trim() || undefined,
		statusCallback: origin ? `${origin}/webhooks/twilio/status` : undefined
	};
}

/** The SDK's own HTTP client, with the Twilio API host swapped for `apiBase`. */
class RedirectingRequestClient extends RequestClient {
	constructor(private readonly apiBase: string) {
		super();
	}
	request<TData>(opts: RequestClient.RequestOptions<TData>) {
		const uri = opts.uri.replace(/^https:\/\/[a-z.]*twilio\.com/, this.apiBase.replace(/\/+$/, ''));
		return super.request({ ...opts, uri });
	}
}

export function twilioClient(config: TwilioConfig) {
	return twilio(config.accountSid, config.authToken, config.apiBase ? { httpClient: new RedirectingRequestClient(config.apiBase) } : {});
}

export function twilioSmsTransport(config: TwilioConfig): Transport {
	const client = twilioClient(config);
	const sender = config.from.startsWith('MG') ? { messagingServiceSid: config.from } : { from: config.from };
	return {
		async send(message) {
			const sent = await client.messages.create({
				to: message.recipient,
				body: message.body,
				...sender,
				...(config.statusCallback ? { statusCallback: config.statusCallback } : {})
			});
			return { providerMessageId: sent.sid };
		}
	};
}
