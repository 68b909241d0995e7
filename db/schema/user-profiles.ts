// What pup has learned about a person, as a short profile plus individual facts. Each fact keeps
// references to the messages it came from (user_profile_fact_sources), so deleting a message
// removes its link and "forget me" can find everything derived from a user's words.
import { sql } from "drizzle-orm";
import {
  bigint,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { messages } from "./messages";

export const userProfiles = pgTable(
  "user_profiles",
  {
    teamId: text("team_id").notNull(),
    userId: text("user_id").notNull(),
    summary: text("summary").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const userProfileFacts = pgTable(
  "user_profile_facts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: text("team_id").notNull(),
    userId: text("user_id").notNull(),
    fact: text("fact").notNull(),
    /** `fact` (stated), `interest`, or `preference` (how they like to be answered). */
    kind: text("kind").notNull().default("fact"),
    /**
     * What the fact is about, normalised (`home_city`, `role`): a newer fact on the same subject
     * supersedes the older one. Null: nothing to contradict.
     */
    subject: text("subject"),
    confidence: real("confidence").notNull().default(sql`1`),
    /** When the fact became true as far as pup knows (its first source message). */
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull().defaultNow(),
    /** Set when a newer fact contradicted it: kept as history, never shown as current. */
    supersededAt: timestamp("superseded_at", { withTimezone: true }),
    supersededBy: bigint("superseded_by", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "user_profile_facts_profile_fk",
      columns: [t.teamId, t.userId],
      foreignColumns: [userProfiles.teamId, userProfiles.userId],
    }).onDelete("cascade"),
    index("user_profile_facts_user_idx").on(t.teamId, t.userId),
    index("user_profile_facts_current_idx")
      .on(t.teamId, t.userId, t.subject)
      .where(sql`${t.supersededAt} is null`),
  ],
);

export const userProfileFactSources = pgTable(
  "user_profile_fact_sources",
  {
    factId: bigint("fact_id", { mode: "number" })
      .notNull()
      .references(() => userProfileFacts.id, { onDelete: "cascade" }),
    messageId: bigint("message_id", { mode: "number" })
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    teamId: text("team_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.factId, t.messageId] }),
    index("user_profile_fact_sources_message_idx").on(t.messageId),
  ],
);
