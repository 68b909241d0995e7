/**
 * Fills a migrated scratch database with the benchmark corpus fast: directory rows through pup's
 * own Directory port, messages (embedded with the offline embedder) through COPY, with the
 * secondary indexes dropped during the load and rebuilt from their own definitions afterwards,
 * as an operator would bulk-load; then VACUUM ANALYZE, the state autovacuum keeps a live table in.
 * The HNSW index is left out until {@link buildVectorIndex}, so the exact pass can run first on
 * the same schema minus the vector index.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import {
  OFFLINE_EMBEDDING_MODEL,
  offlineEmbedding,
} from "../../../core/src/adapters/offline/embedder";
import type { Directory } from "../../../core/src/ports/directory";
import { CHANNELS, type CorpusMessage, generateMessages, TEAM, USERS } from "./corpus";

export interface LoadOutcome {
  rows: number;
  copySeconds: number;
  /** Time spent in the offline embedder, inside copySeconds (it streams while COPY runs). */
  embedSeconds: number;
  otherIndexSeconds: number;
  tableMegabytes: number;
  /** The HNSW index's own definition, for {@link buildVectorIndex}. */
  vectorIndexDefinition: string;
}

export interface VectorIndexOutcome {
  seconds: number;
  megabytes: number;
}

const COLUMNS =
  "team_id, channel_id, ts, thread_ts, user_id, bot_id, text, visibility, posted_at, " +
  "embedding, embedding_model, embedded_at";
const HNSW_INDEX = "messages_embedding_hnsw_idx";
const CHUNK_ROWS = 1000;
/** The index build needs the whole graph in memory to run fast (session-only, bench-only). */
const BUILD_MEMORY = "1GB";

/** COPY's text format: backslash escapes for the characters that delimit rows and fields. */
function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n" })[c] ?? "\\r",
  );
}

function copyLine(m: CorpusMessage, embedding: number[], embeddedAt: string): string {
  return [
    TEAM,
    m.channelId,
    m.ts,
    m.threadTs,
    m.userId,
    m.botId,
    m.text,
    m.visibility,
    m.postedAt.toISOString(),
    `[${embedding.join(",")}]`,
    OFFLINE_EMBEDDING_MODEL,
    embeddedAt,
  ]
    .map(copyField)
    .join("\t");
}

export async function seedDirectory(directory: Directory): Promise<void> {
  await directory.upsertWorkspace({ teamId: TEAM, name: "memory bench" });
  for (const user of USERS) await directory.upsertUser({ teamId: TEAM, ...user });
  for (const channel of CHANNELS) {
    const { channelId, name, visibility } = channel;
    await directory.upsertChannel({ teamId: TEAM, channelId, name, visibility });
  }
}

export async function loadMessages(
  url: string,
  options: { count: number; dimensions: number; progress: (line: string) => void },
): Promise<LoadOutcome> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const indexes = await sql<{ name: string; definition: string }[]>`
      select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'messages'::regclass and not i.indisunique and not i.indisprimary`;
    for (const index of indexes) await sql.unsafe(`drop index ${index.name}`);

    let embedNs = 0;
    const embeddedAt = new Date().toISOString();
    function* chunks(): Generator<string> {
      let lines: string[] = [];
      let done = 0;
      for (const message of generateMessages(options.count)) {
        const start = Bun.nanoseconds();
        const embedding = offlineEmbedding(message.text, options.dimensions);
        embedNs += Bun.nanoseconds() - start;
        lines.push(copyLine(message, embedding, embeddedAt));
        done += 1;
        if (lines.length === CHUNK_ROWS) {
          yield `${lines.join("\n")}\n`;
          lines = [];
        }
        if (done % 20_000 === 0) options.progress(`copied ${done} of ${options.count} messages`);
      }
      if (lines.length > 0) yield `${lines.join("\n")}\n`;
    }
    // One COPY (and transaction) per chunk: triggers on messages that update one row per message
    // (a workspace-wide counter) would otherwise chain every version of it in one transaction.
    const copyStart = Bun.nanoseconds();
    for (const chunk of chunks()) {
      const writable = await sql.unsafe(`copy messages (${COLUMNS}) from stdin`).writable();
      await pipeline(Readable.from([chunk]), writable);
    }
    const copySeconds = (Bun.nanoseconds() - copyStart) / 1e9;

    const started = Bun.nanoseconds();
    let vectorIndexDefinition = "";
    for (const index of indexes) {
      if (index.name === HNSW_INDEX) {
        vectorIndexDefinition = index.definition;
        continue;
      }
      options.progress(`building ${index.name}`);
      await sql.unsafe(index.definition);
    }
    const otherIndexSeconds = (Bun.nanoseconds() - started) / 1e9;
    if (vectorIndexDefinition === "") throw new Error(`memory bench: no ${HNSW_INDEX} on messages`);
    options.progress("vacuum analyze messages");
    await sql.unsafe("vacuum analyze messages");
    const [size] = await sql<{ bytes: string }[]>`
      select pg_total_relation_size('messages'::regclass) - pg_indexes_size('messages'::regclass)
               as bytes`;
    return {
      rows: options.count,
      copySeconds,
      embedSeconds: embedNs / 1e9,
      otherIndexSeconds,
      tableMegabytes: Number(size?.bytes ?? 0) / 1024 / 1024,
      vectorIndexDefinition,
    };
  } finally {
    await sql.end();
  }
}

/** Builds the HNSW index from its saved definition with enough memory to hold the graph. */
export async function buildVectorIndex(
  url: string,
  definition: string,
): Promise<VectorIndexOutcome> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`set maintenance_work_mem = '${BUILD_MEMORY}'`);
    const started = Bun.nanoseconds();
    await sql.unsafe(definition);
    const seconds = (Bun.nanoseconds() - started) / 1e9;
    const [size] = await sql<{ bytes: string }[]>`
      select pg_relation_size(${HNSW_INDEX}::regclass) as bytes`;
    return { seconds, megabytes: Number(size?.bytes ?? 0) / 1024 / 1024 };
  } finally {
    await sql.end();
  }
}
