CREATE TABLE "first_day_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"date" date NOT NULL,
	"sent_by" uuid,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recipients" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "first_day_contact_at" time;--> statement-breakpoint
ALTER TABLE "first_day_contacts" ADD CONSTRAINT "first_day_contacts_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "first_day_contacts" ADD CONSTRAINT "first_day_contacts_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "first_day_contacts" ADD CONSTRAINT "first_day_contacts_sent_by_staff_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "first_day_contacts_pupil_date_key" ON "first_day_contacts" USING btree ("pupil_id","date");--> statement-breakpoint
CREATE INDEX "first_day_contacts_school_date_idx" ON "first_day_contacts" USING btree ("school_id","date");