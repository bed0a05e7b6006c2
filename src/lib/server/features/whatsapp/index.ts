/**
 * WhatsApp contacts: the parent's last message (it opens WhatsApp's 24-hour window for replies),
 * their opt-in to messages from the school, and STOP / START.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/engine';
import { writeAudit } from '../../platform/audit';
import { guardians, pupilGuardians, pupils, schoolChannels, telegramAccounts, whatsappContacts } from '../../platform/db/schema';
import { normalisePhone } from '../accounts';

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

export type PreferredChannel = 'sms' | 'whatsapp' | 'email' | 'telegram';

/**
 * The channels a guardian may choose for the school's messages: text and WhatsApp need their
 * number (WhatsApp also a school of theirs that offers it), email their address, Telegram a
 * linked account. Their current choice first.
 */
/** Whether a school of one of the guardian's children offers WhatsApp (each school chooses in its settings). */
export async function whatsappOfferedTo(db: Db, guardianId: string): Promise<boolean> {
	const [offered] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(pupilGuardians)
		.innerJoin(pupils, eq(pupils.id, pupilGuardians.pupilId))
		.innerJoin(schoolChannels, eq(schoolChannels.schoolId, pupils.schoolId))
		.where(and(eq(pupilGuardians.guardianId, guardianId), eq(schoolChannels.whatsappEnabled, true)));
	return (offered?.n ?? 0) > 0;
}

export async function contactChoices(db: Db, guardianId: string): Promise<{ current: string; choices: PreferredChannel[] }> {
	const [g] = await db.select({ phone: guardians.phone, email: guardians.email, preferred: guardians.preferredChannel }).from(guardians).where(eq(guardians.id, guardianId));
	if (!g) return { current: 'sms', choices: [] };
	const offered = await whatsappOfferedTo(db, guardianId);
	const [telegram] = await db.select({ id: telegramAccounts.telegramUserId }).from(telegramAccounts).where(eq(telegramAccounts.guardianId, guardianId)).limit(1);
	const choices: PreferredChannel[] = [];
	if (g.phone) choices.push('sms');
	if (g.phone && offered) choices.push('whatsapp');
	if (g.email) choices.push('email');
	if (telegram) choices.push('telegram');
	return { current: g.preferred, choices };
}

/** The guardian's choice, if it is one they may make; choosing WhatsApp is their opt-in to it (recorded, audited). */
export async function setPreferredChannel(db: Db, guardianId: string, channel: string, now: Date = new Date()): Promise<boolean> {
	const { choices } = await contactChoices(db, guardianId);
	if (!(choices as string[]).includes(channel)) return false;
	const chosen = channel as PreferredChannel;
	await db.transaction(async (tx) => {
		const [g] = await tx.update(guardians).set({ preferredChannel: chosen, updatedAt: now }).where(eq(guardians.id, guardianId)).returning({ phone: guardians.phone });
		if (chosen === 'whatsapp' && g?.phone) {
			await tx
				.insert(whatsappContacts)
				.values({ phone: g.phone, guardianId, optedInAt: now })
				.onConflictDoUpdate({ target: whatsappContacts.phone, set: { guardianId, optedInAt: now, optedOutAt: null } });
		}
		await writeAudit(tx, { actorType: 'guardian', actorId: guardianId, action: 'guardian.channel_chosen', subjectType: 'guardian', subjectId: guardianId, details: { channel: chosen }, at: now });
	});
	return true;
}

export interface SchoolMessaging {
	smsNumber: string | null;
	whatsappNumber: string | null;
	whatsappEnabled: boolean;
}

/** The school's own numbers for texts and WhatsApp, and whether it offers WhatsApp to families (settings). */
export async function schoolMessaging(db: Db, schoolId: string): Promise<SchoolMessaging> {
	const [row] = await db
		.select({ smsNumber: schoolChannels.smsNumber, whatsappNumber: schoolChannels.whatsappNumber, whatsappEnabled: schoolChannels.whatsappEnabled })
		.from(schoolChannels)
		.where(eq(schoolChannels.schoolId, schoolId));
	return row ?? { smsNumber: null, whatsappNumber: null, whatsappEnabled: false };
}

export type SchoolMessagingResult = { ok: true; settings: SchoolMessaging } | { ok: false; field: 'smsNumber' | 'whatsappNumber'; code: 'phone' };

/**
 * Sets the school's numbers (empty for the deployment's own) and whether families may choose
 * WhatsApp. Switching WhatsApp off leaves parents' own choice recorded; their messages go by
 * text again, since WhatsApp is no longer one of their choices (audited).
 */
export async function setSchoolMessaging(
	db: Db,
	staff: { id: string; schoolId: string },
	input: { smsNumber: string; whatsappNumber: string; whatsappEnabled: boolean }
): Promise<SchoolMessagingResult> {
	const number = (raw: string) => {
		const trimmed = raw.trim().slice(0, 40);
		return trimmed === '' ? { ok: true as const, value: null } : normalisePhone(trimmed) ? { ok: true as const, value: normalisePhone(trimmed) } : { ok: false as const };
	};
	const sms = number(input.smsNumber);
	if (!sms.ok) return { ok: false, field: 'smsNumber', code: 'phone' };
	const whatsapp = number(input.whatsappNumber);
	if (!whatsapp.ok) return { ok: false, field: 'whatsappNumber', code: 'phone' };
	const settings: SchoolMessaging = { smsNumber: sms.value, whatsappNumber: whatsapp.value, whatsappEnabled: input.whatsappEnabled };
	await db
		.insert(schoolChannels)
		.values({ schoolId: staff.schoolId, ...settings })
		.onConflictDoUpdate({ target: schoolChannels.schoolId, set: { ...settings, updatedAt: new Date() } });
	await writeAudit(db, {
		actorType: 'staff',
		actorId: staff.id,
		action: 'school.messaging_changed',
		schoolId: staff.schoolId,
		subjectType: 'school',
		subjectId: staff.schoolId,
		details: { whatsappEnabled: settings.whatsappEnabled }
	});
	return { ok: true, settings };
}
