// Lexical recall over messages: the workspace's word statistics (lexeme_stats and lexeme_totals,
// kept by a trigger), the scoped matches of the query's words, and the turns around each match,
// in two queries.
// Ranking (BM25 over windows of turns) is the domain's: core/src/features/memory/rank.ts.
import { sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { queryRows } from "../../../../db/query-rows";
import type {
  LexicalMessage,
  LexicalRecall,
  RecallScope,
  StoredMessage,
} from "../../ports/message-store";
import type { ChannelVisibility } from "../../ports/slack-vocabulary";
import { aliased, visibleIn } from "./visibility";

/**
 * Words held by more than this share of a workspace's messages do not pick candidates when rarer
 * words of the query do ("said", "like"): they would flood the cheap first cut. They still count
 * in the ranking of what was picked.
 */
const COMMON_SHARE = 0.05;
/** Messages the candidate-picking words may match in all (bounds the work at 100k messages). */
const MATCH_BUDGET = 2000;

interface StatRow extends Record<string, unknown> {
  lexeme: string;
  docs: number | string;
  tokens: number | string;
}

interface WindowRow extends Record<string, unknown> {
  anchor: number | string;
  id: number | string;
  team_id: string;
  channel_id: string;
  ts: string;
  thread_ts: string | null;
  user_id: string | null;
  bot_id: string | null;
  text: string;
  visibility: ChannelVisibility;
  posted_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  search: string;
  similarity: number | string | null;
}

/** A lexeme quoted for tsquery input. */
function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** `'cat':3,9 'miso':4` -> {cat: 2, miso: 1}; a lexeme without positions counts once. */
export function parseTsvector(text: string): { terms: Record<string, number>; length: number } {
  const terms: Record<string, number> = {};
  let length = 0;
  for (const match of text.matchAll(/'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g)) {
    const lexeme = (match[1] ?? "").replace(/''/g, "'").replace(/\\\\/g, "\\");
    const count = match[2] ? match[2].split(",").length : 1;
    terms[lexeme] = (terms[lexeme] ?? 0) + count;
    length += count;
  }
  return { terms, length };
}

const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));

function toStored(row: WindowRow): StoredMessage {
  return {
    id: Number(row.id),
    teamId: row.team_id,
    channelId: row.channel_id,
    ts: row.ts,
    threadTs: row.thread_ts,
    userId: row.user_id,
    botId: row.bot_id,
    text: row.text,
    visibility: row.visibility,
    postedAt: date(row.posted_at),
    editedAt: row.edited_at === null ? null : date(row.edited_at),
    deletedAt: row.deleted_at === null ? null : date(row.deleted_at),
  };
}

