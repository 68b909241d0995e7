// What pup said and what it cost: one row per reply, keyed by a send key that is claimed before
// posting, so a retried job or a duplicate delivery never posts twice.
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { botReplyStatus, mood } from "./enums";

export const botReplies = pgTable(
  "bot_replies",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: text("team_id").notNull(),
    /** Slack event id of the message pup answered. */
    triggerEventId: text("trigger_event_id"),
    channelId: text("channel_id").notNull(),
    threadTs: text("thread_ts"),
    sendKey: text("send_key").notNull(),
    replyTs: text("reply_ts"),
    status: botReplyStatus("status").notNull().default("claimed"),
    model: text("model"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    latencyMs: integer("latency_ms"),
    mood: mood("mood"),
    error: text("error"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("bot_replies_team_send_key_uq").on(t.teamId, t.sendKey),
    index("bot_replies_team_channel_idx").on(t.teamId, t.channelId, t.threadTs),
  ],
);
