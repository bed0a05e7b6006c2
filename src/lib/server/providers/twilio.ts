/**
 * SMS through Twilio: outbound with the twilio SDK. TWILIO_API_BASE points the SDK's HTTP client
 * at another host (tests: a local fake Twilio), so the real SDK code builds and sends every request.
 * Inbound messages and status callbacks are the bot's (bot/channels/twilio.ts).
 */
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import { eq } from 'drizzle-orm';
import type { Transport } from '../platform/outbox';
import { config, type TwilioConfig } from '../platform/config';
import type { DatabaseHandle } from '../platform/db/engine';
import { schoolChannels } from '../platform/db/schema';

export type { TwilioConfig };

/** Twilio as configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM all set), or null. */
export function twilioConfig(): TwilioConfig | null {
	return config().twilio;
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

/** A school's own Twilio numbers for texts and WhatsApp (its settings), or null for the deployment's. */
export type SchoolSenders = (schoolId: string | null) => Promise<{ sms: string | null; whatsapp: string | null } | null>;

/**
 * Each school's numbers from its settings, read at most once a minute per school: a school's
 * families get its messages from the number they know and reply to it.
 */
export function schoolSenderNumbers(handle: DatabaseHandle, ttlMs = 60_000): SchoolSenders {
	const cache = new Map<string, { at: number; sms: string | null; whatsapp: string | null }>();
	return async (schoolId) => {
		if (!schoolId) return null;
		const hit = cache.get(schoolId);
		if (hit && Date.now() - hit.at < ttlMs) return hit;
		const [row] = await handle.db.select({ sms: schoolChannels.smsNumber, whatsapp: schoolChannels.whatsappNumber }).from(schoolChannels).where(eq(schoolChannels.schoolId, schoolId));
		const numbers = { at: Date.now(), sms: row?.sms ?? null, whatsapp: row?.whatsapp ?? null };
		cache.set(schoolId, numbers);
		return numbers;
	};
}

export function twilioSmsTransport(config: TwilioConfig, senders?: SchoolSenders): Transport {
	const client = twilioClient(config);
	const sender = config.from.startsWith('MG') ? { messagingServiceSid: config.from } : { from: config.from };
	return {
		async send(message) {
			const own = (await senders?.(message.schoolId))?.sms;
			const sent = await client.messages.create({
				to: message.recipient,
				body: message.body,
				...(own ? { from: own } : sender),
				...(config.statusCallback ? { statusCallback: config.statusCallback } : {})
			});
			return { providerMessageId: sent.sid };
		}
	};
}

export class RecordingUnavailableError extends Error {}

/**
 * A call recording's audio (MP3), fetched with the account's credentials: Twilio's recording
 * URLs need HTTP basic auth, so staff hear it through the app and never see the URL. Only
 * Twilio's own API host is fetched (the URL came from a signed webhook, but is checked again).
 */
export async function fetchTwilioRecording(config: TwilioConfig, recordingUrl: string): Promise<{ body: ArrayBuffer; contentType: string }> {
	const parsed = new URL(recordingUrl);
	if (parsed.protocol !== 'https:' || !/(^|\.)twilio\.com$/.test(parsed.hostname) || !/\/Recordings\/RE[0-9a-f]{32}$/i.test(parsed.pathname)) {
		throw new RecordingUnavailableError('Not a Twilio recording URL');
	}
	const base = config.apiBase ? config.apiBase.replace(/\/+$/, '') : `${parsed.protocol}//${parsed.host}`;
	const res = await fetch(`${base}${parsed.pathname}.mp3`, {
		headers: { authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}` },
		signal: AbortSignal.timeout(20_000)
	});
	if (!res.ok) {
		await res.body?.cancel();
		throw new RecordingUnavailableError(`Twilio could not return the recording (HTTP ${res.status})`);
	}
	return { body: await res.arrayBuffer(), contentType: res.headers.get('content-type') ?? 'audio/mpeg' };
}
