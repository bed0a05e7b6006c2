ALTER TYPE "public"."contact_channel" ADD VALUE 'whatsapp';--> statement-breakpoint
ALTER TYPE "public"."conversation_channel" ADD VALUE 'whatsapp';--> statement-breakpoint
CREATE TABLE "school_channels" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"sms_number" text,
	"whatsapp_number" text,
	"voice_number" text,
	"whatsapp_enabled" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_calls" (
	"call_sid" text PRIMARY KEY NOT NULL,
	"school_id" uuid,
	"guardian_id" uuid,
	"from_number" text NOT NULL,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" text DEFAULT 'menu' NOT NULL,
	"voicemail_reason" text,
	"report_id" uuid,
	"report_reference" text,
	"recording_sid" text,
	"recording_url" text,
	"recording_seconds" integer,
	"recorded_at" timestamp with time zone,
	"handled_at" timestamp with time zone,
	"handled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "whatsapp_contacts" (
	"phone" text PRIMARY KEY NOT NULL,
	"guardian_id" uuid,
	"last_inbound_at" timestamp with time zone,
	"opted_in_at" timestamp with time zone,
	"opted_out_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "school_channels" ADD CONSTRAINT "school_channels_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_report_id_absence_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."absence_reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_calls" ADD CONSTRAINT "voice_calls_handled_by_staff_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_contacts" ADD CONSTRAINT "whatsapp_contacts_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "school_channels_voice_key" ON "school_channels" USING btree ("voice_number") WHERE "school_channels"."voice_number" is not null;--> statement-breakpoint
CREATE INDEX "voice_calls_school_recorded_idx" ON "voice_calls" USING btree ("school_id","recorded_at");