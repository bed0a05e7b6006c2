CREATE TABLE "graduated_plan_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"guardian_id" uuid,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "graduated_plan_comments" ADD CONSTRAINT "graduated_plan_comments_plan_id_graduated_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."graduated_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "graduated_plan_comments" ADD CONSTRAINT "graduated_plan_comments_guardian_id_guardians_id_fk" FOREIGN KEY ("guardian_id") REFERENCES "public"."guardians"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "graduated_plan_comments_plan_idx" ON "graduated_plan_comments" USING btree ("plan_id","created_at");--> statement-breakpoint
-- A comment already left is kept: its time and author from the latest audit row of it.
INSERT INTO "graduated_plan_comments" ("plan_id", "guardian_id", "text", "created_at")
SELECT p."id",
       (SELECT g."id" FROM "guardians" g WHERE g."id"::text = a."actor_id"),
       p."parent_comment",
       coalesce(a."at", p."created_at")
  FROM "graduated_plans" p
  LEFT JOIN LATERAL (SELECT l."actor_id", l."at" FROM "audit_log" l
                      WHERE l."action" = 'graduated.plan_comment' AND l."subject_type" = 'plan' AND l."subject_id" = p."id"::text
                      ORDER BY l."at" DESC LIMIT 1) a ON true
 WHERE p."parent_comment" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "graduated_plans" DROP COLUMN "parent_comment";