// Summaries of a channel or thread over a period. `source_user_ids` names whose words went in,
// so "forget me" can find and drop derived text.
import { sql } from "drizzle-orm";
import { bigint, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const conversationSummaries = pgTable(
  "conversation_summaries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: text("team_id").notNull(),
    channelId: text("channel_id").notNull(),
    threadTs: text("thread_ts"),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    summary: text("summary").notNull(),
    sourceUserIds: text("source_user_ids").array().notNull().default(sql`'{}'::text[]`),
    model: text("model"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("conversation_summaries_channel_idx").on(t.teamId, t.channelId, t.periodEnd),
    index("conversation_summaries_sources_idx").using("gin", t.sourceUserIds),
  ],
);
