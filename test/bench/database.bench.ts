/**
 * Message insert throughput and recall query latency at 20k messages, real PostgreSQL (baseline)
 * beside embedded PGlite, through the same SQL adapter pup uses (upsert + setEmbedding, then
 * scoped nearest-neighbour and full-text queries with the visibility filter).
 * BENCH_ROWS overrides the row count for a quick run.
 */

import { sql } from "drizzle-orm";
import { createSqlDataAccess } from "../../core/src/adapters/sql";
import { createDb, type DbHandle, IN_MEMORY_DATA_DIR } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createTokenCipher } from "../../db/token-cipher";
import { createScratchDatabase } from "../setup/isolation";
import type { BenchMetric, BenchReport } from "./report";
import { percentile, timeMs } from "./stats";
import { clusteredVectors } from "./vectors";

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const DIMENSIONS = 512;
const QUERIES = 200;
const WRITERS = 4;
const TEAM = "TBENCH";
const WORDS = ["deploy", "cat", "lunch", "incident", "design", "review", "coffee", "release"];

interface SystemResult {
  insertRowsPerSecond: number;
  vectorP50: number;
  vectorP95: number;
  textP50: number;
  textP95: number;
}

async function measure(handle: DbHandle, vectors: number[][]): Promise<SystemResult> {
  await migrateDatabase(handle, { embeddingDimensions: DIMENSIONS });
  const cipher = await createTokenCipher({
    currentKeyId: "bench",
    keys: { bench: Buffer.alloc(32, 7).toString("base64") },
  });
  const data = createSqlDataAccess(handle.db, cipher);
  await data.directory.upsertWorkspace({ teamId: TEAM, name: "bench" });
  const channels = ["CPUB1", "CPUB2", "CPRIV", "DBENCH"] as const;
  const visibility = ["public_channel", "public_channel", "private_channel", "dm"] as const;
  for (const [i, channelId] of channels.entries()) {
    await data.directory.upsertChannel({
      teamId: TEAM,
      channelId,
      visibility: visibility[i] ?? "dm",
    });
  }

  let next = 0;
  const start = Bun.nanoseconds();
  const writer = async () => {
    for (let i = next++; i < vectors.length; i = next++) {
      const c = i % channels.length;
      const stored = await data.messages.upsert({
        teamId: TEAM,
        channelId: channels[c] ?? "CPUB1",
        ts: `${1_700_000_000 + i}.000100`,
        userId: `U${i % 50}`,
        text: `message ${i} about ${WORDS[i % WORDS.length]} and ${WORDS[(i * 7) % WORDS.length]}`,
        visibility: visibility[c] ?? "dm",
        postedAt: new Date(1_700_000_000_000 + i * 1000),
      });
      await data.messages.setEmbedding(TEAM, stored.id, vectors[i] ?? [], "bench");
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const insertSeconds = (Bun.nanoseconds() - start) / 1e9;
  // Production tables are analysed by autovacuum; without statistics the planner skips the
  // HNSW index on a freshly loaded table, which would measure a state pup never runs in.
  await handle.db.execute(sql`analyze messages`);

  const scope = { teamId: TEAM, fromChannelId: "CPRIV", limit: 10 };
  const probes = clusteredVectors({
    count: QUERIES,
    dimensions: DIMENSIONS,
    topics: 64,
    noise: 0.4,
    seed: 99,
  });
  const vectorTimes: number[] = [];
  const textTimes: number[] = [];
  for (const [i, probe] of probes.entries()) {
    vectorTimes.push(await timeMs(() => data.messages.nearest(scope, probe)));
    textTimes.push(
      await timeMs(() => data.messages.search(scope, WORDS[i % WORDS.length] ?? "cat")),
    );
  }
  return {
    insertRowsPerSecond: vectors.length / insertSeconds,
    vectorP50: percentile(vectorTimes, 50),
    vectorP95: percentile(vectorTimes, 95),
    textP50: percentile(textTimes, 50),
    textP95: percentile(textTimes, 95),
  };
}

export default async function databaseBench(): Promise<BenchReport> {
  const vectors = clusteredVectors({
    count: ROWS,
    dimensions: DIMENSIONS,
    topics: 64,
    noise: 0.4,
    seed: 7,
  });
  const scratch = await createScratchDatabase("pup_bench");
  const results: Record<string, SystemResult> = {};
  try {
    const postgresHandle = createDb({
      databaseUrl: scratch.url,
      dataDir: "",
      embeddingDimensions: DIMENSIONS,
    });
    try {
      results.postgres = await measure(postgresHandle, vectors);
    } finally {
      await postgresHandle.close();
    }
  } finally {
    await scratch.drop();
  }
  const pgliteHandle = createDb({ dataDir: IN_MEMORY_DATA_DIR, embeddingDimensions: DIMENSIONS });
  try {
    results.pglite = await measure(pgliteHandle, vectors);
  } finally {
    await pgliteHandle.close();
  }

  const metric = (
    name: string,
    unit: string,
    better: BenchMetric["better"],
    key: keyof SystemResult,
  ) => ({
    name,
    unit,
    better,
    values: Object.fromEntries(Object.entries(results).map(([system, r]) => [system, r[key]])),
  });
  return {
    suite: "database: message insert and recall queries",
    baseline: "postgres",
    systems: ["postgres", "pglite"],
    parameters: { rows: ROWS, dimensions: DIMENSIONS, queries: QUERIES, writers: WRITERS, k: 10 },
    metrics: [
      metric("insert (upsert + embedding)", "rows/s", "higher", "insertRowsPerSecond"),
      metric("top-10 vector recall p50", "ms", "lower", "vectorP50"),
      metric("top-10 vector recall p95", "ms", "lower", "vectorP95"),
      metric("full-text search p50", "ms", "lower", "textP50"),
      metric("full-text search p95", "ms", "lower", "textP95"),
    ],
  };
}
