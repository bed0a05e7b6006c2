/**
 * Email over SMTP with nodemailer: sign-in codes, messages to guardians who chose email, letters'
 * notices and staff invitations, all driven by the outbox. The relay's answer decides what the
 * outbox does next: a permanent refusal (5xx: no such mailbox, relaying denied) makes the message
 * dead at once, so staff see it with the undelivered messages; anything else (4xx greylisting, a
 * full queue, a dropped connection) is thrown as an ordinary error and retried with backoff.
 */
import nodemailer from 'nodemailer';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../platform/db/engine';
import { schools } from '../platform/db/schema';
import { PermanentDeliveryError, type Transport } from '../platform/outbox';
import { config, type EmailConfig } from '../platform/config';

export type { EmailConfig };

/** SMTP as configured (SMTP_URL or SMTP_HOST, with EMAIL_FROM), or null. */
export function emailConfig(): EmailConfig | null {
	return config().email;
}

/** The subject when a message was queued without one. */
const DEFAULT_SUBJECT = 'A message from Every Day';

/** A permanent SMTP refusal: nodemailer puts the relay's reply code on the error. */
export function smtpPermanentStatus(err: unknown): string | null {
	const code = (err as { responseCode?: unknown })?.responseCode;
	return typeof code === 'number' && code >= 500 && code < 600 ? `smtp_${code}` : null;
}

export function smtpEmailTransport(handle: DatabaseHandle, email: EmailConfig): Transport {
	const mailer = nodemailer.createTransport(
		typeof email.smtp === 'string'
			? email.smtp
			: {
					...email.smtp,
					// One connection reused across messages; bounded so a slow relay cannot pile them up.
					pool: true,
					maxConnections: 4,
					connectionTimeout: 15_000,
					greetingTimeout: 15_000,
					socketTimeout: 30_000
				}
	);
	// A school's own address receives replies (parents answer the school, not the app); looked up once each.
	const replyTos = new Map<string, string | null>();
	const replyToFor = async (schoolId: string | null): Promise<string | null> => {
		if (!schoolId) return email.replyTo;
		if (!replyTos.has(schoolId)) {
			const [row] = await handle.db.select({ email: schools.email }).from(schools).where(eq(schools.id, schoolId));
			replyTos.set(schoolId, row?.email?.trim() || null);
		}
		return replyTos.get(schoolId) ?? email.replyTo;
	};
	return {
		async send(message) {
			const replyTo = await replyToFor(message.schoolId);
			try {
				const info = await mailer.sendMail({
					from: email.from,
					to: message.recipient,
					...(replyTo ? { replyTo } : {}),
					subject: message.subject?.trim() || DEFAULT_SUBJECT,
					text: message.body,
					// The outbox row's id: a resend after a lost answer carries the same id, so mail clients can tell.
					messageId: `<${message.id}@every-day.outbox>`
				});
				return { providerMessageId: info.messageId };
			} catch (err) {
				const permanent = smtpPermanentStatus(err);
				if (permanent) throw new PermanentDeliveryError(`The mail server refused the message: ${(err as Error).message}`, permanent);
				throw err;
			}
		}
	};
}
