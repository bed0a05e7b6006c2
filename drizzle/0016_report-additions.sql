CREATE TABLE "absence_report_additions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"guardian_id" uuid,
	"channel" text NOT NULL,
	"reason" text NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"sessions_added" integer DEFAULT 0 NOT NULL,
	"idempotency_key" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "absence_report_additions" ADD CONSTRAINT "absence_report_additions_report_id_absence_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."absence_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_report_additions" ADD CONSTRAINT "absence_report_additions_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "absence_report_additions_idempotency_key" ON "absence_report_additions" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "absence_report_additions_report_idx" ON "absence_report_additions" USING btree ("report_id","received_at");