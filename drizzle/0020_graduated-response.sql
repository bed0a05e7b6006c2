CREATE TABLE "graduated_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"step" text NOT NULL,
	"point_key" text NOT NULL,
	"point_label" text NOT NULL,
	"status" text NOT NULL,
	"owner" text NOT NULL,
	"skip_reason" text,
	"skip_note" text,
	"figures" jsonb NOT NULL,
	"reason" jsonb NOT NULL,
	"taken_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "graduated_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"guardian_id" uuid,
	"step" text NOT NULL,
	"locale" text NOT NULL,
	"content" jsonb NOT NULL,
	"delivery" text NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "graduated_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"action_id" uuid,
	"starts_at" timestamp with time zone,
	"place" text DEFAULT '' NOT NULL,
	"with_whom" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"replied_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"attended" text,
	"notes" text,
	"recorded_by" uuid,
	"held_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "graduated_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"barriers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"child_view" text DEFAULT '' NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"review_on" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"parent_comment" text,
	"review_notes" text,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" uuid,
	"review_reminder_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "graduated_policies" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"policy" jsonb NOT NULL,
	"templates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "graduated_stages" (
	"pupil_id" uuid PRIMARY KEY NOT NULL,
	"school_id" uuid NOT NULL,
	"attendance_step" text,
	"lateness_step" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "graduated_actions" ADD CONSTRAINT "graduated_actions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_actions" ADD CONSTRAINT "graduated_actions_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_actions" ADD CONSTRAINT "graduated_actions_taken_by_staff_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_letters" ADD CONSTRAINT "graduated_letters_action_id_graduated_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."graduated_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_letters" ADD CONSTRAINT "graduated_letters_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_letters" ADD CONSTRAINT "graduated_letters_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_letters" ADD CONSTRAINT "graduated_letters_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_meetings" ADD CONSTRAINT "graduated_meetings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_meetings" ADD CONSTRAINT "graduated_meetings_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_meetings" ADD CONSTRAINT "graduated_meetings_action_id_graduated_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."graduated_actions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_meetings" ADD CONSTRAINT "graduated_meetings_recorded_by_staff_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_plans" ADD CONSTRAINT "graduated_plans_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_plans" ADD CONSTRAINT "graduated_plans_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_plans" ADD CONSTRAINT "graduated_plans_reviewed_by_staff_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_plans" ADD CONSTRAINT "graduated_plans_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_policies" ADD CONSTRAINT "graduated_policies_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_policies" ADD CONSTRAINT "graduated_policies_updated_by_staff_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_stages" ADD CONSTRAINT "graduated_stages_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_stages" ADD CONSTRAINT "graduated_stages_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "graduated_actions_pupil_step_point_key" ON "graduated_actions" USING btree ("pupil_id","step","point_key");--> statement-breakpoint
CREATE INDEX "graduated_actions_school_point_idx" ON "graduated_actions" USING btree ("school_id","point_key");--> statement-breakpoint
CREATE UNIQUE INDEX "graduated_letters_action_guardian_key" ON "graduated_letters" USING btree ("action_id","guardian_id");--> statement-breakpoint
CREATE INDEX "graduated_letters_pupil_idx" ON "graduated_letters" USING btree ("pupil_id","created_at");--> statement-breakpoint
CREATE INDEX "graduated_letters_guardian_idx" ON "graduated_letters" USING btree ("guardian_id") WHERE "graduated_letters"."guardian_id" is not null;--> statement-breakpoint
CREATE INDEX "graduated_meetings_pupil_idx" ON "graduated_meetings" USING btree ("pupil_id","created_at");--> statement-breakpoint
CREATE INDEX "graduated_meetings_school_idx" ON "graduated_meetings" USING btree ("school_id","status");--> statement-breakpoint
CREATE INDEX "graduated_plans_pupil_idx" ON "graduated_plans" USING btree ("pupil_id","created_at");--> statement-breakpoint
CREATE INDEX "graduated_plans_school_review_idx" ON "graduated_plans" USING btree ("school_id","status","review_on");