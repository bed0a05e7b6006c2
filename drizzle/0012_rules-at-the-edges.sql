ALTER TABLE "absence_reports" ADD COLUMN "part_day" text;--> statement-breakpoint
ALTER TABLE "absence_reports" ADD COLUMN "arrives_by" time;--> statement-breakpoint
ALTER TABLE "absence_reports" ADD COLUMN "leaves_at" time;--> statement-breakpoint
ALTER TABLE "absence_reports" ADD COLUMN "returns_at" time;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD COLUMN "decision_codes" jsonb;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD COLUMN "parent_findings" jsonb;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "time_lost_percents" smallint[];--> statement-breakpoint
ALTER TABLE "absence_reports" ADD CONSTRAINT "absence_reports_part_day_times" CHECK (("absence_reports"."part_day" is null and "absence_reports"."arrives_by" is null and "absence_reports"."leaves_at" is null and "absence_reports"."returns_at" is null)
			 or ("absence_reports"."part_day" = 'late_arrival' and "absence_reports"."arrives_by" is not null and "absence_reports"."leaves_at" is null and "absence_reports"."returns_at" is null)
			 or ("absence_reports"."part_day" = 'leaving_early' and "absence_reports"."leaves_at" is not null and "absence_reports"."arrives_by" is null and "absence_reports"."returns_at" is null)
			 or ("absence_reports"."part_day" = 'appointment' and "absence_reports"."leaves_at" is not null and "absence_reports"."returns_at" is not null and "absence_reports"."arrives_by" is null and "absence_reports"."returns_at" > "absence_reports"."leaves_at"));