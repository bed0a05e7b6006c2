/**
 * The one schema for both engines (PGlite embedded, PostgreSQL in production).
 * drizzle-kit generates the migrations in drizzle/ from this file.
 */
import { sql } from 'drizzle-orm';
import {
	pgTable,
	pgEnum,
	uuid,
	text,
	integer,
	boolean,
	date,
	time,
	timestamp,
	jsonb,
	bigserial,
	primaryKey,
	uniqueIndex,
	index,
	smallint,
	bigint,
	check
} from 'drizzle-orm/pg-core';
import type { CampaignReach } from '../../../domain/campaign-reach';

export const sessionEnum = pgEnum('register_session', ['AM', 'PM']);
export const closureSessionsEnum = pgEnum('closure_sessions', ['AM', 'PM', 'BOTH']);
export const closureKindEnum = pgEnum('closure_kind', ['inset', 'bank_holiday', 'closure']);
export const channelEnum = pgEnum('contact_channel', ['sms', 'telegram', 'push', 'email', 'whatsapp']);
export const markSourceEnum = pgEnum('mark_source', ['csv_import', 'api', 'seed', 'staff']);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const schools = pgTable(
	'schools',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** DfE unique reference number. */
		urn: text('urn').notNull(),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		timeZone: text('time_zone').notNull().default('Europe/London'),
		/** Local wall-clock times ('HH:MM:SS') in time_zone. */
		amRegisterOpens: time('am_register_opens').notNull().default('08:40'),
		amRegisterCloses: time('am_register_closes').notNull().default('09:15'),
		pmRegisterOpens: time('pm_register_opens').notNull().default('13:00'),
		pmRegisterCloses: time('pm_register_closes').notNull().default('13:30'),
		/** When the school day ends: with am_register_opens it gives the learning day that lateness is measured against. */
		schoolDayEnds: time('school_day_ends').notNull().default('15:15'),
		/** Reports for today after this local time are still accepted but flagged. */
		reportingCutoff: time('reporting_cutoff').notNull().default('09:15'),
		/** Leave of absence notice period, in calendar days (2 weeks = 14). */
		leaveNoticeDays: integer('leave_notice_days').notNull().default(14),
		lessonsPerDay: integer('lessons_per_day').notNull().default(5),
		/** Illness longer than this many school days may prompt a request for medical evidence. */
		medicalEvidenceAfterDays: integer('medical_evidence_after_days').notNull().default(5),
		/** The attendance percentages the school's letters quote in the time-lost table (e.g. {97, 95, 90}); null = 95, 90, 85, 75. */
		timeLostPercents: smallint('time_lost_percents').array(),
		/**
		 * Local time at which parents of pupils marked absent with no reason are messaged
		 * automatically (first day contact); null = staff send the messages themselves.
		 */
		firstDayContactAt: time('first_day_contact_at'),
		/** Which local authority's support directory the school's families are signposted to. */
		supportDirectory: text('support_directory').notNull().default('portsmouth'),
		phone: text('phone'),
		email: text('email'),
		/** SHA-256 (hex) of the bearer token an MIS uses to push marks; the token itself is never stored. */
		misApiTokenHash: text('mis_api_token_hash'),
		misApiTokenCreatedAt: timestamp('mis_api_token_created_at', { withTimezone: true }),
		/** Updated at most once a minute when the MIS calls, so staff can see the link is alive. */
		misApiTokenLastUsedAt: timestamp('mis_api_token_last_used_at', { withTimezone: true }),
		/** 'nursery' | 'primary' | 'middle' | 'secondary' | 'all_through' | 'special' | 'alternative_provision'. */
		phase: text('phase').notNull().default('primary'),
		/**
		 * Afternoon register times per key stage where they differ from the school's own
		 * ({ KS1: { opens: '12:45', closes: '13:15' } }); keys are 'EYFS', 'KS1'...'KS5'.
		 */
		pmRegisterByKeyStage: jsonb('pm_register_by_key_stage')
			.$type<Partial<Record<string, { opens: string; closes: string }>>>()
			.notNull()
			.default({}),
		/** Languages the school offers families (BCP 47 tags; always includes 'en'). */
		languages: jsonb('languages').$type<string[]>().notNull().default(['en']),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [uniqueIndex('schools_urn_key').on(t.urn), uniqueIndex('schools_slug_key').on(t.slug)]
);

