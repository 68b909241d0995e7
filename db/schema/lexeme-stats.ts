// Word statistics per workspace for lexical recall's ranking (BM25 needs how many messages hold
// each word, and how long messages are). Kept exact by a trigger on messages (migration 0003), so
// no write path can forget them. The totals live in 16 shards per workspace: every insert updates
// one, and a single totals row would make concurrent writers of a workspace wait in line.
import { bigint, integer, pgTable, primaryKey, smallint, text } from "drizzle-orm/pg-core";

export const lexemeStats = pgTable(
  "lexeme_stats",
  {
    teamId: text("team_id").notNull(),
    /** A stemmed word as `to_tsvector('english', …)` gives it. */
    lexeme: text("lexeme").notNull(),
    /** Searchable messages holding the lexeme. */
    docs: integer("docs").notNull().default(0),
    /** Occurrences over those messages. */
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "lexeme_stats_pk", columns: [t.teamId, t.lexeme] })],
);

/** A workspace's searchable messages and word positions, summed over its shards. */
export const lexemeTotals = pgTable(
  "lexeme_totals",
  {
    teamId: text("team_id").notNull(),
    /** The message id modulo 16. */
    shard: smallint("shard").notNull(),
    docs: integer("docs").notNull().default(0),
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "lexeme_totals_pk", columns: [t.teamId, t.shard] })],
);
