// Conversations pup has seen: channels, DMs and group DMs, with their visibility, which decides
// where what was said there may be recalled. The visibility follows the conversation's current
// state (`channel_convert_to_private` / `_public` rewrite it here and on every message). `tone_rules` holds the moods admins forbid there
// (`/pup tone`, features/personality).
import { boolean, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { channelVisibility } from "./enums";
import { workspaces } from "./workspaces";

export const channels = pgTable(
  "channels",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => workspaces.teamId, { onDelete: "cascade" }),
    channelId: text("channel_id").notNull(),
    name: text("name"),
    visibility: channelVisibility("visibility").notNull(),
    isArchived: boolean("is_archived").notNull().default(false),
    /**
     * Shared with another organisation (Slack Connect, `channel_shared`): people from the other
     * side recall only from conversations they are members of.
     */
    isShared: boolean("is_shared").notNull().default(false),
    toneRules: jsonb("tone_rules").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.channelId] })],
);
