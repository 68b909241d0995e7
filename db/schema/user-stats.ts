// Per-user message statistics, a materialized view created by a custom migration (drizzle-kit
// does not manage it: `.existing()`), refreshed concurrently thanks to its unique index.
import { integer, pgMaterializedView, text, timestamp } from "drizzle-orm/pg-core";

export const userStats = pgMaterializedView("user_stats", {
  teamId: text("team_id").notNull(),
  userId: text("user_id").notNull(),
  messageCount: integer("message_count").notNull(),
  channelCount: integer("channel_count").notNull(),
  firstMessageAt: timestamp("first_message_at", { withTimezone: true }).notNull(),
  lastMessageAt: timestamp("last_message_at", { withTimezone: true }).notNull(),
}).existing();
