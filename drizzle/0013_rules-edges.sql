ALTER TABLE "schools" ADD COLUMN "school_day_ends" time DEFAULT '15:15' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_services" ADD COLUMN "audience" text DEFAULT 'families' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_services" ADD COLUMN "min_age" smallint;--> statement-breakpoint
ALTER TABLE "support_services" ADD COLUMN "max_age" smallint;