/** Half terms ("Autumn 1"...). Holidays are the gaps between them. */
export const schoolTerms = pgTable(
	'school_terms',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		academicYear: text('academic_year').notNull(),
		name: text('name').notNull(),
		startsOn: date('starts_on', { mode: 'string' }).notNull(),
		endsOn: date('ends_on', { mode: 'string' }).notNull()
	},
	(t) => [
		uniqueIndex('school_terms_school_start_key').on(t.schoolId, t.startsOn),
		index('school_terms_school_year_idx').on(t.schoolId, t.academicYear)
	]
);

/** Days or half days inside a term when the school is not open to pupils (INSET, bank holidays, closures). */
export const schoolClosures = pgTable(
	'school_closures',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		date: date('date', { mode: 'string' }).notNull(),
		sessions: closureSessionsEnum('sessions').notNull().default('BOTH'),
		kind: closureKindEnum('kind').notNull(),
		description: text('description').notNull().default('')
	},
	(t) => [uniqueIndex('school_closures_school_date_key').on(t.schoolId, t.date)]
);

/** School-set protected periods (first half term, SATs week, assessment weeks) for leave rules. */
export const protectedPeriods = pgTable(
	'protected_periods',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		startsOn: date('starts_on', { mode: 'string' }).notNull(),
		endsOn: date('ends_on', { mode: 'string' }).notNull(),
		/** Year groups it applies to (0 = Reception); null = the whole school. */
		yearGroups: jsonb('year_groups').$type<number[] | null>()
	},
	(t) => [index('protected_periods_school_idx').on(t.schoolId)]
);

export interface PupilFlags {
	sen?: 'none' | 'support' | 'ehcp';
	fsm?: boolean;
	pupilPremium?: boolean;
	lookedAfter?: boolean;
	youngCarer?: boolean;
	eal?: boolean;
}

export const pupils = pgTable(
	'pupils',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		/** The school MIS's identifier for the pupil (UPN or admission number); how imports match rows. */
		misId: text('mis_id').notNull(),
		firstName: text('first_name').notNull(),
		lastName: text('last_name').notNull(),
		preferredName: text('preferred_name'),
		dateOfBirth: date('date_of_birth', { mode: 'string' }),
		/** 0 = Reception, 1..13 = Year 1..13, -1 = Nursery. */
		yearGroup: smallint('year_group').notNull(),
		className: text('class_name'),
		/** Admission date at this school (marks before it are not expected). */
		joinedOn: date('joined_on', { mode: 'string' }),
		leftOn: date('left_on', { mode: 'string' }),
		/**
		 * What the school's policies track, as the MIS sends it (only keys the MIS gave):
		 * sen ('none' | 'support' | 'ehcp'), fsm, pupilPremium, lookedAfter, youngCarer, eal.
		 */
		flags: jsonb('flags').$type<PupilFlags>().notNull().default({}),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('pupils_school_mis_key').on(t.schoolId, t.misId),
		index('pupils_school_year_class_idx').on(t.schoolId, t.yearGroup, t.className)
	]
);

/** A parent or carer. One person across every school in the deployment (matched on phone or email). */
export const guardians = pgTable(
	'guardians',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		firstName: text('first_name').notNull(),
		lastName: text('last_name').notNull(),
		/** E.164, e.g. +447700900123. */
		phone: text('phone'),
		email: text('email'),
		/** BCP 47 tag, e.g. 'en', 'pl', 'ro', 'ar', 'bn'. */
		preferredLanguage: text('preferred_language').notNull().default('en'),
		preferredChannel: channelEnum('preferred_channel').notNull().default('sms'),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('guardians_phone_key').on(t.phone).where(sql`${t.phone} is not null`),
		uniqueIndex('guardians_email_key').on(sql`lower(${t.email})`).where(sql`${t.email} is not null`)
	]
);

export const pupilGuardians = pgTable(
	'pupil_guardians',
	{
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		guardianId: uuid('guardian_id')
			.notNull()
			.references(() => guardians.id, { onDelete: 'cascade' }),
		relationship: text('relationship').notNull(),
		/** Only a parent the pupil normally lives with may apply for leave. */
		livesWith: boolean('lives_with').notNull().default(true),
		parentalResponsibility: boolean('parental_responsibility').notNull().default(true),
		/** 1 = first to contact. */
		contactPriority: smallint('contact_priority').notNull().default(1),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.pupilId, t.guardianId] }),
		index('pupil_guardians_guardian_idx').on(t.guardianId)
	]
);

