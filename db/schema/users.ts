// Slack users as pup knows them, per workspace. `forgotten_at` marks a "forget me" request.
import { boolean, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { userRole } from "./enums";
import { workspaces } from "./workspaces";

export const users = pgTable(
  "users",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => workspaces.teamId, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    name: text("name"),
    displayName: text("display_name"),
    realName: text("real_name"),
    role: userRole("role").notNull().default("member"),
    isBot: boolean("is_bot").notNull().default(false),
    forgottenAt: timestamp("forgotten_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);
