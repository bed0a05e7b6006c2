/**
 * WhatsApp through Twilio (same account and SDK as SMS). WhatsApp's rules decide what may go:
 * inside the 24 hours after the parent's last message, any reply; outside it, only a
 * pre-approved Content template (its SID configured per purpose), with the message as its
 * variable. A number that sent STOP gets only the replies to its own messages. A message that
 * may not go is undelivered at once (never retried into a closed window) so staff see it.
 */
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../platform/db/engine';
import { whatsappContacts } from '../platform/db/schema';
import { PermanentDeliveryError, type Transport } from '../platform/outbox';
import { config, type TwilioConfig, type WhatsAppConfig } from '../platform/config';
import { twilioClient, type SchoolSenders } from './twilio';

export type { WhatsAppConfig };

/** WhatsApp's customer service window: free-form replies for this long after the parent's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Replies to the parent's own message (the STOP confirmation included) go even after STOP. */
const SENT_DESPITE_STOP = new Set(['bot_reply']);

export function whatsappConfig(): WhatsAppConfig | null {
	return config().whatsapp;
}

const address = (phone: string) => `whatsapp:${phone.replace(/^whatsapp:/i, '')}`;

/** Inside the window: a free-form message. Outside: its purpose's template, or nothing. */
export function whatsappSendPlan(
	message: { purpose: string; body: string },
	contact: { lastInboundAt: Date | null; optedOutAt: Date | null } | undefined,
	whatsapp: WhatsAppConfig,
	now: Date
): { kind: 'free_form' } | { kind: 'template'; contentSid: string } | { kind: 'refused'; status: string; reason: string } {
	if (contact?.optedOutAt && !SENT_DESPITE_STOP.has(message.purpose)) return { kind: 'refused', status: 'whatsapp_opted_out', reason: 'The parent sent STOP on WhatsApp' };
	const last = contact?.lastInboundAt?.getTime();
	if (last !== undefined && now.getTime() - last < WHATSAPP_WINDOW_MS) return { kind: 'free_form' };
	const contentSid = whatsapp.templates[message.purpose];
	if (contentSid) return { kind: 'template', contentSid };
	return { kind: 'refused', status: 'whatsapp_outside_window', reason: 'More than 24 hours since the parent last wrote on WhatsApp, and no approved template for this message' };
}

export function twilioWhatsAppTransport(handle: DatabaseHandle, twilio: TwilioConfig, whatsapp: WhatsAppConfig, clock: () => Date = () => new Date(), senders?: SchoolSenders): Transport {
	const client = twilioClient(twilio);
	return {
		async send(message) {
			const [contact] = await handle.db.select().from(whatsappContacts).where(eq(whatsappContacts.phone, message.recipient));
			const plan = whatsappSendPlan(message, contact, whatsapp, clock());
			if (plan.kind === 'refused') throw new PermanentDeliveryError(plan.reason, plan.status);
			const sent = await client.messages.create({
				to: address(message.recipient),
				from: address((await senders?.(message.schoolId))?.whatsapp ?? whatsapp.from),
				...(plan.kind === 'free_form' ? { body: message.body } : { contentSid: plan.contentSid, contentVariables: JSON.stringify({ 1: message.body }) }),
				...(twilio.statusCallback ? { statusCallback: twilio.statusCallback } : {})
			});
			return { providerMessageId: sent.sid };
		}
	};
}
