// Roles granted inside pup (`/pup role grant|revoke <@user> admin`), beside the workspace roles
// Slack reports live (`users.info` is_admin / is_owner). A revoke deletes the row; the audit log
// keeps the history.
import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const roleGrants = pgTable(
  "role_grants",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => workspaces.teamId, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    /** Only `admin` exists today. */
    role: text("role").notNull(),
    grantedBy: text("granted_by").notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId, t.role] })],
);
