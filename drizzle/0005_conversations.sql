CREATE TYPE "public"."conversation_channel" AS ENUM('sms', 'telegram');--> statement-breakpoint
CREATE TABLE "conversations" (
	"channel" "conversation_channel" NOT NULL,
	"address" text NOT NULL,
	"guardian_id" uuid,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_channel_address_pk" PRIMARY KEY("channel","address")
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"channel" "conversation_channel" NOT NULL,
	"provider_message_id" text NOT NULL,
	"guardian_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_messages_channel_provider_message_id_pk" PRIMARY KEY("channel","provider_message_id")
);
--> statement-breakpoint
CREATE TABLE "sms_opt_outs" (
	"phone" text PRIMARY KEY NOT NULL,
	"opted_out_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "choices" jsonb;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "provider_status" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;