/** One register mark per pupil per session. The MIS stays the register of record; these are its copy. */
export const attendanceMarks = pgTable(
	'attendance_marks',
	{
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		date: date('date', { mode: 'string' }).notNull(),
		session: sessionEnum('session').notNull(),
		/**
		 * Denormalised so a whole-school summary reads one index range. No foreign key of its own:
		 * the pupil's already holds the school (deleting a school deletes its pupils, and so their
		 * marks), and a second check per mark was a third of a year's import.
		 */
		schoolId: uuid('school_id').notNull(),
		code: text('code').notNull(),
		minutesLate: smallint('minutes_late'),
		/** What the MIS says of a B/K/P/V/Y mark ("Work experience at the college", "Flooded road"); null otherwise. */
		codeDetail: text('code_detail'),
		source: markSourceEnum('source').notNull(),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: updatedAt()
	},
	(t) => [
		primaryKey({ columns: [t.pupilId, t.date, t.session] }),
		index('attendance_marks_school_date_idx').on(t.schoolId, t.date)
	]
);

/** A changed mark keeps the original entry, the new one, the reason, when and who (kept 6 years). */
export const attendanceMarkAmendments = pgTable(
	'attendance_mark_amendments',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		date: date('date', { mode: 'string' }).notNull(),
		session: sessionEnum('session').notNull(),
		previousCode: text('previous_code').notNull(),
		newCode: text('new_code').notNull(),
		reason: text('reason').notNull(),
		/** Who sent the change: a staff user id, 'mis:<school>' or 'cli:<user>'. */
		amendedBy: text('amended_by').notNull(),
		/** The person the MIS says made the change and their role ("J. Smith", "Attendance officer"), when it says. */
		amendedByName: text('amended_by_name'),
		amendedByRole: text('amended_by_role'),
		amendedAt: timestamp('amended_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('attendance_mark_amendments_pupil_idx').on(t.pupilId, t.date)]
);

/** One row per register import (CSV upload or API push), with its outcome and per-row errors. */
export const registerImports = pgTable(
	'register_imports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		source: markSourceEnum('source').notNull(),
		filename: text('filename'),
		status: text('status', { enum: ['applied', 'rejected'] }).notNull(),
		rowsRead: integer('rows_read').notNull().default(0),
		marksInserted: integer('marks_inserted').notNull().default(0),
		marksAmended: integer('marks_amended').notNull().default(0),
		marksUnchanged: integer('marks_unchanged').notNull().default(0),
		errorCount: integer('error_count').notNull().default(0),
		/**
		 * The first errors, capped so a bad file cannot bloat the table: [{ row, code, ...values }]
		 * as the import reports them (rows written before errors were codes hold [{ row, message }]).
		 */
		errors: jsonb('errors').$type<({ row: number } & ({ code: string } | { message: string }))[]>().notNull().default([]),
		importedBy: text('imported_by').notNull(),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
		finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('register_imports_school_idx').on(t.schoolId, t.finishedAt)]
);

export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** 'guardian' | 'staff' | 'system' | 'mis' */
		actorType: text('actor_type').notNull(),
		actorId: text('actor_id'),
		action: text('action').notNull(),
		schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'set null' }),
		subjectType: text('subject_type'),
		subjectId: text('subject_id'),
		/** Never personal data beyond ids: this table outlives most records. */
		details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
		ip: text('ip')
	},
	(t) => [
		index('audit_log_school_at_idx').on(t.schoolId, t.at),
		index('audit_log_subject_idx').on(t.subjectType, t.subjectId)
	]
);

export type School = typeof schools.$inferSelect;
export type Pupil = typeof pupils.$inferSelect;
export type Guardian = typeof guardians.$inferSelect;
export type AttendanceMarkRow = typeof attendanceMarks.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Accounts, sessions and sign-in
// ---------------------------------------------------------------------------------------------

export const staffRoleEnum = pgEnum('staff_role', [
	'office',
	'attendance_lead',
	'headteacher',
	'school_admin',
	'la_admin',
	'la_officer'
]);
export const signInChannelEnum = pgEnum('sign_in_channel', ['sms', 'email']);

