ALTER TABLE "campaigns" ADD COLUMN "reach" jsonb;--> statement-breakpoint
ALTER TABLE "support_services" ADD COLUMN "topics" jsonb;