export async function lexicalMessages(
  db: Database,
  scope: RecallScope,
  query: string,
  around: number,
  embedding?: number[],
): Promise<LexicalRecall> {
  const stats = await queryRows<StatRow>(
    db,
    sql`select lexeme, docs, tokens from lexeme_stats
        where team_id = ${scope.teamId}
          and lexeme = any(tsvector_to_array(to_tsvector('english', ${query})))
        union all
        select '' as lexeme, coalesce(sum(docs), 0) as docs, coalesce(sum(tokens), 0) as tokens
        from lexeme_totals where team_id = ${scope.teamId}`,
  );
  const totals = stats.find((row) => row.lexeme === "");
  const docs = Number(totals?.docs ?? 0);
  const lexemes: Record<string, number> = {};
  for (const row of stats) {
    if (row.lexeme !== "" && Number(row.docs) > 0) lexemes[row.lexeme] = Number(row.docs);
  }
  const words = Object.keys(lexemes);
  const result: LexicalRecall = {
    docs,
    tokens: Number(totals?.tokens ?? 0),
    lexemes,
    messages: [],
  };
  if (words.length === 0) return result;
  // The rarest words pick candidates, as long as together they match at most MATCH_BUDGET
  // messages (the first always picks): each match is read and ranked before the limit applies.
  const rare: string[] = [];
  let matched = 0;
  for (const word of [...words].sort((a, b) => (lexemes[a] ?? 0) - (lexemes[b] ?? 0))) {
    const count = lexemes[word] ?? 0;
    if (count > Math.max(1, docs * COMMON_SHARE)) break;
    if (rare.length > 0 && matched + count > MATCH_BUDGET) break;
    rare.push(word);
    matched += count;
  }
  const anyOf = (list: string[]) => list.map(quoteLexeme).join(" | ");

  // The matches (a cheap rank picks `limit`), then each one's neighbours in its channel by Slack
  // timestamp (the unique (team, channel, ts) index walks straight to them; ts strings of this
  // era sort as time does). Neighbours pass the same visibility rule as the matches, explicitly:
  // sharing the match's channel makes them as visible only while the copied columns agree.
  const matchesAround = (tsquery: string) =>
    queryRows<WindowRow>(
      db,
      sql`with hits as (
            select m.id, m.channel_id, m.ts
            from messages m
            where m.team_id = ${scope.teamId}
              and m.deleted_at is null
              and ${visibleIn(aliased("m"), scope)}
              and m.search @@ ${tsquery}::tsquery
            order by ts_rank(m.search, ${tsquery}::tsquery) desc, m.posted_at desc
            limit ${scope.limit}
          )
          select h.id as anchor, w.id, w.team_id, w.channel_id, w.ts, w.thread_ts, w.user_id,
                 w.bot_id, w.text, w.visibility, w.posted_at, w.edited_at, w.deleted_at,
                 w.search::text as search,
                 ${embedding ? sql`case when w.id = h.id then 1 - (w.embedding <=> ${JSON.stringify(embedding)}::vector) end` : sql`null`} as similarity
          from hits h
          cross join lateral (
            (select m.* from messages m where m.id = h.id)
            union all
            (select m.* from messages m
              where m.team_id = ${scope.teamId} and m.channel_id = h.channel_id
                and m.deleted_at is null
                and ${visibleIn(aliased("m"), scope)}
                and m.ts < h.ts
              order by m.ts desc
              limit ${around})
            union all
            (select m.* from messages m
              where m.team_id = ${scope.teamId} and m.channel_id = h.channel_id
                and m.deleted_at is null
                and ${visibleIn(aliased("m"), scope)}
                and m.ts > h.ts
              order by m.ts
              limit ${around})
          ) w`,
    );
  let rows = await matchesAround(anyOf(rare.length > 0 ? rare : words));
  // The rare words may all sit where this conversation cannot see: then every word picks.
  if (rows.length === 0 && rare.length > 0 && rare.length < words.length) {
    rows = await matchesAround(anyOf(words));
  }

  const byId = new Map<number, LexicalMessage>();
  const windows = new Map<number, StoredMessage[]>();
  for (const row of rows) {
    const message = toStored(row);
    const similarity = row.similarity === null ? null : Number(row.similarity);
    const known = byId.get(message.id);
    if (!known) {
      byId.set(message.id, {
        message,
        ...parseTsvector(row.search),
        similarity,
        previousId: null,
        nextId: null,
      });
    } else if (known.similarity === null) {
      // Seen first as another match's neighbour; its own row carries the similarity.
      known.similarity = similarity;
    }
    const anchor = Number(row.anchor);
    const window = windows.get(anchor) ?? [];
    window.push(message);
    windows.set(anchor, window);
  }
  // Each window is a run of consecutive turns: link neighbours.
  for (const window of windows.values()) {
    window.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    for (let i = 1; i < window.length; i += 1) {
      const before = byId.get((window[i - 1] as StoredMessage).id);
      const after = byId.get((window[i] as StoredMessage).id);
      if (before && after) {
        before.nextId = after.message.id;
        after.previousId = before.message.id;
      }
    }
  }
  result.messages = [...byId.values()];
  return result;
}
