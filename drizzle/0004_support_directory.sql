CREATE TABLE "support_directories" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"directory_slug" text NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"overview" text NOT NULL,
	"link" text,
	"contact" text,
	"source" text NOT NULL,
	"ref" integer,
	"position" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "support_directory" text DEFAULT 'portsmouth' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_services" ADD CONSTRAINT "support_services_directory_slug_support_directories_slug_fk" FOREIGN KEY ("directory_slug") REFERENCES "public"."support_directories"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "support_services_directory_idx" ON "support_services" USING btree ("directory_slug","category","position");