// Messages past their workspace's retention, moved out of the hot `messages` table by the cleanup
// queue. Kept without vectors or search index: recall never reads them; "forget me" and exports do.
import { bigint, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { channelVisibility } from "./enums";

export const archivedMessages = pgTable(
  "archived_messages",
  {
    /** The id it had in `messages`. */
    id: bigint("id", { mode: "number" }).primaryKey(),
    teamId: text("team_id").notNull(),
    channelId: text("channel_id").notNull(),
    ts: text("ts").notNull(),
    threadTs: text("thread_ts"),
    userId: text("user_id"),
    botId: text("bot_id"),
    text: text("text").notNull(),
    visibility: channelVisibility("visibility").notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    archivedAt: timestamp("archived_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("archived_messages_team_user_idx").on(t.teamId, t.userId),
    index("archived_messages_team_posted_idx").on(t.teamId, t.postedAt),
  ],
);
