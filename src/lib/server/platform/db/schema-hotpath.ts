/**
 * A report sent again for the same child and day (another text, the web form after a text, the
 * other parent): it is added to the first report, and each time is kept here as that report's
 * history, so the school sees one report and everything the family said.
 */
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { absenceReports, guardians } from './schema';

export const absenceReportAdditions = pgTable(
	'absence_report_additions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reportId: uuid('report_id')
			.notNull()
			.references(() => absenceReports.id, { onDelete: 'cascade' }),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		// Every channel a report can come by (the same list as the report's own channel).
		channel: text('channel', { enum: ['web', 'sms', 'telegram', 'phone', 'whatsapp'] }).notNull(),
		/** The reason and words of this sending, as the family gave them (the report keeps the first reason). */
		reason: text('reason').notNull(),
		details: text('details').notNull().default(''),
		/** Sessions this sending covered that the report did not yet. */
		sessionsAdded: integer('sessions_added').notNull().default(0),
		/** The sending's own key: its retry finds this row and adds nothing again. */
		idempotencyKey: text('idempotency_key').notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('absence_report_additions_idempotency_key').on(t.idempotencyKey), index('absence_report_additions_report_idx').on(t.reportId, t.receivedAt)]
);

export type AbsenceReportAdditionRow = typeof absenceReportAdditions.$inferSelect;
