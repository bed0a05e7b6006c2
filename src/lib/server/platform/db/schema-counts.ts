/**
 * Personal days-missed messages with a randomised hold-out (docs/days-missed-messages.md): each
 * run, its draw (seed and every household's assignment, so the draw can be checked and repeated)
 * and the families staff excluded. Read only by features/campaigns: being held out of a run
 * changes nothing else a family gets.
 */
import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, date } from 'drizzle-orm/pg-core';
import { campaigns, guardians, pupils, schools, staffUsers } from './schema';

export const daysMissedRuns = pgTable(
	'days_missed_runs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		/** The completed half term the message reports on ("last half term"); one run per half term. */
		periodName: text('period_name').notNull(),
		periodFrom: date('period_from').notNull(),
		periodTo: date('period_to').notNull(),
		/** The school year's first day: "this year" runs from here to the day before the run. */
		yearFrom: date('year_from').notNull(),
		/** The last day counted in "this year". */
		figuresTo: date('figures_to').notNull(),
		thresholdPercent: integer('threshold_percent').notNull(),
		holdOutPercent: integer('hold_out_percent').notNull(),
		/** The draw's seed (hex): with the eligible households it reproduces every assignment. */
		seed: text('seed').notNull(),
		/** The one offer from the directory the message makes. */
		offer: jsonb('offer').$type<{ serviceId: string; service: string; contact: string } | null>(),
		/** Days missed this year by the school's typical (median) pupil. */
		typicalDays: doublePrecision('typical_days').notNull(),
		/** Half terms of this year before the reported one (for "better than before"). */
		earlierHalfTerms: integer('earlier_half_terms').notNull(),
		householdsExcluded: integer('households_excluded').notNull().default(0),
		createdBy: uuid('created_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Set once, when staff confirmed and the messages were queued. */
		confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
		confirmedBy: uuid('confirmed_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		/** The school day the messages went: the results count from here. */
		sentOn: date('sent_on'),
		/** The campaign row the messages belong to (delivery results on the campaigns page). */
		campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' })
	},
	(t) => [uniqueIndex('days_missed_runs_period_key').on(t.schoolId, t.periodFrom)]
);

export const daysMissedAssignments = pgTable(
	'days_missed_assignments',
	{
		runId: uuid('run_id')
			.notNull()
			.references(() => daysMissedRuns.id, { onDelete: 'cascade' }),
		householdKey: text('household_key').notNull(),
		/** The stratum: the band of the household's child with the lowest attendance. */
		band: text('band').notNull(),
		/** 'message' or 'hold_out'. */
		arm: text('arm').notNull(),
		pupilIds: jsonb('pupil_ids').$type<string[]>().notNull(),
		guardianIds: jsonb('guardian_ids').$type<string[]>().notNull(),
		recipientGuardianId: uuid('recipient_guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		/** Each child's figures when drawn (the message's figures, and the baseline of the results). */
		children: jsonb('children').$type<{ pupilId: string; firstName: string; percent: number | null; band: string | null; daysLastHalfTerm: number; daysThisYear: number }[]>().notNull(),
		/** The outbox row, once queued; null for the hold-out and for a family we cannot reach. */
		messageId: uuid('message_id')
	},
	(t) => [primaryKey({ columns: [t.runId, t.householdKey] })]
);

export const daysMissedExclusions = pgTable(
	'days_missed_exclusions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		/** bereavement | long_term_illness | safeguarding | other */
		reason: text('reason').notNull(),
		note: text('note'),
		createdBy: uuid('created_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('days_missed_exclusions_pupil_key').on(t.pupilId), index('days_missed_exclusions_school_idx').on(t.schoolId)]
);
