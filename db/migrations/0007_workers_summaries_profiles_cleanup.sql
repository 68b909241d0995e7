-- Issue 15: summary sources, profile facts with subjects and validity (supersession), workspace
-- settings (retention, summary hour and zone), and the archive cleanup moves old messages into.
CREATE TABLE "archived_messages" (
	"id" bigint PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"ts" text NOT NULL,
	"thread_ts" text,
	"user_id" text,
	"bot_id" text,
	"text" text NOT NULL,
	"visibility" "channel_visibility" NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"edited_at" timestamp with time zone,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_summary_sources" (
	"summary_id" bigint NOT NULL,
	"message_id" bigint NOT NULL,
	"team_id" text NOT NULL,
	CONSTRAINT "conversation_summary_sources_summary_id_message_id_pk" PRIMARY KEY("summary_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "workspace_settings" (
	"team_id" text PRIMARY KEY NOT NULL,
	"retention_days" integer,
	"summary_hour" integer DEFAULT 9 NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "user_profile_facts" ADD COLUMN "kind" text DEFAULT 'fact' NOT NULL;--> statement-breakpoint
ALTER TABLE "user_profile_facts" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "user_profile_facts" ADD COLUMN "valid_from" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "user_profile_facts" ADD COLUMN "superseded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user_profile_facts" ADD COLUMN "superseded_by" bigint;--> statement-breakpoint
ALTER TABLE "conversation_summary_sources" ADD CONSTRAINT "conversation_summary_sources_summary_id_conversation_summaries_id_fk" FOREIGN KEY ("summary_id") REFERENCES "public"."conversation_summaries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_summary_sources" ADD CONSTRAINT "conversation_summary_sources_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_settings" ADD CONSTRAINT "workspace_settings_team_id_workspaces_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."workspaces"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "archived_messages_team_user_idx" ON "archived_messages" USING btree ("team_id","user_id");--> statement-breakpoint
CREATE INDEX "archived_messages_team_posted_idx" ON "archived_messages" USING btree ("team_id","posted_at");--> statement-breakpoint
CREATE INDEX "conversation_summary_sources_message_idx" ON "conversation_summary_sources" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "user_profile_facts_current_idx" ON "user_profile_facts" USING btree ("team_id","user_id","subject") WHERE "user_profile_facts"."superseded_at" is null;