// Messages: the projection of the event log that memory reads. The embedding and the full-text
// column live here, beside the visibility, so one query can filter by team and visibility and
// order by vector distance on one table (pgvector 0.8 iterative index scans need that).
import { type SQL, sql } from "drizzle-orm";
import {
  bigint,
  foreignKey,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  vector,
} from "drizzle-orm/pg-core";
import { channels } from "./channels";
import { channelVisibility } from "./enums";
import { slackEvents } from "./slack-events";
import { tsvector } from "./types";

/**
 * The dimension committed in the migrations. `migrateDatabase` re-types the column when
 * `EMBEDDING_DIMENSIONS` differs and no embedding is stored yet (see db/README.md).
 */
export const COMMITTED_EMBEDDING_DIMENSIONS = 512;

export const messages = pgTable(
  "messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: text("team_id").notNull(),
    channelId: text("channel_id").notNull(),
    /** Slack's message timestamp string, unique within a channel. */
    ts: text("ts").notNull(),
    threadTs: text("thread_ts"),
    userId: text("user_id"),
    botId: text("bot_id"),
    /** Emptied when the message is deleted, so nothing deleted stays searchable. */
    text: text("text").notNull().default(""),
    visibility: channelVisibility("visibility").notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    sourceEventId: bigint("source_event_id", { mode: "number" }).references(() => slackEvents.id, {
      onDelete: "set null",
    }),
    embedding: vector("embedding", { dimensions: COMMITTED_EMBEDDING_DIMENSIONS }),
    embeddingModel: text("embedding_model"),
    embeddedAt: timestamp("embedded_at", { withTimezone: true }),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`to_tsvector('english'::regconfig, "text")`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "messages_channel_fk",
      columns: [t.teamId, t.channelId],
      foreignColumns: [channels.teamId, channels.channelId],
    })
      .onDelete("cascade")
      // `channel_id_changed` renames the channel row; its messages follow.
      .onUpdate("cascade"),
    uniqueIndex("messages_team_channel_ts_uq").on(t.teamId, t.channelId, t.ts),
    index("messages_thread_idx")
      .on(t.teamId, t.channelId, t.threadTs)
      .where(sql`${t.threadTs} is not null`),
    index("messages_channel_recent_idx").on(t.teamId, t.channelId, t.postedAt.desc()),
    index("messages_team_user_idx").on(t.teamId, t.userId).where(sql`${t.userId} is not null`),
    // The FK from here to slack_events sets null on delete: without this index every redacted or
    // expired payload scanned the whole table (ADR-034; `bun run bench forget`).
    index("messages_source_event_idx")
      .on(t.sourceEventId)
      .where(sql`${t.sourceEventId} is not null`),
    index("messages_search_idx").using("gin", t.search),
    // ef_construction 128 (pgvector default 64): a better graph, so ef_search 150 keeps recall@10
    // >= 0.95 at 100k from build to build (ADR-013 amendment); builds take about twice as long.
    index("messages_embedding_hnsw_idx")
      .using("hnsw", t.embedding.op("vector_cosine_ops"))
      .with({ m: 16, ef_construction: 128 }),
  ],
);
