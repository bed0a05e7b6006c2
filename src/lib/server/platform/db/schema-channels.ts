/**
 * The school's phone absence line (Twilio Voice): each call, what the caller chose, and the
 * recordings staff listen to. The school's own numbers per channel live here too, so a call (or a
 * WhatsApp message) to a number tells us which school it is for.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { absenceReports, guardians, schools, staffUsers } from './schema';

/** A school's numbers as Twilio knows them (E.164), and whether WhatsApp is offered to its families. */
export const schoolChannels = pgTable(
	'school_channels',
	{
		schoolId: uuid('school_id')
			.primaryKey()
			.references(() => schools.id, { onDelete: 'cascade' }),
		smsNumber: text('sms_number'),
		whatsappNumber: text('whatsapp_number'),
		voiceNumber: text('voice_number'),
		whatsappEnabled: boolean('whatsapp_enabled').notNull().default(false),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('school_channels_voice_key').on(t.voiceNumber).where(sql`${t.voiceNumber} is not null`)]
);

/**
 * One phone call, keyed by Twilio's CallSid: a webhook repeated for the same call finds the same
 * row, so a call stores at most one report and one recording. `state` is where the caller is in
 * the menu. A recording (a voicemail, or a parent's own words after a report) waits on the staff
 * board until someone marks it handled.
 */
export const voiceCalls = pgTable(
	'voice_calls',
	{
		callSid: text('call_sid').primaryKey(),
		schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'cascade' }),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		fromNumber: text('from_number').notNull(),
		state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
		/** 'menu' (choosing), 'reported' (a report was stored), 'voicemail' (a message for the office), 'ended'. */
		outcome: text('outcome', { enum: ['menu', 'reported', 'voicemail', 'ended'] }).notNull().default('menu'),
		/** Why it went to voicemail: 'unknown_caller', 'asked_for_person', 'not_understood', 'not_recorded'. */
		voicemailReason: text('voicemail_reason'),
		reportId: uuid('report_id').references(() => absenceReports.id, { onDelete: 'set null' }),
		reportReference: text('report_reference'),
		recordingSid: text('recording_sid'),
		/** Twilio's recording resource (https://api.twilio.com/...); fetched with the account's credentials, never shown. */
		recordingUrl: text('recording_url'),
		recordingSeconds: integer('recording_seconds'),
		recordedAt: timestamp('recorded_at', { withTimezone: true }),
		handledAt: timestamp('handled_at', { withTimezone: true }),
		handledBy: uuid('handled_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('voice_calls_school_recorded_idx').on(t.schoolId, t.recordedAt)]
);

export type VoiceCall = typeof voiceCalls.$inferSelect;

/**
 * A WhatsApp number's standing with us: when it last wrote (WhatsApp lets a business answer
 * freely for 24 hours after that; outside it only approved templates), when the guardian opted in
 * to messages from the school, and STOP. Keyed by the number (E.164, without "whatsapp:").
 */
export const whatsappContacts = pgTable('whatsapp_contacts', {
	phone: text('phone').primaryKey(),
	guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
	lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
	optedInAt: timestamp('opted_in_at', { withTimezone: true }),
	optedOutAt: timestamp('opted_out_at', { withTimezone: true })
});
