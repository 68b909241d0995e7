-- Issue 16 (memory rights): workspaces remember an uninstall and when their data is purged
-- (ADR-034); mood transitions remember who moved the mood, for the App Home's mood history; an
-- index on each side of a forget lets it find what it removes without scanning everything.
ALTER TABLE "mood_transitions" ADD COLUMN "trigger_user_id" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "uninstalled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "purge_after" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_source_event_idx" ON "messages" USING btree ("source_event_id") WHERE "messages"."source_event_id" is not null;--> statement-breakpoint
CREATE INDEX "mood_transitions_trigger_user_idx" ON "mood_transitions" USING btree ("team_id","trigger_user_id","at") WHERE "mood_transitions"."trigger_user_id" is not null;--> statement-breakpoint
CREATE INDEX "slack_events_team_channel_idx" ON "slack_events" USING btree ("team_id","channel_id") WHERE "slack_events"."channel_id" is not null;