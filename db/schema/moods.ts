// pup's mood per conversation (team + channel) and the history of how it changed and why.
import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { mood } from "./enums";

export const moodStates = pgTable(
  "mood_states",
  {
    teamId: text("team_id").notNull(),
    channelId: text("channel_id").notNull(),
    mood: mood("mood").notNull().default("neutral"),
    intensity: real("intensity").notNull().default(0),
    reason: text("reason"),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
    /** The mood machine's whole state (decay clock, recent signal times), as plain JSON. */
    state: jsonb("state").$type<Record<string, unknown>>().notNull().default({}),
    /** Bumped on every write: a writer that read an older version retries (no lost update). */
    version: integer("version").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.channelId] })],
);

export const moodTransitions = pgTable(
  "mood_transitions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: text("team_id").notNull(),
    channelId: text("channel_id").notNull(),
    fromMood: mood("from_mood").notNull(),
    toMood: mood("to_mood").notNull(),
    reason: text("reason").notNull(),
    triggerMessageTs: text("trigger_message_ts"),
    triggerEventId: text("trigger_event_id"),
    /** Who wrote the message that moved the mood (the App Home's "your mood history"). */
    triggerUserId: text("trigger_user_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("mood_transitions_channel_idx").on(t.teamId, t.channelId, t.at),
    index("mood_transitions_trigger_user_idx")
      .on(t.teamId, t.triggerUserId, t.at)
      .where(sql`${t.triggerUserId} is not null`),
  ],
);
