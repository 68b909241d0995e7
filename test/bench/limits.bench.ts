/**
 * The cost of core's exact limit check (ADR-025) on a reply: one Lua script over two sliding
 * windows and two budgets (core/src/adapters/redis/rate-limiter.ts), against a Redis PING on the
 * same connection (the floor: one round trip) and against the in-process limiter the demo and the
 * outage fallback use. Systems take turns request by request, so load on the machine hits all
 * alike; each check uses its own user, so windows fill as in a busy workspace without refusing.
 * BENCH_LIMIT_CHECKS overrides the checks per system (default 5,000).
 */
import { Redis } from "ioredis";
import { createInProcessRateLimiter } from "../../core/src/adapters/in-process/rate-limiter";
import { createRedisRateLimiter } from "../../core/src/adapters/redis/rate-limiter";
import type { AdmitRequest } from "../../core/src/ports/rate-limiter";
import { deleteKeys } from "./queue-baseline";
import type { BenchMetric, BenchReport } from "./report";
import { percentile } from "./stats";

const CHECKS = Number(process.env.BENCH_LIMIT_CHECKS ?? 5_000);
const WARMUP = 200;
const USERS = 500;
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";

function replyCheck(prefix: string, i: number, now: number): AdmitRequest {
  const user = `U${i % USERS}`;
  const day = new Date(now).toISOString().slice(0, 10);
  return {
    id: `${prefix}-${i}`,
    now,
    windows: [
      { key: `user:T1:${user}`, limit: 1_000_000, windowMs: 60_000 },
      { key: "team:T1", limit: 1_000_000, windowMs: 60_000 },
    ],
    budgets: [
      { key: `tokens:${day}:T1:${user}`, limit: 1_000_000_000 },
      { key: `tokens:${day}`, limit: 1_000_000_000 },
    ],
  };
}

export default async function bench(): Promise<BenchReport> {
  const redis = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  const prefix = `pup-bench:limits:${crypto.randomUUID()}:`;
  const redisLimiter = createRedisRateLimiter({ redis, prefix });
  const inProcess = createInProcessRateLimiter();
  const systems = ["redis PING", "redis limit check", "in-process limit check"];
  const run: Record<string, (i: number) => Promise<unknown>> = {
    "redis PING": () => redis.ping(),
    "redis limit check": (i) => redisLimiter.admit(replyCheck("r", i, Date.now())),
    "in-process limit check": (i) => inProcess.admit(replyCheck("p", i, Date.now())),
  };
  const micros: Record<string, number[]> = Object.fromEntries(systems.map((s) => [s, []]));
  try {
    for (let i = -WARMUP; i < CHECKS; i++) {
      for (let k = 0; k < systems.length; k++) {
        const system = systems[(i + WARMUP + k) % systems.length] as string;
        const start = Bun.nanoseconds();
        const answer = await run[system]?.(i + WARMUP);
        const took = (Bun.nanoseconds() - start) / 1000;
        if (answer && typeof answer === "object" && "admitted" in answer && !answer.admitted) {
          throw new Error(`bench: ${system} refused a check it should admit`);
        }
        if (i >= 0) micros[system]?.push(took);
      }
    }
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
  const timing = (name: string, p: number): BenchMetric => ({
    name,
    unit: "µs/check",
    better: "lower",
    values: Object.fromEntries(systems.map((s) => [s, percentile(micros[s] ?? [], p)])),
  });
  return {
    suite: "exact limit check on a reply (2 windows, 2 budgets)",
    baseline: "redis PING",
    systems,
    metrics: [timing("p50", 50), timing("p95", 95), timing("p99", 99)],
    parameters: { checksPerSystem: CHECKS, users: USERS },
  };
}
