/**
 * Twilio's webhooks: inbound SMS and delivery status callbacks, validated by `X-Twilio-Signature`
 * against the public URL (ORIGIN + path), as Twilio signs it. Sending is the provider adapter's
 * (src/lib/server/providers/twilio.ts).
 */
import twilio from 'twilio';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DatabaseHandle } from '../../src/lib/server/platform/db/engine';
import { outboundMessages } from '../../src/lib/server/platform/db/schema';
import { handleInboundMessage } from '../conversations';
import { normalisePhone } from '../../src/lib/server/features/accounts';

export type WebhookResult = { status: 200 | 400 | 403; body: string; contentType: string };

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twiml = (status: 200 | 400 | 403, body = TWIML_EMPTY): WebhookResult => ({ status, body, contentType: 'text/xml' });

/** The form's fields as own properties (a field named "__proto__" too: assigning it would drop it and break the signature). */
function formParams(form: URLSearchParams): Record<string, string> {
	return Object.fromEntries(form);
}

// NUL cannot be stored in PostgreSQL text: a sender with one is refused, a body loses them.
const noNul = (s: string) => !s.includes('\u0000');
const inboundSchema = z.object({
	MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i),
	From: z.string().min(3).max(30).refine(noNul),
	Body: z
		.string()
		.max(1600)
		.default('')
		.transform((b) => b.replaceAll('\u0000', ''))
});

/**
 * An incoming SMS. Refused (403) unless Twilio signed it for this URL; replies go through the
 * outbox, so Twilio gets an empty TwiML answer at once.
 */
export async function handleTwilioSms(
	handle: DatabaseHandle,
	input: { url: string; signature: string | null; form: URLSearchParams; authToken: string }
): Promise<WebhookResult> {
	const params = formParams(input.form);
	if (!input.signature || !twilio.validateRequest(input.authToken, input.signature, input.url, params)) return twiml(403);
	const parsed = inboundSchema.safeParse(params);
	if (!parsed.success) return twiml(400);
	const from = normalisePhone(parsed.data.From) ?? parsed.data.From;
	await handleInboundMessage(handle, { channel: 'sms', providerMessageId: parsed.data.MessageSid, address: from, text: parsed.data.Body });
	return twiml(200);
}

const whatsappSchema = inboundSchema.extend({
	From: z
		.string()
		.regex(/^whatsapp:\+?\d{6,16}$/i)
		.transform((f) => f.replace(/^whatsapp:/i, ''))
});

/**
 * An incoming WhatsApp message (Twilio's WhatsApp sender posts here): the same signature check,
 * the same conversation engine and the same services as SMS. Replies go through the outbox's
 * WhatsApp transport, which keeps to WhatsApp's 24-hour window.
 */
export async function handleTwilioWhatsApp(
	handle: DatabaseHandle,
	input: { url: string; signature: string | null; form: URLSearchParams; authToken: string; now?: Date }
): Promise<WebhookResult> {
	const params = formParams(input.form);
	if (!input.signature || !twilio.validateRequest(input.authToken, input.signature, input.url, params)) return twiml(403);
	const parsed = whatsappSchema.safeParse(params);
	if (!parsed.success) return twiml(400);
	const from = normalisePhone(parsed.data.From) ?? parsed.data.From;
	await handleInboundMessage(handle, { channel: 'whatsapp', providerMessageId: parsed.data.MessageSid, address: from, text: parsed.data.Body, now: input.now });
	return twiml(200);
}

const statusSchema = z.object({
	MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/i),
	MessageStatus: z.enum(['accepted', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'receiving', 'received', 'scheduled', 'canceled'])
});

/** How far along a message each Twilio status is; final statuses share the top rank. */
const STATUS_RANK: Record<z.infer<typeof statusSchema>['MessageStatus'], number> = {
	receiving: 0,
	received: 0,
	scheduled: 1,
	accepted: 1,
	queued: 2,
	sending: 3,
	sent: 4,
	delivered: 5,
	undelivered: 5,
	failed: 5,
	canceled: 5,
	// WhatsApp's read receipt comes after delivered.
	read: 6
};
const statusRankSql = sql`(case ${outboundMessages.providerStatus}
	when 'receiving' then 0 when 'received' then 0 when 'scheduled' then 1 when 'accepted' then 1
	when 'queued' then 2 when 'sending' then 3 when 'sent' then 4
	when 'delivered' then 5 when 'undelivered' then 5 when 'failed' then 5 when 'canceled' then 5
	when 'read' then 6 else -1 end)`;

/** Twilio's delivery status for a message we sent: recorded on its outbox row. */
export async function handleTwilioStatus(
	handle: DatabaseHandle,
	input: { url: string; signature: string | null; form: URLSearchParams; authToken: string }
): Promise<WebhookResult> {
	const params = formParams(input.form);
	if (!input.signature || !twilio.validateRequest(input.authToken, input.signature, input.url, params)) return twiml(403);
	const parsed = statusSchema.safeParse(params);
	if (!parsed.success) return twiml(400);
	const { MessageSid, MessageStatus } = parsed.data;
	// Callbacks can arrive out of order or be replayed: a status only ever moves forward, and the
	// first final one (delivered, undelivered, failed, canceled) stays.
	const rank = STATUS_RANK[MessageStatus];
	await handle.db
		.update(outboundMessages)
		.set({
			providerStatus: MessageStatus,
			...(MessageStatus === 'delivered' ? { status: 'delivered' as const } : {}),
			...(MessageStatus === 'undelivered' || MessageStatus === 'failed' ? { lastError: `Twilio: ${MessageStatus}` } : {})
		})
		.where(and(eq(outboundMessages.providerMessageId, MessageSid), sql`${statusRankSql} < ${rank}`));
	return twiml(200);
}
