/**
 * The graduated response: the school's escalation policy, where each pupil stands on it, the
 * steps taken at each monitoring point (one per pupil, step and point: a second run takes none
 * twice), the letters each family got, meetings and plans of support.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, date, timestamp, jsonb, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { guardians, pupils, schools, staffUsers } from './schema';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** The school's policy (bands, ladder, lateness, review rule) and its edited letter templates. */
export const graduatedPolicies = pgTable('graduated_policies', {
	schoolId: uuid('school_id')
		.primaryKey()
		.references(() => schools.id, { onDelete: 'cascade' }),
	policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
	/** Edited English templates by letter step ({} = the defaults and their translations). */
	templates: jsonb('templates').$type<Record<string, { title: string; paragraphs: string[] }>>().notNull().default({}),
	updatedBy: uuid('updated_by').references(() => staffUsers.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** Where a pupil stands: the last step taken on the absence ladder and on the lateness ladder. */
export const graduatedStages = pgTable('graduated_stages', {
	pupilId: uuid('pupil_id')
		.primaryKey()
		.references(() => pupils.id, { onDelete: 'cascade' }),
	schoolId: uuid('school_id')
		.notNull()
		.references(() => schools.id, { onDelete: 'cascade' }),
	attendanceStep: text('attendance_step'),
	latenessStep: text('lateness_step'),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** A step taken (or skipped, with the reason) for one pupil at one monitoring point. */
export const graduatedActions = pgTable(
	'graduated_actions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		step: text('step').notNull(),
		/** 'attendance:2026-27:Autumn 1', 'lateness:2026-11-16', 'review:<plan id>'. */
		pointKey: text('point_key').notNull(),
		pointLabel: text('point_label').notNull(),
		status: text('status', { enum: ['taken', 'skipped'] }).notNull(),
		owner: text('owner').notNull(),
		skipReason: text('skip_reason'),
		skipNote: text('skip_note'),
		/** The figures the decision was made on (sessions and days, period and year, lates). */
		figures: jsonb('figures').$type<Record<string, number>>().notNull(),
		reason: jsonb('reason').$type<Record<string, unknown>>().notNull(),
		takenBy: uuid('taken_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('graduated_actions_pupil_step_point_key').on(t.pupilId, t.step, t.pointKey), index('graduated_actions_school_point_idx').on(t.schoolId, t.pointKey)]
);

/** A letter to one family about one step: its content as data, in the language it was written in. */
export const graduatedLetters = pgTable(
	'graduated_letters',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		actionId: uuid('action_id')
			.notNull()
			.references(() => graduatedActions.id, { onDelete: 'cascade' }),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		step: text('step').notNull(),
		locale: text('locale').notNull(),
		content: jsonb('content').$type<Record<string, unknown>>().notNull(),
		/** 'message': a short message with the link went on the family's channel; 'print': no phone or email, printed. */
		delivery: text('delivery', { enum: ['message', 'print'] }).notNull(),
		readAt: timestamp('read_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('graduated_letters_action_guardian_key').on(t.actionId, t.guardianId),
		index('graduated_letters_pupil_idx').on(t.pupilId, t.createdAt),
		index('graduated_letters_guardian_idx').on(t.guardianId).where(sql`${t.guardianId} is not null`)
	]
);

/** A meeting with the parents (invited, confirmed, asked for another time, held with notes). */
export const graduatedMeetings = pgTable(
	'graduated_meetings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		actionId: uuid('action_id').references(() => graduatedActions.id, { onDelete: 'set null' }),
		/** Null until a time is agreed ("we will phone you to agree a time"). */
		startsAt: timestamp('starts_at', { withTimezone: true }),
		place: text('place').notNull().default(''),
		withWhom: text('with_whom').notNull().default(''),
		status: text('status', { enum: ['to_arrange', 'invited', 'confirmed', 'another_time', 'held'] }).notNull(),
		/** When the parents were last invited to the time now set (a reply attaches to the latest invitation). */
		invitedAt: timestamp('invited_at', { withTimezone: true }),
		repliedAt: timestamp('replied_at', { withTimezone: true }),
		/** What the parent wrote with their reply ("Thursdays are better for me"). */
		replyNote: text('reply_note'),
		remindedAt: timestamp('reminded_at', { withTimezone: true }),
		/** Who came (free text: "Mum, class teacher, headteacher"); empty when the parents did not come. */
		attended: text('attended'),
		notes: text('notes'),
		recordedBy: uuid('recorded_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		heldAt: timestamp('held_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('graduated_meetings_pupil_idx').on(t.pupilId, t.createdAt), index('graduated_meetings_school_idx').on(t.schoolId, t.status)]
);

export interface PlanAction {
	id: string;
	who: 'school' | 'family' | 'service';
	text: string;
	/** A service from the support directory, by name (family and service actions). */
	service?: string | null;
	doneAt?: string | null;
}

/** A plan of support (Assess, Plan, Do, Review): barriers, the child's view, actions and the review. */
export const graduatedPlans = pgTable(
	'graduated_plans',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		barriers: jsonb('barriers').$type<string[]>().notNull().default([]),
		childView: text('child_view').notNull().default(''),
		actions: jsonb('actions').$type<PlanAction[]>().notNull().default([]),
		reviewOn: date('review_on', { mode: 'string' }).notNull(),
		status: text('status', { enum: ['active', 'improved', 'not_improved'] }).notNull().default('active'),
		reviewNotes: text('review_notes'),
		reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
		reviewedBy: uuid('reviewed_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		reviewReminderAt: timestamp('review_reminder_at', { withTimezone: true }),
		createdBy: uuid('created_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('graduated_plans_pupil_idx').on(t.pupilId, t.createdAt), index('graduated_plans_school_review_idx').on(t.schoolId, t.status, t.reviewOn)]
);

/**
 * The family's comments on a plan, each kept: the school reads every one in the plan's story,
 * not only the latest.
 */
export const graduatedPlanComments = pgTable(
	'graduated_plan_comments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		planId: uuid('plan_id')
			.notNull()
			.references(() => graduatedPlans.id, { onDelete: 'cascade' }),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		text: text('text').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('graduated_plan_comments_plan_idx').on(t.planId, t.createdAt)]
);
