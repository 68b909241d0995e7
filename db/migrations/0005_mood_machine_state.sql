-- The mood machine's state (decay clock, recent signals) and a version for optimistic writes.
ALTER TABLE "mood_states" ADD COLUMN "state" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "mood_states" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;