/**
 * WhatsApp contacts: the parent's last message (it opens WhatsApp's 24-hour window for replies),
 * their opt-in to messages from the school, and STOP / START.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { whatsappContacts } from '../../platform/db/schema';

/** The parent wrote to us: the window opens, and writing to the school's number is their opt-in to its replies. */
export async function recordWhatsAppInbound(db: Db, phone: string, guardianId: string | null, now: Date): Promise<void> {
	await db
		.insert(whatsappContacts)
		.values({ phone, guardianId, lastInboundAt: now, optedInAt: now })
		.onConflictDoUpdate({ target: whatsappContacts.phone, set: { lastInboundAt: now, ...(guardianId ? { guardianId } : {}) } });
}

/** STOP: from now on only replies to the parent's own messages go to the number. */
export async function optOutOfWhatsApp(db: Db, phone: string, now: Date): Promise<void> {
	await db.insert(whatsappContacts).values({ phone, optedOutAt: now }).onConflictDoUpdate({ target: whatsappContacts.phone, set: { optedOutAt: now } });
}

/** START: every message goes again, and the opt-in is recorded afresh. */
export async function optInToWhatsApp(db: Db, phone: string, now: Date): Promise<void> {
	await db
		.insert(whatsappContacts)
		.values({ phone, optedInAt: now })
		.onConflictDoUpdate({ target: whatsappContacts.phone, set: { optedOutAt: null, optedInAt: now } });
}

export async function whatsappContact(db: Db, phone: string) {
	const [row] = await db.select().from(whatsappContacts).where(eq(whatsappContacts.phone, phone));
	return row ?? null;
}