/** School staff (school_id set) and the local authority's staff (school_id null, role la_admin or la_officer). */
export const staffUsers = pgTable(
	'staff_users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		displayName: text('display_name').notNull(),
		role: staffRoleEnum('role').notNull(),
		/** argon2id PHC string. */
		passwordHash: text('password_hash').notNull(),
		/** TOTP key, AES-256-GCM encrypted with the app secret (see secrets.ts); null until enrolled. */
		totpKeyEncrypted: text('totp_key_encrypted'),
		/** Last TOTP time step accepted, so a code cannot be replayed within its window. */
		totpLastStep: bigint('totp_last_step', { mode: 'number' }),
		disabledAt: timestamp('disabled_at', { withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [uniqueIndex('staff_users_email_key').on(sql`lower(${t.email})`)]
);

/**
 * Sessions in the Lucia pattern: the cookie holds a random token; only its SHA-256 is stored,
 * so a leaked table cannot be replayed. Exactly one of guardian_id / staff_user_id is set.
 */
export const authSessions = pgTable(
	'auth_sessions',
	{
		/** Hex SHA-256 of the session token. */
		id: text('id').primaryKey(),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'cascade' }),
		staffUserId: uuid('staff_user_id').references(() => staffUsers.id, { onDelete: 'cascade' }),
		/** Staff sessions are only usable once the TOTP step has passed. */
		secondFactorVerified: boolean('second_factor_verified').notNull().default(false),
		createdAt: createdAt(),
		lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [
		index('auth_sessions_guardian_idx').on(t.guardianId),
		index('auth_sessions_staff_idx').on(t.staffUserId),
		check(
			'auth_sessions_one_subject',
			sql`(${t.guardianId} is null) <> (${t.staffUserId} is null)`
		)
	]
);

/** One-time sign-in codes for parents, sent by SMS or email. Only a hash of the code is kept. */
export const signInCodes = pgTable(
	'sign_in_codes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		guardianId: uuid('guardian_id')
			.notNull()
			.references(() => guardians.id, { onDelete: 'cascade' }),
		channel: signInChannelEnum('channel').notNull(),
		codeHash: text('code_hash').notNull(),
		attempts: integer('attempts').notNull().default(0),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		consumedAt: timestamp('consumed_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('sign_in_codes_guardian_idx').on(t.guardianId, t.createdAt)]
);

/** Fixed-window counters shared by every app instance (sign-in attempts per number, per IP...). */
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
	key: text('key').primaryKey(),
	windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
	hits: integer('hits').notNull()
});

/** A guardian's linked Telegram account (verified by a one-time link or a shared contact). */
export const telegramAccounts = pgTable(
	'telegram_accounts',
	{
		telegramUserId: bigint('telegram_user_id', { mode: 'number' }).primaryKey(),
		guardianId: uuid('guardian_id')
			.notNull()
			.references(() => guardians.id, { onDelete: 'cascade' }),
		chatId: bigint('chat_id', { mode: 'number' }).notNull(),
		linkedVia: text('linked_via', { enum: ['start_token', 'shared_contact'] }).notNull(),
		linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('telegram_accounts_guardian_idx').on(t.guardianId)]
);

/** One-time `t.me/<bot>?start=<token>` link tokens; only the hash is stored. */
export const telegramLinkTokens = pgTable('telegram_link_tokens', {
	tokenHash: text('token_hash').primaryKey(),
	guardianId: uuid('guardian_id')
		.notNull()
		.references(() => guardians.id, { onDelete: 'cascade' }),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	consumedAt: timestamp('consumed_at', { withTimezone: true }),
	createdAt: createdAt()
});

// ---------------------------------------------------------------------------------------------
// Outbound messages: a transactional outbox. A message is a row committed with the change that
// caused it; workers claim rows with FOR UPDATE SKIP LOCKED, so nothing is fired and forgotten.
// ---------------------------------------------------------------------------------------------

export const outboundStatusEnum = pgEnum('outbound_status', [
	'pending',
	'sending',
	'sent',
	'delivered',
	'failed',
	'dead'
]);

export const outboundMessages = pgTable(
	'outbound_messages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		channel: channelEnum('channel').notNull(),
		/** Phone (E.164), email address, Telegram chat id or push subscription id. */
		recipient: text('recipient').notNull(),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'set null' }),
		/** What it is for, e.g. 'sign_in_code', 'first_day_contact'. */
		purpose: text('purpose').notNull(),
		subject: text('subject'),
		body: text('body').notNull(),
		/** Makes enqueueing idempotent: the same key never produces a second message. */
		idempotencyKey: text('idempotency_key').notNull(),
		status: outboundStatusEnum('status').notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		/** A claimed row is leased until then; a crashed worker's rows are claimable again after. */
		leaseUntil: timestamp('lease_until', { withTimezone: true }),
		lastError: text('last_error'),
		providerMessageId: text('provider_message_id'),
		/** The campaign this message belongs to, for delivery results. */
		campaignId: uuid('campaign_id'),
		/** Answers offered with the message: Telegram shows them as buttons, SMS as numbered lines in the body. */
		choices: jsonb('choices').$type<string[]>(),
		/** Delivery status reported back by the provider (Twilio status callback): 'delivered', 'undelivered'... */
		providerStatus: text('provider_status'),
		/**
		 * Committed just before the provider call of the current attempt. A row whose worker died
		 * with this set may already have reached the parent: campaign messages are then not resent.
		 */
		sendStartedAt: timestamp('send_started_at', { withTimezone: true }),
		createdAt: createdAt(),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('outbound_messages_idempotency_key').on(t.idempotencyKey),
		index('outbound_messages_due_idx').on(t.status, t.nextAttemptAt),
		index('outbound_messages_guardian_idx').on(t.guardianId, t.createdAt),
		index('outbound_messages_campaign_idx').on(t.campaignId)
	]
);

