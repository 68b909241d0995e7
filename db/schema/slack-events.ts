// The append-only log of every Slack payload received: the audit and replay record. A trigger
// (custom migration) rejects UPDATE always and DELETE unless the transaction opted into redaction.
// No foreign key to workspaces: the log must accept a payload before anything else is known.
import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { slackPayloadKind } from "./enums";

export const slackEvents = pgTable(
  "slack_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: text("team_id").notNull(),
    /** Slack's `event_id`; for interactions and commands the caller derives a stable id. */
    eventId: text("event_id").notNull(),
    kind: slackPayloadKind("kind").notNull(),
    /** e.g. `message`, `app_mention`, `block_actions`, `/pup`. */
    eventType: text("event_type").notNull(),
    /** Who caused the payload, so "forget me" can find and redact it. */
    userId: text("user_id"),
    channelId: text("channel_id"),
    payload: jsonb("payload").$type<unknown>().notNull(),
    retryNum: integer("retry_num"),
    retryReason: text("retry_reason"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("slack_events_team_event_uq").on(t.teamId, t.eventId),
    index("slack_events_team_user_idx").on(t.teamId, t.userId).where(sql`${t.userId} is not null`),
    index("slack_events_team_received_idx").on(t.teamId, t.receivedAt),
    // Forgetting one message (every deletion in Slack) reads only its channel's payloads.
    index("slack_events_team_channel_idx")
      .on(t.teamId, t.channelId)
      .where(sql`${t.channelId} is not null`),
  ],
);
