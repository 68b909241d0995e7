/**
 * Embedding throughput (issue 5): N stored messages get their vectors, four ways, each in a
 * fresh scratch PostgreSQL database with the same messages.
 *
 * baseline: the same vectors, precomputed, written by plain multi-row UPDATE statements of 100
 * rows each, one after another on one connection (pgvector's text form, as its client sends it).
 * baseline-2-connections: the same statements, two at a time (pup keeps up to two batches in
 * flight, so this is the floor to compare its use of both cores with).
 * pup: N "embedding" jobs waiting on a real BullMQ queue in Redis (queued by the message
 * pipeline's own `enqueueEmbedding`), drained by pup's worker path as `bun run worker` runs it
 * (composition's jobHandlers and jobConcurrency: BullMQ runner, embedding batcher, findMany,
 * one embeddings request per batch, setEmbeddings), vectors from the local OpenAI server in a
 * child process answering at once. pup, one per request: the same path with batches of one and
 * the old concurrency of 8, i.e. what each job did on its own before batching.
 *
 * Throughput runs from the first job's start to the last job's end (the backlog is queued
 * before the worker starts). CPU per message is this Bun process's (the worker, or the baseline's
 * client) and the database's backends'. BENCH_EMBEDDING_MESSAGES (default 5000) changes N,
 * BENCH_EMBEDDING_CONCURRENCY pup's embedding concurrency (default: EMBEDDING_JOB_CONCURRENCY's),
 * BENCH_EMBEDDING_UNBATCHED=0 leaves the one-per-request run out.
 */

import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { Redis } from "ioredis";
import pgvector from "pgvector";
import postgres from "postgres";
import * as v from "valibot";
import { createLogger } from "../../core/src/adapters/pino/logger";
import { DEFAULT_EMBEDDING_JOB_CONCURRENCY } from "../../core/src/config/sections";
import { embeddingJob, enqueueEmbedding, runEmbeddingJob } from "../../core/src/features/memory";
import { createEmbedBatcher } from "../../core/src/features/memory/embed-batcher";
import type { JobHandler, RunnerConcurrency } from "../../core/src/ports/job-queue";
import { jobConcurrency, jobHandlers } from "../../core/src/start/queues";
import { type CoreServices, createCoreServices } from "../../core/src/start/services";
import { createDb, type Database } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { queryRows } from "../../db/query-rows";
import { messages } from "../../db/schema";
import { fakeEmbedding } from "../fakes/openai";
import { adminDatabaseUrl, createScratchDatabase, uniqueName } from "../setup/isolation";
import { type OpenAiProcess, startOpenAiProcess } from "./embedding/openai-client";
import { backendCpu, cpuSince } from "./pipeline/db-cpu";
import type { BenchMetric, BenchReport } from "./report";

const MESSAGES = Number(process.env.BENCH_EMBEDDING_MESSAGES ?? 5000);
const DIMENSIONS = 512;
const BASELINE_BATCH = 100;
const TARGET_RATIO = 0.5;
/** The embedding queue's concurrency for pup (default: pup's own default). */
const CONCURRENCY = Number(
  process.env.BENCH_EMBEDDING_CONCURRENCY ?? DEFAULT_EMBEDDING_JOB_CONCURRENCY,
);
/** The unbatched comparison runs at the concurrency pup's other queues use. */
const UNBATCHED_CONCURRENCY = 8;
const TEAM = "TBENCHEMB";
const CHANNEL = "CBENCHEMB";
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const TOPICS = ["deploy", "lunch", "incident", "design review", "coffee", "release", "on-call"];

interface Run {
  messagesPerSecond: number;
  processCpuMsPerMessage: number;
  dbCpuMsPerMessage: number;
  requests?: number;
  inputsPerRequest?: number;
}

const textOf = (i: number) =>
  `message ${i}: the ${TOPICS[i % TOPICS.length]} for team ${i % 13} moved to ${i % 24}:00`;

/** A fresh, migrated database holding the N messages without embeddings; their ids in order. */
async function seed(url: string): Promise<number[]> {
  const handle = createDb({ databaseUrl: url, dataDir: "", embeddingDimensions: DIMENSIONS });
  try {
    await migrateDatabase(handle, { embeddingDimensions: DIMENSIONS });
    const { db } = handle;
    await db.execute(
      `insert into workspaces (team_id) values ('${TEAM}');
       insert into channels (team_id, channel_id, visibility)
         values ('${TEAM}', '${CHANNEL}', 'public_channel')`,
    );
    const ids: number[] = [];
    for (let start = 0; start < MESSAGES; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, MESSAGES - start) }, (_, k) => {
        const i = start + k;
        return {
          teamId: TEAM,
          channelId: CHANNEL,
          ts: tsOf(i),
          userId: `U${i % 40}`,
          text: textOf(i),
          visibility: "public_channel" as const,
          postedAt: new Date(1_700_000_000_000 + i * 1000),
        };
      });
      const inserted = await db.insert(messages).values(rows).returning({ id: messages.id });
      ids.push(...inserted.map((row) => row.id));
    }
    // As autovacuum would have by now in production.
    await db.execute("analyze messages");
    return ids;
  } finally {
    await handle.close();
  }
}

