/**
 * Acceptance throughput and latency of core's `POST /internal/slack` (signature check, replay
 * guard, validation, event log INSERT, BullMQ add through the real adapters, on real
 * PostgreSQL and Redis) against a floor measured in the same run: a bare `Bun.serve` handler
 * doing only the same single INSERT and one BullMQ add. Load comes from autocannon in a child
 * process, every request a distinct, freshly signed event. Target: pup/floor throughput >= 0.5.
 * BENCH_ACCEPT_REQUESTS and BENCH_ACCEPT_CONNECTIONS override the defaults.
 */
import { Queue } from "bullmq";
import { Hono } from "hono";
import { Redis } from "ioredis";
import postgres from "postgres";
import { createLogger } from "../../core/src/adapters/pino/logger";
import { createBullMqJobQueue, createRedisCache } from "../../core/src/adapters/redis";
import { createSqlEventLog } from "../../core/src/adapters/sql/event-log";
import { messageJobId } from "../../core/src/features/intake/message-job";
import { INTERNAL_SLACK_PATH, internalSlackRoute } from "../../core/src/features/intake/route";
import { httpMetricsMiddleware } from "../../core/src/features/observability/http-metrics";
import { createCoreMetrics } from "../../core/src/features/observability/metrics";
import { createDb } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import type { ForwardedPayload } from "../../protocol/forwarded-payload";
import { createScratchDatabase, uniqueName } from "../setup/isolation";
import type { AcceptancePlan, AcceptanceResult } from "./acceptance/plan";
import { runAcceptanceLoad } from "./acceptance/run-load";
import type { BenchMetric, BenchReport } from "./report";

const REQUESTS = Number(process.env.BENCH_ACCEPT_REQUESTS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_ACCEPT_CONNECTIONS ?? 16);
const WARMUP = Math.min(1_000, REQUESTS);
const SECRET = "acceptance-bench-secret-0123456789abcdef";
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
/** The same pool size as createDb's, so the floor gets no more connections than pup. */
const POOL = 10;

type Server = ReturnType<typeof Bun.serve>;

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
}

async function load(server: Server, label: string, count: number): Promise<AcceptanceResult> {
  const plan: AcceptancePlan = {
    origin: `http://127.0.0.1:${server.port}`,
    path: INTERNAL_SLACK_PATH,
    secret: SECRET,
    teamId: uniqueName(`T${label}`).toUpperCase(),
    idPrefix: `Ev${label}`,
    count,
    connections: CONNECTIONS,
  };
  const result = await runAcceptanceLoad(plan);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${label}: ${result.non2xx} non-2xx, ${result.errors} errors: ${JSON.stringify(result.statuses)}`,
    );
  }
  return result;
}

export default async function acceptanceBench(): Promise<BenchReport> {
  const scratch = await createScratchDatabase("pup_bench_accept");
  const redisPrefix = `pup-bench:${uniqueName("accept")}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const handle = createDb({ databaseUrl: scratch.url, dataDir: "", embeddingDimensions: 512 });
  const floorSql = postgres(scratch.url, { max: POOL, onnotice: () => {} });
  const servers: Server[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  const results: Record<string, AcceptanceResult> = {};
  try {
    await migrateDatabase(handle, { embeddingDimensions: 512 });

    // The floor: parse, one INSERT, one BullMQ add; no signature, replay guard or validation.
    const floorQueue = new Queue("message", { connection: redis, prefix: `${redisPrefix}floor` });
    closers.push(() => floorQueue.close());
    const floor = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(request) {
        const forwarded = JSON.parse(await request.text()) as ForwardedPayload;
        const teamId = forwarded.teamId ?? "";
        const event = (
          forwarded.payload as { event: { type: string; user: string; channel: string } }
        ).event;
        await floorSql`
          insert into slack_events
            (team_id, event_id, kind, event_type, user_id, channel_id, payload, retry_num, retry_reason)
          values (${teamId}, ${forwarded.id}, ${forwarded.kind}, ${event.type}, ${event.user},
            ${event.channel}, ${floorSql.json(forwarded.payload as postgres.JSONValue)},
            ${forwarded.retry.num}, ${forwarded.retry.reason})
          on conflict (team_id, event_id) do nothing
          returning id`;
        await floorQueue.add(
          forwarded.kind,
          { teamId, eventId: forwarded.id },
          { jobId: messageJobId(teamId, forwarded.id) },
        );
        return new Response(null, { status: 202 });
      },
    });
    servers.push(floor);

    // pup: the real route with the real adapters, metrics on, logging at its production level.
    const queue = createBullMqJobQueue({ connection: redis, prefix: `${redisPrefix}pup` });
    closers.push(() => queue.close());
    const metrics = createCoreMetrics();
    const app = new Hono();
    app.use(httpMetricsMiddleware(metrics));
    app.route(
      "/",
      internalSlackRoute({
        secret: SECRET,
        eventLog: createSqlEventLog(handle.db),
        queue,
        cache: createRedisCache({ redis, prefix: `${redisPrefix}cache:` }),
        logger: createLogger({
          level: "info",
          env: "production",
          name: "core",
          destination: { write: () => {} },
        }),
        metrics,
      }),
    );
    const pup = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
    servers.push(pup);

    await load(floor, "warmfloor", WARMUP);
    await load(pup, "warmpup", WARMUP);
    results.floor = await load(floor, "floor", REQUESTS);
    results.pup = await load(pup, "pup", REQUESTS);
  } finally {
    for (const server of servers) server.stop(true);
    for (const close of closers) await close().catch(() => {});
    await floorSql.end({ timeout: 5 });
    await handle.close();
    await deleteKeys(redis, redisPrefix).catch(() => {});
    redis.disconnect();
    await scratch.drop();
  }

  const metric = (
    name: string,
    unit: string,
    better: BenchMetric["better"],
    key: keyof AcceptanceResult,
  ): BenchMetric => ({
    name,
    unit,
    better,
    values: Object.fromEntries(
      Object.entries(results).map(([system, r]) => [system, Number(r[key])]),
    ),
  });
  return {
    suite:
      "acceptance: POST /internal/slack vs a bare INSERT + BullMQ add (target pup/floor >= 0.5)",
    baseline: "floor",
    systems: ["floor", "pup"],
    parameters: { requests: REQUESTS, connections: CONNECTIONS, warmup: WARMUP, pool: POOL },
    metrics: [
      metric("throughput", "req/s", "higher", "requestsPerSecond"),
      metric("latency p50", "ms", "lower", "p50Ms"),
      metric("latency p95", "ms", "lower", "p95Ms"),
      metric("latency p99", "ms", "lower", "p99Ms"),
    ],
  };
}
