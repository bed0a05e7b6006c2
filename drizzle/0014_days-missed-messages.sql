CREATE TABLE "days_missed_assignments" (
	"run_id" uuid NOT NULL,
	"household_key" text NOT NULL,
	"band" text NOT NULL,
	"arm" text NOT NULL,
	"pupil_ids" jsonb NOT NULL,
	"guardian_ids" jsonb NOT NULL,
	"recipient_guardian_id" uuid,
	"children" jsonb NOT NULL,
	"message_id" uuid,
	CONSTRAINT "days_missed_assignments_run_id_household_key_pk" PRIMARY KEY("run_id","household_key")
);
--> statement-breakpoint
CREATE TABLE "days_missed_exclusions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "days_missed_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"period_name" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"year_from" date NOT NULL,
	"figures_to" date NOT NULL,
	"threshold_percent" integer NOT NULL,
	"hold_out_percent" integer NOT NULL,
	"seed" text NOT NULL,
	"offer" jsonb,
	"typical_days" double precision NOT NULL,
	"earlier_half_terms" integer NOT NULL,
	"households_excluded" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" uuid,
	"sent_on" date,
	"campaign_id" uuid
);
--> statement-breakpoint
ALTER TABLE "days_missed_assignments" ADD CONSTRAINT "days_missed_assignments_run_id_days_missed_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."days_missed_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_assignments" ADD CONSTRAINT "days_missed_assignments_recipient_guardian_id_guardians_id_fk" FOREIGN KEY ("recipient_guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_exclusions" ADD CONSTRAINT "days_missed_exclusions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_exclusions" ADD CONSTRAINT "days_missed_exclusions_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_exclusions" ADD CONSTRAINT "days_missed_exclusions_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_runs" ADD CONSTRAINT "days_missed_runs_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_runs" ADD CONSTRAINT "days_missed_runs_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_runs" ADD CONSTRAINT "days_missed_runs_confirmed_by_staff_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "days_missed_runs" ADD CONSTRAINT "days_missed_runs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "days_missed_exclusions_pupil_key" ON "days_missed_exclusions" USING btree ("pupil_id");--> statement-breakpoint
CREATE INDEX "days_missed_exclusions_school_idx" ON "days_missed_exclusions" USING btree ("school_id");--> statement-breakpoint
CREATE UNIQUE INDEX "days_missed_runs_period_key" ON "days_missed_runs" USING btree ("school_id","period_from");