/**
 * The local authority's side: referrals from schools with their evidence and case notes, and
 * notices to improve and penalty notices (docs/domain-rules.md §7, §9).
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { guardians, pupils, schools, staffUsers } from './schema';

/**
 * A school's referral of one pupil to the local authority. The evidence is the snapshot the
 * school sent (what the LA officer read when deciding), not a live view.
 */
export const laReferrals = pgTable(
	'la_referrals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Short reference both sides quote, e.g. 'LA-7KQ3MX'. */
		reference: text('reference').notNull(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		/**
		 * 'submitted' (waiting for the LA), 'question' (the LA asked the school something),
		 * 'returned' (sent back with a reason), 'accepted'.
		 */
		status: text('status', { enum: ['submitted', 'question', 'returned', 'accepted'] })
			.notNull()
			.default('submitted'),
		/** The school's summary of why it refers now. */
		summary: text('summary').notNull(),
		/** The evidence sections as assembled when the school sent it (features/local-authority/evidence.ts). */
		evidence: jsonb('evidence').$type<unknown[]>().notNull().default([]),
		sentBy: uuid('sent_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
		decidedBy: uuid('decided_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('la_referrals_reference_key').on(t.reference),
		index('la_referrals_school_idx').on(t.schoolId, t.sentAt),
		index('la_referrals_pupil_idx').on(t.pupilId),
		index('la_referrals_status_idx').on(t.status, t.sentAt),
		check('la_referrals_summary_length', sql`char_length(${t.summary}) between 1 and 2000`)
	]
);

/** What was said on a referral: the LA's questions, the school's answers, the decision's reason, case notes. */
export const laReferralNotes = pgTable(
	'la_referral_notes',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		referralId: uuid('referral_id')
			.notNull()
			.references(() => laReferrals.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ['question', 'answer', 'returned', 'accepted', 'case_note'] }).notNull(),
		authorId: uuid('author_id').references(() => staffUsers.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		/** Case notes are the LA's own; everything else is part of the conversation with the school. */
		visibleToSchool: boolean('visible_to_school').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('la_referral_notes_referral_idx').on(t.referralId, t.createdAt),
		check('la_referral_notes_body_length', sql`char_length(${t.body}) between 1 and 2000`)
	]
);

/**
 * A notice to improve or a penalty notice, from the school's request to its outcome, for one
 * parent and one child (domain/legal-intervention.ts). Amounts are whole pounds.
 */
export const laInterventions = pgTable(
	'la_interventions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reference: text('reference').notNull(),
		kind: text('kind', { enum: ['notice_to_improve', 'penalty_notice'] }).notNull(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		guardianId: uuid('guardian_id')
			.notNull()
			.references(() => guardians.id, { onDelete: 'cascade' }),
		status: text('status', {
			enum: ['requested', 'refused', 'issued', 'paid', 'unpaid', 'withdrawn', 'improved', 'not_improved']
		})
			.notNull()
			.default('requested'),
		/** The rolling window when the school asked. */
		windowCount: integer('window_count').notNull(),
		windowStart: date('window_start', { mode: 'string' }).notNull(),
		windowEnd: date('window_end', { mode: 'string' }).notNull(),
		support: text('support', { enum: ['offered', 'not_appropriate', 'not_offered'] }).notNull(),
		/** What support was offered, or why it was not appropriate. */
		supportDetails: text('support_details').notNull().default(''),
		/** What the rules found when the school asked ([] = the request meets the Framework). */
		findings: jsonb('findings').$type<Record<string, unknown>[]>().notNull().default([]),
		improvementWeeks: smallint('improvement_weeks'),
		improvementEndsOn: date('improvement_ends_on', { mode: 'string' }),
		/** 1 or 2: a first or second penalty notice within 3 years. */
		noticeNumber: smallint('notice_number'),
		reducedAmount: integer('reduced_amount'),
		reducedBy: date('reduced_by', { mode: 'string' }),
		fullAmount: integer('full_amount'),
		payBy: date('pay_by', { mode: 'string' }),
		issuedOn: date('issued_on', { mode: 'string' }),
		paidOn: date('paid_on', { mode: 'string' }),
		amountPaid: integer('amount_paid'),
		/** The LA's reason for refusing or withdrawing, or its note on the outcome. */
		decisionNote: text('decision_note'),
		requestedBy: uuid('requested_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
		decidedBy: uuid('decided_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('la_interventions_reference_key').on(t.reference),
		index('la_interventions_guardian_pupil_idx').on(t.guardianId, t.pupilId),
		index('la_interventions_school_idx').on(t.schoolId, t.requestedAt),
		index('la_interventions_status_idx').on(t.status, t.requestedAt)
	]
);

export type LaReferralRow = typeof laReferrals.$inferSelect;
export type LaReferralNoteRow = typeof laReferralNotes.$inferSelect;
export type LaInterventionRow = typeof laInterventions.$inferSelect;

/**
 * Each pupil's possible and attended sessions per half term, so the view across schools reads
 * tens of thousands of rows rather than a year of marks (millions). Refreshed per school from the
 * marks (features/local-authority/overview.ts) when the school's register changes.
 */
export const laAttendanceRollup = pgTable(
	'la_attendance_rollup',
	{
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		academicYear: text('academic_year').notNull(),
		termName: text('term_name').notNull(),
		termStartsOn: date('term_starts_on', { mode: 'string' }).notNull(),
		possible: integer('possible').notNull(),
		attended: integer('attended').notNull()
	},
	(t) => [primaryKey({ columns: [t.pupilId, t.termStartsOn] }), index('la_attendance_rollup_year_idx').on(t.academicYear, t.schoolId)]
);

/** When each school's rollup was last rebuilt. */
export const laRollupState = pgTable('la_rollup_state', {
	schoolId: uuid('school_id')
		.primaryKey()
		.references(() => schools.id, { onDelete: 'cascade' }),
	refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull()
});
