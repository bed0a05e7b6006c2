ALTER TYPE "public"."staff_role" ADD VALUE 'la_officer';--> statement-breakpoint
CREATE TABLE "la_attendance_rollup" (
	"pupil_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"academic_year" text NOT NULL,
	"term_name" text NOT NULL,
	"term_starts_on" date NOT NULL,
	"possible" integer NOT NULL,
	"attended" integer NOT NULL,
	CONSTRAINT "la_attendance_rollup_pupil_id_term_starts_on_pk" PRIMARY KEY("pupil_id","term_starts_on")
);
--> statement-breakpoint
CREATE TABLE "la_interventions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"kind" text NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"guardian_id" uuid NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"window_count" integer NOT NULL,
	"window_start" date NOT NULL,
	"window_end" date NOT NULL,
	"support" text NOT NULL,
	"support_details" text DEFAULT '' NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"improvement_weeks" smallint,
	"improvement_ends_on" date,
	"notice_number" smallint,
	"reduced_amount" integer,
	"reduced_by" date,
	"full_amount" integer,
	"pay_by" date,
	"issued_on" date,
	"paid_on" date,
	"amount_paid" integer,
	"decision_note" text,
	"requested_by" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "la_referral_notes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"referral_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"visible_to_school" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "la_referral_notes_body_length" CHECK (char_length("la_referral_notes"."body") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "la_referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"summary" text NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sent_by" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "la_referrals_summary_length" CHECK (char_length("la_referrals"."summary") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "la_rollup_state" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "la_attendance_rollup" ADD CONSTRAINT "la_attendance_rollup_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_attendance_rollup" ADD CONSTRAINT "la_attendance_rollup_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_interventions" ADD CONSTRAINT "la_interventions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_interventions" ADD CONSTRAINT "la_interventions_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_interventions" ADD CONSTRAINT "la_interventions_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_interventions" ADD CONSTRAINT "la_interventions_requested_by_staff_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_interventions" ADD CONSTRAINT "la_interventions_decided_by_staff_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_referral_notes" ADD CONSTRAINT "la_referral_notes_referral_id_la_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."la_referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_referral_notes" ADD CONSTRAINT "la_referral_notes_author_id_staff_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_referrals" ADD CONSTRAINT "la_referrals_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_referrals" ADD CONSTRAINT "la_referrals_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_referrals" ADD CONSTRAINT "la_referrals_sent_by_staff_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_referrals" ADD CONSTRAINT "la_referrals_decided_by_staff_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "la_rollup_state" ADD CONSTRAINT "la_rollup_state_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "la_attendance_rollup_year_idx" ON "la_attendance_rollup" USING btree ("academic_year","school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "la_interventions_reference_key" ON "la_interventions" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "la_interventions_guardian_pupil_idx" ON "la_interventions" USING btree ("guardian_id","pupil_id");--> statement-breakpoint
CREATE INDEX "la_interventions_school_idx" ON "la_interventions" USING btree ("school_id","requested_at");--> statement-breakpoint
CREATE INDEX "la_interventions_status_idx" ON "la_interventions" USING btree ("status","requested_at");--> statement-breakpoint
CREATE INDEX "la_referral_notes_referral_idx" ON "la_referral_notes" USING btree ("referral_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "la_referrals_reference_key" ON "la_referrals" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "la_referrals_school_idx" ON "la_referrals" USING btree ("school_id","sent_at");--> statement-breakpoint
CREATE INDEX "la_referrals_pupil_idx" ON "la_referrals" USING btree ("pupil_id");--> statement-breakpoint
CREATE INDEX "la_referrals_status_idx" ON "la_referrals" USING btree ("status","sent_at");