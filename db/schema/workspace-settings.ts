// Per-workspace settings admins change with `/pup` commands: how long messages stay in the hot
// tables (`/pup retention <days>`) and when the daily summaries are written (local hour and zone).
import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const workspaceSettings = pgTable("workspace_settings", {
  teamId: text("team_id")
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: "cascade" }),
  /** Days a message stays in `messages` before cleanup archives it; null: the documented default. */
  retentionDays: integer("retention_days"),
  /** Local hour (0-23) the daily summaries are written at. */
  summaryHour: integer("summary_hour").notNull().default(9),
  /** IANA zone of that hour. */
  timeZone: text("time_zone").notNull().default("UTC"),
  updatedBy: text("updated_by"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
