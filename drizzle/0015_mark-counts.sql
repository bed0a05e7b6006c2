CREATE TABLE "pupil_year_code_counts" (
	"school_id" uuid NOT NULL,
	"year_start" date NOT NULL,
	"pupil_id" uuid NOT NULL,
	"code" text NOT NULL,
	"marks" integer NOT NULL,
	"minutes_late" integer NOT NULL,
	CONSTRAINT "pupil_year_code_counts_school_id_year_start_pupil_id_code_pk" PRIMARY KEY("school_id","year_start","pupil_id","code")
);
--> statement-breakpoint
ALTER TABLE "attendance_marks" DROP CONSTRAINT "attendance_marks_school_id_schools_id_fk";
--> statement-breakpoint
ALTER TABLE "pupil_year_code_counts" ADD CONSTRAINT "pupil_year_code_counts_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pupil_year_code_counts" ADD CONSTRAINT "pupil_year_code_counts_pupil_id_pupils_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."pupils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pupil_year_code_counts_pupil_idx" ON "pupil_year_code_counts" USING btree ("pupil_id");