// A Slack workspace (team). Every other row in pup is scoped by its `team_id`.
import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const workspaces = pgTable("workspaces", {
  teamId: text("team_id").primaryKey(),
  name: text("name"),
  domain: text("domain"),
  enterpriseId: text("enterprise_id"),
  /** Set by `app_uninstalled` or a revoked bot token: pup stops answering here (ADR-034). */
  uninstalledAt: timestamp("uninstalled_at", { withTimezone: true }),
  /** When an uninstalled workspace's data is purged, unless it is reinstalled before then. */
  purgeAfter: timestamp("purge_after", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
