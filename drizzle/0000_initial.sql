CREATE TYPE "public"."contact_channel" AS ENUM('sms', 'telegram', 'push', 'email');--> statement-breakpoint
CREATE TYPE "public"."closure_kind" AS ENUM('inset', 'bank_holiday', 'closure');--> statement-breakpoint
CREATE TYPE "public"."closure_sessions" AS ENUM('AM', 'PM', 'BOTH');--> statement-breakpoint
CREATE TYPE "public"."mark_source" AS ENUM('csv_import', 'api', 'seed', 'staff');--> statement-breakpoint
CREATE TYPE "public"."register_session" AS ENUM('AM', 'PM');--> statement-breakpoint
CREATE TABLE "attendance_mark_amendments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"pupil_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"date" date NOT NULL,
	"session" "register_session" NOT NULL,
	"previous_code" text NOT NULL,
	"new_code" text NOT NULL,
	"reason" text NOT NULL,
	"amended_by" text NOT NULL,
	"amended_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance_marks" (
	"pupil_id" uuid NOT NULL,
	"date" date NOT NULL,
	"session" "register_session" NOT NULL,
	"school_id" uuid NOT NULL,
	"code" text NOT NULL,
	"minutes_late" smallint,
	"source" "mark_source" NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_marks_pupil_id_date_session_pk" PRIMARY KEY("pupil_id","date","session")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"school_id" uuid,
	"subject_type" text,
	"subject_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "guardians" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"phone" text,
	"email" text,
	"preferred_language" text DEFAULT 'en' NOT NULL,
	"preferred_channel" "contact_channel" DEFAULT 'sms' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "protected_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pupil_guardians" (
	"pupil_id" uuid NOT NULL,
	"guardian_id" uuid NOT NULL,
	"relationship" text NOT NULL,
	"lives_with" boolean DEFAULT true NOT NULL,
	"parental_responsibility" boolean DEFAULT true NOT NULL,
	"contact_priority" smallint DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pupil_guardians_pupil_id_guardian_id_pk" PRIMARY KEY("pupil_id","guardian_id")
);
--> statement-breakpoint
CREATE TABLE "pupils" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"mis_id" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"preferred_name" text,
	"date_of_birth" date,
	"year_group" smallint NOT NULL,
	"class_name" text,
	"joined_on" date,
	"left_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "register_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"source" "mark_source" NOT NULL,
	"filename" text,
	"status" text NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"marks_inserted" integer DEFAULT 0 NOT NULL,
	"marks_amended" integer DEFAULT 0 NOT NULL,
	"marks_unchanged" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"imported_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"date" date NOT NULL,
	"sessions" "closure_sessions" DEFAULT 'BOTH' NOT NULL,
	"kind" "closure_kind" NOT NULL,
	"description" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_terms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"academic_year" text NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"urn" text NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/London' NOT NULL,
	"am_register_opens" time DEFAULT '08:40' NOT NULL,
	"am_register_closes" time DEFAULT '09:15' NOT NULL,
	"pm_register_opens" time DEFAULT '13:00' NOT NULL,
	"pm_register_closes" time DEFAULT '13:30' NOT NULL,
	"reporting_cutoff" time DEFAULT '09:15' NOT NULL,
	"leave_notice_days" integer DEFAULT 14 NOT NULL,
	"lessons_per_day" integer DEFAULT 5 NOT NULL,
	"medical_evidence_after_days" integer DEFAULT 5 NOT NULL,
	"phone" text,
	"email" text,
	"mis_api_token_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attendance_mark_amendments" ADD CONSTRAINT "attendance_mark_amendments_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_mark_amendments" ADD CONSTRAINT "attendance_mark_amendments_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_marks" ADD CONSTRAINT "attendance_marks_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_marks" ADD CONSTRAINT "attendance_marks_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_periods" ADD CONSTRAINT "protected_periods_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_guardians" ADD CONSTRAINT "pupil_guardians_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_guardians" ADD CONSTRAINT "pupil_guardians_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupils" ADD CONSTRAINT "pupils_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_imports" ADD CONSTRAINT "register_imports_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_closures" ADD CONSTRAINT "school_closures_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_terms" ADD CONSTRAINT "school_terms_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendance_mark_amendments_pupil_idx" ON "attendance_mark_amendments" USING btree ("pupil_id","date");--> statement-breakpoint
CREATE INDEX "attendance_marks_school_date_idx" ON "attendance_marks" USING btree ("school_id","date");--> statement-breakpoint
CREATE INDEX "audit_log_school_at_idx" ON "audit_log" USING btree ("school_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "guardians_phone_key" ON "guardians" USING btree ("phone") WHERE "guardians"."phone" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "guardians_email_key" ON "guardians" USING btree (lower("email")) WHERE "guardians"."email" is not null;--> statement-breakpoint
CREATE INDEX "protected_periods_school_idx" ON "protected_periods" USING btree ("school_id");--> statement-breakpoint
CREATE INDEX "pupil_guardians_guardian_idx" ON "pupil_guardians" USING btree ("guardian_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pupils_school_mis_key" ON "pupils" USING btree ("school_id","mis_id");--> statement-breakpoint
CREATE INDEX "pupils_school_year_class_idx" ON "pupils" USING btree ("school_id","year_group","class_name");--> statement-breakpoint
CREATE INDEX "register_imports_school_idx" ON "register_imports" USING btree ("school_id","finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "school_closures_school_date_key" ON "school_closures" USING btree ("school_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "school_terms_school_start_key" ON "school_terms" USING btree ("school_id","starts_on");--> statement-breakpoint
CREATE INDEX "school_terms_school_year_idx" ON "school_terms" USING btree ("school_id","academic_year");--> statement-breakpoint
CREATE UNIQUE INDEX "schools_urn_key" ON "schools" USING btree ("urn");--> statement-breakpoint
CREATE UNIQUE INDEX "schools_slug_key" ON "schools" USING btree ("slug");