/**
 * One measurement pass of the memory benchmark over one database session configuration (exact:
 * no index scans; indexed: pup's HNSW and GIN indexes at some `hnsw.ef_search`). Every query kind
 * runs serially from one client, queries in the same order for every pass, after a few untimed
 * warm-up queries, so passes differ only in how PostgreSQL executes them.
 */
import { asc, cosineDistance, sql } from "drizzle-orm";
import { createInProcessCache } from "../../../core/src/adapters/in-process/cache";
import { createOfflineEmbedder } from "../../../core/src/adapters/offline/embedder";
import { createLogger } from "../../../core/src/adapters/pino/logger";
import { createSlackGateway } from "../../../core/src/adapters/slack/gateway";
import { createSqlDirectory } from "../../../core/src/adapters/sql/directory";
import { storedMessageColumns } from "../../../core/src/adapters/sql/message-columns";
import { createSqlMessageStore } from "../../../core/src/adapters/sql/message-store";
import { cachedDirectory } from "../../../core/src/features/directory/directory-cache";
import {
  AROUND,
  LEXICAL_CANDIDATES as RECALL_CANDIDATES,
  recallMemories,
} from "../../../core/src/features/memory/recall";
import { DEFAULT_REPLY_SETTINGS } from "../../../core/src/features/reply/settings";
import type { Database, DbHandle } from "../../../db/client";
import { messages } from "../../../db/schema";
import { timeMs } from "../stats";
import { BOT_USER, CORPUS_NOW, type CorpusQuery, TEAM } from "./corpus";

export interface BenchQuery extends CorpusQuery {
  vector: number[];
}

/**
 * filteredK: MessageStore.nearest (pup's visibility filter), k rows. plainK: the same select with
 * no WHERE at all. search: MessageStore.search. lexical: MessageStore.lexical as recall asks it.
 * recall: recallMemories, the whole recall.
 */
export type QueryKind =
  | "filtered10"
  | "filtered24"
  | "plain10"
  | "plain24"
  | "search"
  | "lexical"
  | "recall";

export interface Timed {
  /** Milliseconds per query, in query order. */
  times: number[];
  /** Vector kinds: the distances returned, nearest first, per query. */
  distances: number[][];
  /** recall: one key per recalled line, per query. */
  lines: string[][];
}

export type PhaseResult = Partial<Record<QueryKind, Timed>>;

/** Untimed queries first: every pooled connection prepares its statements once, as in a warm core. */
export const WARMUP_QUERIES = 20;
/** What recall asks the store for: twice the memories it keeps (core/src/features/memory/recall.ts). */
export const RECALL_K = DEFAULT_REPLY_SETTINGS.recallLimit * 2;
/** Lexical candidates and turns around each, as core/src/features/memory/recall.ts asks for them. */
const LEXICAL_CANDIDATES = Math.max(RECALL_CANDIDATES, DEFAULT_REPLY_SETTINGS.recallLimit);

/** The same columns and order as pup's nearest query, without the workspace/visibility filter. */
async function plainNearest(db: Database, vector: number[], k: number): Promise<number[]> {
  const distance = cosineDistance(messages.embedding, vector);
  const rows = await db
    .select({ ...storedMessageColumns, distance: sql<number>`${distance}` })
    .from(messages)
    .orderBy(asc(distance))
    .limit(k);
  return rows.map((row) => Number(row.distance));
}

export async function runPhase(
  handle: DbHandle,
  queries: readonly BenchQuery[],
  kinds: readonly QueryKind[],
  progress: (line: string) => void,
): Promise<PhaseResult> {
  const store = createSqlMessageStore(handle.db);
  const deps: Parameters<typeof recallMemories>[0] = {
    messages: store,
    embedder: createOfflineEmbedder(queries[0]?.vector.length ?? 512),
    // As composed in production (start/services.ts): names and channels cached in process.
    directory: cachedDirectory(createSqlDirectory(handle.db)),
    logger: createLogger({
      level: "warn",
      env: "development",
      name: "bench-memory",
      destination: { write: (line: string) => process.stderr.write(line) },
    }),
    reply: DEFAULT_REPLY_SETTINGS,
    now: () => CORPUS_NOW,
    // Recall only builds permalinks from it, which needs no Web API call; the URL is a closed
    // loopback port, so a call recall started making would fail loudly instead of going out.
    slack: createSlackGateway({
      botToken: "xoxb-bench-unused",
      apiUrl: "http://127.0.0.1:9/api/",
      cache: createInProcessCache({ sweepIntervalMs: 0 }),
    }),
  };
  const scope = (q: BenchQuery, limit: number) => ({
    teamId: TEAM,
    fromChannelId: q.channelId,
    limit,
  });
  const distancesOf = (hits: { score: number }[]) => hits.map((hit) => hit.score);
  const run: Record<QueryKind, (q: BenchQuery, into: Timed) => Promise<unknown>> = {
    filtered10: async (q, into) =>
      into.distances.push(distancesOf(await store.nearest(scope(q, 10), q.vector))),
    filtered24: async (q, into) =>
      into.distances.push(distancesOf(await store.nearest(scope(q, RECALL_K), q.vector))),
    plain10: async (q, into) => into.distances.push(await plainNearest(handle.db, q.vector, 10)),
    plain24: async (q, into) =>
      into.distances.push(await plainNearest(handle.db, q.vector, RECALL_K)),
    search: (q) => store.search(scope(q, RECALL_K), q.text),
    lexical: (q) => store.lexical(scope(q, LEXICAL_CANDIDATES), q.text, AROUND, q.vector),
    recall: async (q, into) => {
      const lines = await recallMemories(deps, {
        teamId: TEAM,
        channelId: q.channelId,
        query: q.text,
        exclude: new Set(),
        botUserId: BOT_USER,
      });
      into.lines.push(lines.map((l) => `${l.postedAt.toISOString()} ${l.speaker}: ${l.text}`));
    },
  };

  const result: PhaseResult = {};
  for (const kind of kinds) {
    const warm: Timed = { times: [], distances: [], lines: [] };
    for (const q of queries.slice(0, WARMUP_QUERIES)) await run[kind](q, warm);
    const timed: Timed = { times: [], distances: [], lines: [] };
    for (const q of queries) timed.times.push(await timeMs(() => run[kind](q, timed)));
    result[kind] = timed;
    const total = timed.times.reduce((sum, t) => sum + t, 0);
    progress(`${kind}: ${queries.length} queries in ${(total / 1000).toFixed(1)} s`);
  }
  return result;
}