export type StaffUser = typeof staffUsers.$inferSelect;
export type AuthSession = typeof authSessions.$inferSelect;
export type OutboundMessage = typeof outboundMessages.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Absence reports (docs/domain-rules.md §5): a parent reports a reason for one child; the sessions it covers
// are rows of their own so the staff board reads one (school_id, date) index range.
// ---------------------------------------------------------------------------------------------

export const absenceReports = pgTable(
	'absence_reports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Short human reference shown to the parent, e.g. 'AB3-7KQ'. */
		reference: text('reference').notNull(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		/** The reporting guardian (kept as null if the account is later removed). */
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		reason: text('reason', {
			enum: [
				'illness',
				'mental_health',
				'medical_appointment',
				'religious_observance',
				'family_emergency',
				'bereavement',
				'other'
			]
		}).notNull(),
		details: text('details').notNull().default(''),
		startsOn: date('starts_on', { mode: 'string' }).notNull(),
		/** null = until further notice (extended by daily check-ins). */
		endsOn: date('ends_on', { mode: 'string' }),
		/** The last date the report's session rows reach. */
		coversThrough: date('covers_through', { mode: 'string' }).notNull(),
		sessions: text('sessions', { enum: ['AM', 'PM', 'BOTH'] }).notNull().default('BOTH'),
		/**
		 * Part of a day (one-day reports only): 'late_arrival' (in by `arrives_by`), 'leaving_early'
		 * (leaves at `leaves_at`, not back), 'appointment' (leaves at `leaves_at`, back by
		 * `returns_at`). Null: whole sessions as `sessions` says (a morning, an afternoon, the day).
		 * The times are the school's local wall clock. Only sessions the child actually misses at
		 * registration get session rows: present at registration and leaving later is not absent.
		 */
		partDay: text('part_day', { enum: ['late_arrival', 'leaving_early', 'appointment'] }),
		arrivesBy: time('arrives_by'),
		leavesAt: time('leaves_at'),
		returnsAt: time('returns_at'),
		status: text('status', { enum: ['open', 'acknowledged', 'withdrawn'] }).notNull().default('open'),
		channel: text('channel', { enum: ['web', 'sms', 'telegram', 'phone', 'whatsapp'] }).notNull(),
		/** Client-chosen key (offline retries, webhook redeliveries): the same key never makes a second report. */
		idempotencyKey: text('idempotency_key').notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
		/** Some session was reported after its register closed. */
		late: boolean('late').notNull().default(false),
		acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
		acknowledgedBy: uuid('acknowledged_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('absence_reports_reference_key').on(t.reference),
		uniqueIndex('absence_reports_idempotency_key').on(t.idempotencyKey),
		index('absence_reports_school_starts_idx').on(t.schoolId, t.startsOn),
		index('absence_reports_pupil_starts_idx').on(t.pupilId, t.startsOn),
		index('absence_reports_guardian_idx').on(t.guardianId, t.submittedAt),
		check('absence_reports_details_length', sql`char_length(${t.details}) <= 500`),
		check('absence_reports_dates', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
		check(
			'absence_reports_part_day_times',
			sql`(${t.partDay} is null and ${t.arrivesBy} is null and ${t.leavesAt} is null and ${t.returnsAt} is null)
			 or (${t.partDay} = 'late_arrival' and ${t.arrivesBy} is not null and ${t.leavesAt} is null and ${t.returnsAt} is null)
			 or (${t.partDay} = 'leaving_early' and ${t.leavesAt} is not null and ${t.arrivesBy} is null and ${t.returnsAt} is null)
			 or (${t.partDay} = 'appointment' and ${t.leavesAt} is not null and ${t.returnsAt} is not null and ${t.arrivesBy} is null and ${t.returnsAt} > ${t.leavesAt})`
		)
	]
);

export const absenceReportSessions = pgTable(
	'absence_report_sessions',
	{
		reportId: uuid('report_id')
			.notNull()
			.references(() => absenceReports.id, { onDelete: 'cascade' }),
		date: date('date', { mode: 'string' }).notNull(),
		session: sessionEnum('session').notNull(),
		/** Denormalised for the staff board and first-day contact (one index range per school day). */
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		suggestedCode: text('suggested_code').notNull(),
		late: boolean('late').notNull().default(false)
	},
	(t) => [
		primaryKey({ columns: [t.reportId, t.date, t.session] }),
		index('absence_report_sessions_school_date_idx').on(t.schoolId, t.date),
		index('absence_report_sessions_pupil_date_idx').on(t.pupilId, t.date)
	]
);

export type AbsenceReportRow = typeof absenceReports.$inferSelect;
export type AbsenceReportSessionRow = typeof absenceReportSessions.$inferSelect;

/**
 * First day contact (docs/domain-rules.md §5): the school asked the parents of a pupil marked absent with no
 * reason why they are off. One row per pupil per day, so a message is never sent twice.
 */
export const firstDayContacts = pgTable(
	'first_day_contacts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' }),
		date: date('date', { mode: 'string' }).notNull(),
		/** null = sent automatically at the school's first day contact time. */
		sentBy: uuid('sent_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
		/** How many guardians were messaged. */
		recipients: integer('recipients').notNull()
	},
	(t) => [
		uniqueIndex('first_day_contacts_pupil_date_key').on(t.pupilId, t.date),
		index('first_day_contacts_school_date_idx').on(t.schoolId, t.date)
	]
);

