// One bot installation per workspace. The bot token is stored only encrypted (AES-256-GCM): the
// ciphertext, its IV and the id of the key that sealed it, so keys can be rotated.
import { pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { bytea } from "./types";
import { workspaces } from "./workspaces";

export const slackInstallations = pgTable("slack_installations", {
  teamId: text("team_id")
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: "cascade" }),
  appId: text("app_id"),
  botUserId: text("bot_user_id").notNull(),
  botId: text("bot_id"),
  scopes: text("scopes").array().notNull().default([]),
  tokenCiphertext: bytea("token_ciphertext").notNull(),
  tokenIv: bytea("token_iv").notNull(),
  tokenKeyId: text("token_key_id").notNull(),
  installedByUserId: text("installed_by_user_id"),
  installedAt: timestamp("installed_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
