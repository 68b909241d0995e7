-- Issue 16 (memory rights): workspaces remember an uninstall and when their data is purged
-- (ADR-034); mood transitions remember who moved the mood, for the App Home's mood history.
ALTER TABLE "mood_transitions" ADD COLUMN "trigger_user_id" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "uninstalled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "purge_after" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "mood_transitions_trigger_user_idx" ON "mood_transitions" USING btree ("team_id","trigger_user_id","at") WHERE "mood_transitions"."trigger_user_id" is not null;