export type FirstDayContactRow = typeof firstDayContacts.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Support directory (docs/domain-rules.md §8): a local authority's services, editable by its admin (import and
// export as JSON) so another authority can load its own.
// ---------------------------------------------------------------------------------------------

export const supportDirectories = pgTable('support_directories', {
	/** e.g. 'portsmouth'; schools.support_directory points here. */
	slug: text('slug').primaryKey(),
	name: text('name').notNull(),
	/** Where the information comes from (shown to families). */
	source: text('source').notNull(),
	updatedAt: updatedAt()
});

export const supportServices = pgTable(
	'support_services',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		directorySlug: text('directory_slug')
			.notNull()
			.references(() => supportDirectories.slug, { onDelete: 'cascade', onUpdate: 'cascade' }),
		/** One of SUPPORT_CATEGORIES (src/lib/domain/signposting.ts). */
		category: text('category').notNull(),
		name: text('name').notNull(),
		overview: text('overview').notNull(),
		/** Only a link the source gives: never invented. */
		link: text('link'),
		/** An email address or phone number, when the source gives one instead of a link. */
		contact: text('contact'),
		/** The organisation behind the service. */
		source: text('source').notNull(),
		/** The source document's footnote number, when there is one. */
		ref: integer('ref'),
		/** A specialist service's needs ("hearing", "eyesight"): suggested only when a family names one; null = anything in its category. */
		topics: jsonb('topics').$type<string[]>(),
		/** One of SUPPORT_AUDIENCES: families, children_young_people or professionals (never offered to families). */
		audience: text('audience').notNull().default('families'),
		/** The ages the service takes, in years, both ends included; null = open (what the source says, never guessed). */
		minAge: smallint('min_age'),
		maxAge: smallint('max_age'),
		position: integer('position').notNull()
	},
	(t) => [index('support_services_directory_idx').on(t.directorySlug, t.category, t.position)]
);

export type SupportServiceRow = typeof supportServices.$inferSelect;

// ---------------------------------------------------------------------------------------------
// SMS and Telegram conversations
// ---------------------------------------------------------------------------------------------

export const conversationChannelEnum = pgEnum('conversation_channel', ['sms', 'telegram', 'whatsapp']);

/** Where a conversation stands, so a restart mid-conversation loses nothing. */
export const conversations = pgTable(
	'conversations',
	{
		channel: conversationChannelEnum('channel').notNull(),
		/** E.164 phone for SMS, chat id for Telegram. */
		address: text('address').notNull(),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'cascade' }),
		state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
		updatedAt: updatedAt()
	},
	(t) => [primaryKey({ columns: [t.channel, t.address] })]
);

/** Inbound messages already handled, by the provider's id: Twilio and Telegram retry deliveries. */
export const inboundMessages = pgTable(
	'inbound_messages',
	{
		channel: conversationChannelEnum('channel').notNull(),
		providerMessageId: text('provider_message_id').notNull(),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.channel, t.providerMessageId] })]
);

/** Numbers that texted STOP: no SMS to them until they text START. */
export const smsOptOuts = pgTable('sms_opt_outs', {
	phone: text('phone').primaryKey(),
	optedOutAt: timestamp('opted_out_at', { withTimezone: true }).notNull().defaultNow()
});

