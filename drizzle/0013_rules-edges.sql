ALTER TABLE "attendance_mark_amendments" ADD COLUMN "amended_by_name" text;--> statement-breakpoint
ALTER TABLE "attendance_mark_amendments" ADD COLUMN "amended_by_role" text;--> statement-breakpoint
ALTER TABLE "attendance_marks" ADD COLUMN "code_detail" text;--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "school_day_ends" time DEFAULT '15:15' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_services" ADD COLUMN "audience" text DEFAULT 'families' NOT NULL;--> statement-breakpoint
ALTER TABLE "support_services" ADD COLUMN "min_age" smallint;--> statement-breakpoint
ALTER TABLE "support_services" ADD COLUMN "max_age" smallint;--> statement-breakpoint
-- The bundled Portsmouth directory already loaded gets who each service is for and its ages, as the file now gives them.
UPDATE "support_services" SET "audience" = 'children_young_people', "min_age" = 11, "max_age" = 25 WHERE "directory_slug" = 'portsmouth' AND "name" = 'Kooth';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'children_young_people', "min_age" = null, "max_age" = null WHERE "directory_slug" = 'portsmouth' AND "name" = 'Mental health support for young people (SEMH)';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'children_young_people', "min_age" = null, "max_age" = null WHERE "directory_slug" = 'portsmouth' AND "name" = 'School transport and travel';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'professionals', "min_age" = null, "max_age" = null WHERE "directory_slug" = 'portsmouth' AND "name" = 'Inclusion Outreach Service';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'families', "min_age" = 0, "max_age" = 25 WHERE "directory_slug" = 'portsmouth' AND "name" = 'Portsmouth educational psychology service';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'professionals', "min_age" = null, "max_age" = null WHERE "directory_slug" = 'portsmouth' AND "name" = 'Multi-Agency Behaviour Support Service';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'professionals', "min_age" = null, "max_age" = null WHERE "directory_slug" = 'portsmouth' AND "name" = 'Ethnic Minority Achievement Service (EMAS)';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'children_young_people', "min_age" = 5, "max_age" = 25 WHERE "directory_slug" = 'portsmouth' AND "name" = 'Young Carers Team';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'professionals', "min_age" = null, "max_age" = null WHERE "directory_slug" = 'portsmouth' AND "name" = 'CERAF – One Minute Guide';--> statement-breakpoint
UPDATE "support_services" SET "audience" = 'children_young_people', "min_age" = null, "max_age" = null WHERE "directory_slug" = 'portsmouth' AND "name" = 'St Giles Trust';
