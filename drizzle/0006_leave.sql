CREATE TYPE "public"."leave_status" AS ENUM('submitted', 'more_information', 'approved', 'partly_approved', 'declined', 'withdrawn');--> statement-breakpoint
CREATE TABLE "leave_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"original_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size" integer NOT NULL,
	"encrypted" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leave_request_pupils" (
	"request_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	CONSTRAINT "leave_request_pupils_request_id_pupil_id_pk" PRIMARY KEY("request_id","pupil_id")
);
--> statement-breakpoint
CREATE TABLE "leave_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"school_id" uuid NOT NULL,
	"guardian_id" uuid,
	"type" text NOT NULL,
	"reason" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"school_days" integer NOT NULL,
	"status" "leave_status" DEFAULT 'submitted' NOT NULL,
	"question" text,
	"answer" text,
	"approved_from" date,
	"approved_to" date,
	"decision_note" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "leave_evidence" ADD CONSTRAINT "leave_evidence_request_id_leave_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."leave_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_request_pupils" ADD CONSTRAINT "leave_request_pupils_request_id_leave_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."leave_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_request_pupils" ADD CONSTRAINT "leave_request_pupils_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD CONSTRAINT "leave_requests_decided_by_staff_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leave_evidence_request_idx" ON "leave_evidence" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "leave_request_pupils_pupil_idx" ON "leave_request_pupils" USING btree ("pupil_id");--> statement-breakpoint
CREATE UNIQUE INDEX "leave_requests_reference_key" ON "leave_requests" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "leave_requests_school_status_idx" ON "leave_requests" USING btree ("school_id","status","starts_on");--> statement-breakpoint
CREATE INDEX "leave_requests_guardian_idx" ON "leave_requests" USING btree ("guardian_id","created_at");