// ---------------------------------------------------------------------------------------------
// Leave of absence (docs/domain-rules.md §6)
// ---------------------------------------------------------------------------------------------

export const leaveStatusEnum = pgEnum('leave_status', ['submitted', 'more_information', 'approved', 'partly_approved', 'declined', 'withdrawn']);

export const leaveRequests = pgTable(
	'leave_requests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reference: text('reference').notNull(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		guardianId: uuid('guardian_id').references(() => guardians.id, { onDelete: 'set null' }),
		/** One of LEAVE_TYPES (src/lib/domain/leave.ts). */
		type: text('type').notNull(),
		reason: text('reason').notNull(),
		startsOn: date('starts_on', { mode: 'string' }).notNull(),
		endsOn: date('ends_on', { mode: 'string' }).notNull(),
		schoolDays: integer('school_days').notNull(),
		status: leaveStatusEnum('status').notNull().default('submitted'),
		/** The school's question, and the parent's answer, when more information was asked for. */
		question: text('question'),
		answer: text('answer'),
		approvedFrom: date('approved_from', { mode: 'string' }),
		approvedTo: date('approved_to', { mode: 'string' }),
		/**
		 * The code for each agreed date, when the decision gives days different codes (religious
		 * observance: R only for the day set apart, C for other days agreed as exceptional); a date
		 * not listed was not agreed. Null: every date from approved_from to approved_to has the type's code.
		 */
		decisionCodes: jsonb('decision_codes').$type<Record<string, string>>(),
		/** What the rules told the parent before they sent it (level + finding), so the headteacher sees the same. */
		parentFindings: jsonb('parent_findings').$type<{ level: 'info' | 'warning'; finding: Record<string, unknown> }[]>(),
		decisionNote: text('decision_note'),
		decidedBy: uuid('decided_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		/** When the retention job deleted this request's documents (EVIDENCE_RETENTION_DAYS after the last day). */
		evidenceDeletedAt: timestamp('evidence_deleted_at', { withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('leave_requests_reference_key').on(t.reference),
		index('leave_requests_school_status_idx').on(t.schoolId, t.status, t.startsOn),
		index('leave_requests_guardian_idx').on(t.guardianId, t.createdAt)
	]
);

export const leaveRequestPupils = pgTable(
	'leave_request_pupils',
	{
		requestId: uuid('request_id')
			.notNull()
			.references(() => leaveRequests.id, { onDelete: 'cascade' }),
		pupilId: uuid('pupil_id')
			.notNull()
			.references(() => pupils.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.requestId, t.pupilId] }), index('leave_request_pupils_pupil_idx').on(t.pupilId)]
);

/** Evidence files: the bytes live encrypted (AES-256-GCM) in storage; this row says what they are. */
export const leaveEvidence = pgTable(
	'leave_evidence',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		requestId: uuid('request_id')
			.notNull()
			.references(() => leaveRequests.id, { onDelete: 'cascade' }),
		/** What the parent called it (shown, never used as a path). */
		originalName: text('original_name').notNull(),
		/** Sniffed from the bytes. */
		mimeType: text('mime_type').notNull(),
		size: integer('size').notNull(),
		/** Where the ciphertext is in the evidence store (a random key, see evidence-store.ts). */
		storageKey: text('storage_key'),
		/**
		 * Only files uploaded before the evidence store existed: base64(iv | tag | ciphertext). The
		 * scheduler moves them into the store and clears this, so it is null for every row after that.
		 */
		encrypted: text('encrypted'),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('leave_evidence_request_idx').on(t.requestId), uniqueIndex('leave_evidence_storage_key').on(t.storageKey)]
);

export type LeaveRequestRow = typeof leaveRequests.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Web push and Every Day Counts campaigns (docs/domain-rules.md §9)
// ---------------------------------------------------------------------------------------------

/** A browser a parent asked to get notifications on. Removed when the push service says it is gone (404/410). */
export const pushSubscriptions = pgTable(
	'push_subscriptions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		guardianId: uuid('guardian_id')
			.notNull()
			.references(() => guardians.id, { onDelete: 'cascade' }),
		endpoint: text('endpoint').notNull(),
		p256dh: text('p256dh').notNull(),
		auth: text('auth').notNull(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('push_subscriptions_endpoint_key').on(t.endpoint), index('push_subscriptions_guardian_idx').on(t.guardianId)]
);

