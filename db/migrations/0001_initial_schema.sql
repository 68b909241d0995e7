CREATE TYPE "public"."bot_reply_status" AS ENUM('claimed', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."channel_visibility" AS ENUM('public_channel', 'private_channel', 'dm', 'group_dm');--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM('neutral', 'friendly', 'sarcastic', 'enthusiastic');--> statement-breakpoint
CREATE TYPE "public"."slack_payload_kind" AS ENUM('event', 'interaction', 'command');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('member', 'admin', 'owner');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"team_id" text NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_replies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bot_replies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"team_id" text NOT NULL,
	"trigger_event_id" text,
	"channel_id" text NOT NULL,
	"thread_ts" text,
	"send_key" text NOT NULL,
	"reply_ts" text,
	"status" "bot_reply_status" DEFAULT 'claimed' NOT NULL,
	"model" text,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"latency_ms" integer,
	"mood" "mood",
	"error" text,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"name" text,
	"visibility" "channel_visibility" NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"tone_rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channels_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "conversation_summaries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversation_summaries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"thread_ts" text,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"summary" text NOT NULL,
	"source_user_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"model" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"ts" text NOT NULL,
	"thread_ts" text,
	"user_id" text,
	"bot_id" text,
	"text" text DEFAULT '' NOT NULL,
	"visibility" "channel_visibility" NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"source_event_id" bigint,
	"embedding" vector(512),
	"embedding_model" text,
	"embedded_at" timestamp with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "text")) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mood_states" (
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"mood" "mood" DEFAULT 'neutral' NOT NULL,
	"intensity" real DEFAULT 0 NOT NULL,
	"reason" text,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mood_states_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "mood_transitions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mood_transitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"from_mood" "mood" NOT NULL,
	"to_mood" "mood" NOT NULL,
	"reason" text NOT NULL,
	"trigger_message_ts" text,
	"trigger_event_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "slack_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"team_id" text NOT NULL,
	"event_id" text NOT NULL,
	"kind" "slack_payload_kind" NOT NULL,
	"event_type" text NOT NULL,
	"user_id" text,
	"channel_id" text,
	"payload" jsonb NOT NULL,
	"retry_num" integer,
	"retry_reason" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_installations" (
	"team_id" text PRIMARY KEY NOT NULL,
	"app_id" text,
	"bot_user_id" text NOT NULL,
	"bot_id" text,
	"scopes" text[] DEFAULT '{}' NOT NULL,
	"token_ciphertext" "bytea" NOT NULL,
	"token_iv" "bytea" NOT NULL,
	"token_key_id" text NOT NULL,
	"installed_by_user_id" text,
	"installed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_profile_fact_sources" (
	"fact_id" bigint NOT NULL,
	"message_id" bigint NOT NULL,
	"team_id" text NOT NULL,
	CONSTRAINT "user_profile_fact_sources_fact_id_message_id_pk" PRIMARY KEY("fact_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "user_profile_facts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "user_profile_facts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"fact" text NOT NULL,
	"confidence" real DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_profiles" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_profiles_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"name" text,
	"display_name" text,
	"real_name" text,
	"role" "user_role" DEFAULT 'member' NOT NULL,
	"is_bot" boolean DEFAULT false NOT NULL,
	"forgotten_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"team_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"domain" text,
	"enterprise_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_team_id_workspaces_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."workspaces"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_source_event_id_slack_events_id_fk" FOREIGN KEY ("source_event_id") REFERENCES "public"."slack_events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_fk" FOREIGN KEY ("team_id","channel_id") REFERENCES "public"."channels"("team_id","channel_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_installations" ADD CONSTRAINT "slack_installations_team_id_workspaces_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."workspaces"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_profile_fact_sources" ADD CONSTRAINT "user_profile_fact_sources_fact_id_user_profile_facts_id_fk" FOREIGN KEY ("fact_id") REFERENCES "public"."user_profile_facts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_profile_fact_sources" ADD CONSTRAINT "user_profile_fact_sources_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_profile_facts" ADD CONSTRAINT "user_profile_facts_profile_fk" FOREIGN KEY ("team_id","user_id") REFERENCES "public"."user_profiles"("team_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_team_id_workspaces_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."workspaces"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_team_at_idx" ON "audit_log" USING btree ("team_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "bot_replies_team_send_key_uq" ON "bot_replies" USING btree ("team_id","send_key");--> statement-breakpoint
CREATE INDEX "bot_replies_team_channel_idx" ON "bot_replies" USING btree ("team_id","channel_id","thread_ts");--> statement-breakpoint
CREATE INDEX "conversation_summaries_channel_idx" ON "conversation_summaries" USING btree ("team_id","channel_id","period_end");--> statement-breakpoint
CREATE INDEX "conversation_summaries_sources_idx" ON "conversation_summaries" USING gin ("source_user_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_team_channel_ts_uq" ON "messages" USING btree ("team_id","channel_id","ts");--> statement-breakpoint
CREATE INDEX "messages_thread_idx" ON "messages" USING btree ("team_id","channel_id","thread_ts") WHERE "messages"."thread_ts" is not null;--> statement-breakpoint
CREATE INDEX "messages_channel_recent_idx" ON "messages" USING btree ("team_id","channel_id","posted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "messages_team_user_idx" ON "messages" USING btree ("team_id","user_id") WHERE "messages"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search");--> statement-breakpoint
CREATE INDEX "messages_embedding_hnsw_idx" ON "messages" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "mood_transitions_channel_idx" ON "mood_transitions" USING btree ("team_id","channel_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "slack_events_team_event_uq" ON "slack_events" USING btree ("team_id","event_id");--> statement-breakpoint
CREATE INDEX "slack_events_team_user_idx" ON "slack_events" USING btree ("team_id","user_id") WHERE "slack_events"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "slack_events_team_received_idx" ON "slack_events" USING btree ("team_id","received_at");--> statement-breakpoint
CREATE INDEX "user_profile_fact_sources_message_idx" ON "user_profile_fact_sources" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "user_profile_facts_user_idx" ON "user_profile_facts" USING btree ("team_id","user_id");