CREATE TABLE "absence_report_sessions" (
	"report_id" uuid NOT NULL,
	"date" date NOT NULL,
	"session" "register_session" NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"suggested_code" text NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	CONSTRAINT "absence_report_sessions_report_id_date_session_pk" PRIMARY KEY("report_id","date","session")
);
--> statement-breakpoint
CREATE TABLE "absence_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"guardian_id" uuid,
	"reason" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"covers_through" date NOT NULL,
	"sessions" text DEFAULT 'BOTH' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"channel" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"withdrawn_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "absence_reports_details_length" CHECK (char_length("absence_reports"."details") <= 500),
	CONSTRAINT "absence_reports_dates" CHECK ("absence_reports"."ends_on" is null or "absence_reports"."ends_on" >= "absence_reports"."starts_on")
);
--> statement-breakpoint
ALTER TABLE "absence_report_sessions" ADD CONSTRAINT "absence_report_sessions_report_id_absence_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."absence_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_report_sessions" ADD CONSTRAINT "absence_report_sessions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_report_sessions" ADD CONSTRAINT "absence_report_sessions_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_reports" ADD CONSTRAINT "absence_reports_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_reports" ADD CONSTRAINT "absence_reports_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_reports" ADD CONSTRAINT "absence_reports_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_reports" ADD CONSTRAINT "absence_reports_acknowledged_by_staff_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "absence_report_sessions_school_date_idx" ON "absence_report_sessions" USING btree ("school_id","date");--> statement-breakpoint
CREATE INDEX "absence_report_sessions_pupil_date_idx" ON "absence_report_sessions" USING btree ("pupil_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "absence_reports_reference_key" ON "absence_reports" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "absence_reports_idempotency_key" ON "absence_reports" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "absence_reports_school_starts_idx" ON "absence_reports" USING btree ("school_id","starts_on");--> statement-breakpoint
CREATE INDEX "absence_reports_pupil_starts_idx" ON "absence_reports" USING btree ("pupil_id","starts_on");--> statement-breakpoint
CREATE INDEX "absence_reports_guardian_idx" ON "absence_reports" USING btree ("guardian_id","submitted_at");