export const campaigns = pgTable(
	'campaigns',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		/** With merge fields: {firstName}, {attendance}, {daysMissed}. */
		body: text('body').notNull(),
		/** Versions in parents' languages ({ pl: { title, body }, ... }); families without one get the English. */
		translations: jsonb('translations').$type<Partial<Record<string, { title: string; body: string }>>>().notNull().default({}),
		/** { kind: 'school' } | { kind: 'year', yearGroup } | { kind: 'class', className } | { kind: 'band', band } */
		audience: jsonb('audience').$type<Record<string, unknown>>().notNull(),
		channels: jsonb('channels').$type<string[]>().notNull(),
		excludedGuardianIds: jsonb('excluded_guardian_ids').$type<string[]>().notNull().default([]),
		createdBy: uuid('created_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		sendAt: timestamp('send_at', { withTimezone: true }).notNull(),
		/** Set when the messages were queued (once). */
		queuedAt: timestamp('queued_at', { withTimezone: true }),
		/** Written with queuedAt: families in the audience, reached, and why the others were not (domain/campaign-reach.ts). */
		reach: jsonb('reach').$type<CampaignReach>(),
		/** A scheduled campaign staff cancelled before it was due: it is never queued. */
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		cancelledBy: uuid('cancelled_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('campaigns_school_idx').on(t.schoolId, t.createdAt)]
);


// ---------------------------------------------------------------------------------------------
// Schools joining: staff invitations, roster imports from the MIS, parents' contact changes
// ---------------------------------------------------------------------------------------------

/**
 * An emailed invitation to join a school's staff. Only a hash of the link's token is stored.
 * The authenticator key is chosen when the invitee first opens the link (kept encrypted here)
 * so the QR code they scan is the one their first code is checked against.
 */
export const staffInvitations = pgTable(
	'staff_invitations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		displayName: text('display_name').notNull(),
		role: staffRoleEnum('role').notNull(),
		tokenHash: text('token_hash').notNull(),
		pendingTotpKeyEncrypted: text('pending_totp_key_encrypted'),
		/** Who sent it: the LA admin for a school's first staff, then the headteacher. */
		invitedBy: uuid('invited_by').references(() => staffUsers.id, { onDelete: 'set null' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		acceptedStaffUserId: uuid('accepted_staff_user_id').references(() => staffUsers.id, { onDelete: 'set null' }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('staff_invitations_token_key').on(t.tokenHash), index('staff_invitations_school_idx').on(t.schoolId, t.createdAt)]
);

/** How a school's MIS names a contact, so the next import finds the same guardian after a phone change. */
export const guardianMisRefs = pgTable(
	'guardian_mis_refs',
	{
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		misContactId: text('mis_contact_id').notNull(),
		guardianId: uuid('guardian_id')
			.notNull()
			.references(() => guardians.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.schoolId, t.misContactId] }), index('guardian_mis_refs_guardian_idx').on(t.guardianId)]
);

/** One row per roster import that was applied or rejected (previews write nothing). */
export const rosterImports = pgTable(
	'roster_imports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		source: markSourceEnum('source').notNull(),
		status: text('status', { enum: ['applied', 'rejected'] }).notNull(),
		/** Counts only: { pupilsAdded, pupilsUpdated, pupilsLeft, guardiansAdded, ... }. */
		summary: jsonb('summary').$type<Record<string, number>>().notNull().default({}),
		/** [{ file, row, code, ...values }] as the roster reports them (rows written before errors were codes hold [{ file, row, message }]). */
		errors: jsonb('errors').$type<({ file: string; row: number } & ({ code: string } | { message: string }))[]>().notNull().default([]),
		importedBy: text('imported_by').notNull(),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
		finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('roster_imports_school_idx').on(t.schoolId, t.finishedAt)]
);

/**
 * A parent asking to change their phone, email or preferred language. The school changes it in
 * its MIS; the next roster import that carries the new value confirms the request.
 */
export const contactChangeRequests = pgTable(
	'contact_change_requests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		guardianId: uuid('guardian_id')
			.notNull()
			.references(() => guardians.id, { onDelete: 'cascade' }),
		schoolId: uuid('school_id')
			.notNull()
			.references(() => schools.id, { onDelete: 'cascade' }),
		phone: text('phone'),
		email: text('email'),
		preferredLanguage: text('preferred_language'),
		status: text('status', { enum: ['open', 'confirmed', 'withdrawn'] }).notNull().default('open'),
		confirmedByImportId: uuid('confirmed_by_import_id'),
		createdAt: createdAt(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true })
	},
	(t) => [index('contact_change_requests_school_idx').on(t.schoolId, t.status), index('contact_change_requests_guardian_idx').on(t.guardianId)]
);
export * from './schema-counts';
export * from './schema-scale';
export * from './schema-hotpath';
export * from './schema-la';
export * from './schema-channels';
export * from './schema-graduated';