const tsOf = (i: number) => `${1_700_000_000 + i}.000100`;

/** Measures `work` (which returns its own timed span in ms) with process and database CPU. */
async function withCpu(
  admin: postgres.Sql,
  database: string,
  work: () => Promise<number>,
): Promise<Run> {
  const dbBefore = await backendCpu(admin, database);
  const cpuBefore = process.cpuUsage();
  const ms = await work();
  const cpu = process.cpuUsage(cpuBefore);
  const dbMs = cpuSince(dbBefore, await backendCpu(admin, database));
  return {
    messagesPerSecond: MESSAGES / (ms / 1000),
    processCpuMsPerMessage: (cpu.user + cpu.system) / 1000 / MESSAGES,
    dbCpuMsPerMessage: dbMs / MESSAGES,
  };
}

/** Plain batched UPDATEs of precomputed vectors, on `connections` connections at once. */
async function runBaseline(
  url: string,
  ids: number[],
  admin: postgres.Sql,
  database: string,
  connections: number,
) {
  const vectors = ids.map((_, i) => pgvector.toSql(fakeEmbedding(textOf(i), DIMENSIONS)));
  const client = postgres(url, { max: connections, onnotice: () => {} });
  const write = async (from: number) => {
    const params: (string | number)[] = ["bench-baseline"];
    const rows: string[] = [];
    for (let i = from; i < Math.min(from + BASELINE_BATCH, ids.length); i += 1) {
      params.push(ids[i] ?? 0, vectors[i] ?? "");
      rows.push(`($${params.length - 1}::bigint, $${params.length}::vector)`);
    }
    await client.unsafe(
      `update messages as m set embedding = v.embedding, embedding_model = $1,
         embedded_at = now()
       from (values ${rows.join(", ")}) as v(id, embedding) where m.id = v.id`,
      params,
    );
  };
  try {
    await Promise.all(Array.from({ length: connections }, () => client`select 1`));
    const run = await withCpu(admin, database, async () => {
      const start = performance.now();
      let next = 0;
      const writer = async () => {
        for (let from = next; from < ids.length; from = next) {
          next += BASELINE_BATCH;
          await write(from);
        }
      };
      await Promise.all(Array.from({ length: connections }, writer));
      return performance.now() - start;
    });
    await expectAllEmbedded(drizzle({ client }));
    return run;
  } finally {
    await client.end();
  }
}

/** A run counts only if every message got its vector. */
async function expectAllEmbedded(db: Pick<Database, "execute">): Promise<void> {
  const [row] = await queryRows<{ embedded: number }>(
    db,
    sql`select count(*)::int as embedded from messages where embedding is not null`,
  );
  if (row?.embedded !== MESSAGES) {
    throw new Error(`expected ${MESSAGES} embedded messages, found ${row?.embedded}`);
  }
}

