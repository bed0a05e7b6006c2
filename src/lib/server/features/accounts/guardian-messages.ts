/**
 * One-to-one messages to a parent or carer (first day contact, daily check-ins, decisions):
 * routed to their preferred channel when we can reach them there (see contactRouteFor) and
 * queued in the transactional outbox inside the caller's transaction.
 */
import { desc, eq } from 'drizzle-orm';
import { contactRouteFor, type ContactRoute } from '../../../domain/contact-route';
import { chooseMessageLocale, type Locale } from '../../../domain/locale';
import type { Db } from '../../platform/db/engine';
import { guardians, telegramAccounts } from '../../platform/db/schema';
import { enqueueMessage } from '../../platform/outbox';
import { config, type Config } from '../../platform/config';

export interface GuardianMessage {
	guardianId: string;
	schoolId: string | null;
	/** What it is for, e.g. 'first_day_contact'. */
	purpose: string;
	/** Text, or a function composing it in the guardian's language (see guardianLocale). */
	subject?: string | ((locale: Locale) => string);
	body: string | ((locale: Locale) => string);
	/** Answers offered with the message (Telegram buttons; the parent may reply with the number). */
	choices?: (locale: Locale) => string[];
	/** The same key never queues a second message. */
	idempotencyKey: string;
}

/** Where a message to this guardian would go now, or null when we cannot reach them. */
export async function routeForGuardian(db: Db, guardianId: string): Promise<ContactRoute | null> {
	const [g] = await db
		.select({ preferredChannel: guardians.preferredChannel, phone: guardians.phone, email: guardians.email })
		.from(guardians)
		.where(eq(guardians.id, guardianId));
	if (!g) return null;
	const [telegram] = await db
		.select({ chatId: telegramAccounts.chatId })
		.from(telegramAccounts)
		.where(eq(telegramAccounts.guardianId, guardianId))
		.orderBy(desc(telegramAccounts.linkedAt))
		.limit(1);
	return contactRouteFor({ ...g, telegramChatId: telegram?.chatId ?? null });
}

/**
 * Queues the message on the guardian's route. Returns the route used, or null when the
 * guardian cannot be reached (nothing is queued) or the key was queued before.
 */
export async function enqueueGuardianMessage(tx: Db, message: GuardianMessage): Promise<ContactRoute | null> {
	const route = await routeForGuardian(tx, message.guardianId);
	if (!route) return null;
	const needsLocale = typeof message.body === 'function' || typeof message.subject === 'function' || message.choices !== undefined;
	const locale = needsLocale ? await guardianLocale(tx, message.guardianId) : 'en';
	const compose = (t: string | ((l: Locale) => string)) => (typeof t === 'function' ? t(locale) : t);
	const id = await enqueueMessage(tx, {
		channel: route.channel,
		recipient: route.recipient,
		guardianId: message.guardianId,
		schoolId: message.schoolId,
		purpose: message.purpose,
		subject: message.subject === undefined ? null : compose(message.subject),
		body: compose(message.body),
		idempotencyKey: message.idempotencyKey,
		choices: route.channel === 'telegram' && message.choices ? message.choices(locale) : undefined
	});
	return id ? route : null;
}

/** The language for messages to this guardian: their preferred language (school data or their choice). */
export async function guardianLocale(db: Db, guardianId: string): Promise<Locale> {
	const [g] = await db.select({ preferredLanguage: guardians.preferredLanguage }).from(guardians).where(eq(guardians.id, guardianId));
	return chooseMessageLocale({ guardianPreference: g?.preferredLanguage ?? null });
}

/** The public address of the app, for links in messages (ORIGIN in production). */
export function publicOrigin(c: Pick<Config, 'publicOrigin'> = config()): string {
	return c.publicOrigin;
}

/** ORIGIN when it is set, else null (a page then uses the address the request came to). */
export function configuredOrigin(c: Pick<Config, 'origin'> = config()): string | null {
	return c.origin;
}
