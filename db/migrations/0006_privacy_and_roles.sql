-- Issue 14: where a channel is shared with another organisation (Slack Connect), roles granted
-- inside pup, and channel renames (channel_id_changed) carrying their messages along.
CREATE TABLE "role_grants" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_grants_team_id_user_id_role_pk" PRIMARY KEY("team_id","user_id","role")
);
--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_channel_fk";
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "is_shared" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_team_id_workspaces_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."workspaces"("team_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_channel_fk" FOREIGN KEY ("team_id","channel_id") REFERENCES "public"."channels"("team_id","channel_id") ON DELETE cascade ON UPDATE cascade;