ALTER TABLE "graduated_meetings" ADD COLUMN "invited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "graduated_meetings" ADD COLUMN "reply_note" text;