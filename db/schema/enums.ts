// PostgreSQL enum types shared by the tables. The value lists are exported so the data access
// layer can check, at compile time, that its domain vocabulary matches the database's.
import { pgEnum } from "drizzle-orm/pg-core";

export const userRoleValues = ["member", "admin", "owner"] as const;
export const userRole = pgEnum("user_role", userRoleValues);

/** Copied onto every message so recall can filter by it without a join. */
export const channelVisibilityValues = [
  "public_channel",
  "private_channel",
  "dm",
  "group_dm",
] as const;
export const channelVisibility = pgEnum("channel_visibility", channelVisibilityValues);

/** Which Slack endpoint delivered a payload. */
export const slackPayloadKindValues = ["event", "interaction", "command"] as const;
export const slackPayloadKind = pgEnum("slack_payload_kind", slackPayloadKindValues);

export const moodValues = ["neutral", "friendly", "sarcastic", "enthusiastic"] as const;
export const mood = pgEnum("mood", moodValues);

/** A reply is claimed before it is sent so a retried job never posts twice. */
export const botReplyStatusValues = ["claimed", "sent", "failed"] as const;
export const botReplyStatus = pgEnum("bot_reply_status", botReplyStatusValues);
