// Word statistics per workspace for lexical recall's ranking (BM25 needs how many messages hold
// each word, and how long messages are). Kept exact by a trigger on messages (migration 0003), so
// no write path can forget them; the row with the empty lexeme holds the workspace's totals.
import { bigint, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export const lexemeStats = pgTable(
  "lexeme_stats",
  {
    teamId: text("team_id").notNull(),
    /** A stemmed word as `to_tsvector('english', …)` gives it; '' for the workspace's totals. */
    lexeme: text("lexeme").notNull(),
    /** Searchable messages holding the lexeme (for '': all searchable messages). */
    docs: integer("docs").notNull().default(0),
    /** Occurrences over those messages (for '': every word position of every message). */
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "lexeme_stats_pk", columns: [t.teamId, t.lexeme] })],
);
