ALTER TABLE "leave_evidence" ALTER COLUMN "encrypted" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "leave_evidence" ADD COLUMN "storage_key" text;--> statement-breakpoint
ALTER TABLE "leave_requests" ADD COLUMN "evidence_deleted_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "leave_evidence_storage_key" ON "leave_evidence" USING btree ("storage_key");