// The messages a summary drew on, so recall can attribute a summary line to them, and deleting one
// of them (or forgetting its author) finds the summaries to write again.
import { bigint, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { conversationSummaries } from "./conversation-summaries";
import { messages } from "./messages";

export const conversationSummarySources = pgTable(
  "conversation_summary_sources",
  {
    summaryId: bigint("summary_id", { mode: "number" })
      .notNull()
      .references(() => conversationSummaries.id, { onDelete: "cascade" }),
    messageId: bigint("message_id", { mode: "number" })
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    teamId: text("team_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.summaryId, t.messageId] }),
    index("conversation_summary_sources_message_idx").on(t.messageId),
  ],
);