export default async function embeddingBench(): Promise<BenchReport> {
  const admin = postgres(adminDatabaseUrl(), { max: 1, onnotice: () => {} });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const redisPrefix = `pup-bench:${uniqueName("embedding")}:`;
  const openai = await startOpenAiProcess(DIMENSIONS);
  const runs: Record<string, Run> = {};
  /** One system on a database of its own, so none writes into another's HNSW index. */
  const onFreshDatabase = async (
    system: string,
    measure: (url: string, ids: number[], name: string) => Promise<Run>,
  ) => {
    const scratch = await createScratchDatabase("pup_bench_embedding");
    try {
      const ids = await seed(scratch.url);
      runs[system] = await measure(scratch.url, ids, scratch.name);
    } finally {
      await scratch.drop();
    }
  };
  try {
    await onFreshDatabase("baseline", (url, ids, name) => runBaseline(url, ids, admin, name, 1));
    await onFreshDatabase("baseline-2-connections", (url, ids, name) =>
      runBaseline(url, ids, admin, name, 2),
    );
    await onFreshDatabase("pup", (url, _ids, name) =>
      runWorker(url, openai, admin, name, `${redisPrefix}pup`, (services) => ({
        handler: jobHandlers(services.deps).embedding as JobHandler,
        limits: jobConcurrency({ embeddingConcurrency: CONCURRENCY }),
      })),
    );
    if (process.env.BENCH_EMBEDDING_UNBATCHED !== "0")
      await onFreshDatabase("pup-unbatched", (url, _ids, name) =>
        runWorker(url, openai, admin, name, `${redisPrefix}single`, (services) => {
          const batcher = createEmbedBatcher(services.deps, {
            maxItems: 1,
            maxInFlight: UNBATCHED_CONCURRENCY,
          });
          return {
            handler: (job) => runEmbeddingJob(batcher, v.parse(embeddingJob.schema, job.data)),
            limits: { perQueue: { embedding: UNBATCHED_CONCURRENCY } },
          };
        }),
      );
  } finally {
    await openai.stop();
    await deleteKeys(redis, redisPrefix).catch(() => {});
    redis.disconnect();
    await admin.end({ timeout: 5 });
  }

  const systems = Object.keys(runs);
  const metric = (
    name: string,
    unit: string,
    better: BenchMetric["better"],
    pick: (run: Run) => number | undefined,
  ): BenchMetric => ({
    name,
    unit,
    better,
    values: Object.fromEntries(
      Object.entries(runs).flatMap(([system, run]) => {
        const value = pick(run);
        return value === undefined ? [] : [[system, value]];
      }),
    ),
  });
  const ratio = (runs.pup?.messagesPerSecond ?? 0) / (runs.baseline?.messagesPerSecond ?? 1);
  return {
    suite: "embedding: stored messages embedded and written",
    baseline: "baseline",
    systems,
    parameters: {
      messages: MESSAGES,
      dimensions: DIMENSIONS,
      baselineRowsPerStatement: BASELINE_BATCH,
      embeddingConcurrency: CONCURRENCY,
      embedder: "local OpenAI server, child process",
      pupOverBaseline: Math.round(ratio * 100) / 100,
      meetsTarget: ratio >= TARGET_RATIO ? `yes (>= ${TARGET_RATIO})` : `no (< ${TARGET_RATIO})`,
    },
    metrics: [
      metric("throughput", "messages/s", "higher", (r) => r.messagesPerSecond),
      metric("Bun process CPU per message", "ms", "lower", (r) => r.processCpuMsPerMessage),
      metric("PostgreSQL backend CPU per message", "ms", "lower", (r) => r.dbCpuMsPerMessage),
      metric("embedding requests", "count", "lower", (r) => r.requests),
      metric("inputs per embedding request", "mean", "higher", (r) => r.inputsPerRequest),
    ],
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** Queues the backlog, then lets the worker drain it; `handler` picks the embedding path. */
async function runWorker(
  url: string,
  openai: OpenAiProcess,
  admin: postgres.Sql,
  database: string,
  prefix: string,
  path: (services: CoreServices) => { handler: JobHandler; limits: RunnerConcurrency },
): Promise<Run> {
  const services = await createCoreServices(
    {
      llm: {
        mode: "openai",
        apiKey: openai.apiKey,
        baseUrl: openai.url,
        chatModel: "gpt-4o-mini",
        embeddingModel: "text-embedding-3-small",
      },
      embedding: { dimensions: DIMENSIONS },
      database: { url, dataDir: "" },
      redis: { url: REDIS_URL },
      // Never called: only the embedding queue runs.
      slack: { botToken: "xoxb-bench-unused", apiUrl: "http://127.0.0.1:9/api/" },
    },
    {
      logger: createLogger({ level: "warn", env: "development", name: "bench-worker" }),
      redisPrefix: prefix,
      migrate: false,
    },
  );
  try {
    for (let from = 0; from < MESSAGES; from += 500) {
      const batch = Array.from({ length: Math.min(500, MESSAGES - from) }, (_, k) => from + k);
      await Promise.all(
        batch.map((i) => enqueueEmbedding(services.deps, TEAM, CHANNEL, tsOf(i), 0)),
      );
    }
    const before = await openai.stats();
    const { handler, limits } = path(services);
    let first = 0;
    let done = 0;
    let finished = () => {};
    const allDone = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const run = await withCpu(admin, database, async () => {
      await services.runner.start(
        {
          embedding: async (job) => {
            if (first === 0) first = performance.now();
            await handler(job);
            done += 1;
            if (done === MESSAGES) finished();
          },
        },
        limits,
      );
      await allDone;
      return performance.now() - first;
    });
    const after = await openai.stats();
    await expectAllEmbedded(services.db.db);
    const requests = after.requests - before.requests;
    return { ...run, requests, inputsPerRequest: (after.inputs - before.inputs) / requests };
  } finally {
    await services.close(5000);
  }
}
