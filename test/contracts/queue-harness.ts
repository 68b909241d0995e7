// Builds the job queue and cache adapters the contract tests run against: in-process (demo) and
// Redis/BullMQ (production), each isolated per test by a unique key prefix.
import type { Redis } from "ioredis";
import { createInProcessCache, createInProcessJobs } from "../../core/src/adapters/in-process";
import {
  createBullMqJobQueue,
  createBullMqJobRunner,
  createRedisCache,
  createRedisClient,
} from "../../core/src/adapters/redis";
import type { KeyValueCache } from "../../core/src/ports/cache";
import type { JobQueue, JobRunner } from "../../core/src/ports/job-queue";
import { uniqueName } from "../setup/isolation";

/** Short backoff so retry tests take milliseconds, not seconds. */
export const TEST_BACKOFF_MS = 20;

export function testRedisUrl(): string {
  return process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
}

/** A key prefix private to one test, under this run's prefix (cleaned up by the preload). */
export function testRedisPrefix(label: string): string {
  const runPrefix = process.env.PUP_TEST_REDIS_PREFIX;
  if (!runPrefix) throw new Error("PUP_TEST_REDIS_PREFIX is unset: is the test preload running?");
  return `${runPrefix}${uniqueName(label)}:`;
}

export interface QueueHarness {
  queue: JobQueue;
  runner: JobRunner;
  dispose(): Promise<void>;
}

export interface CacheHarness {
  cache: KeyValueCache;
  dispose(): Promise<void>;
}

export type Factory<T> = () => Promise<T>;

export const queueSystems: [string, Factory<QueueHarness>][] = [
  [
    "in-process",
    async () => {
      const { queue, runner } = createInProcessJobs({ backoffDelayMs: TEST_BACKOFF_MS });
      return {
        queue,
        runner,
        async dispose() {
          await runner.stop(1000);
          await queue.close();
        },
      };
    },
  ],
  [
    "bullmq",
    async () => {
      const connection = createRedisClient(testRedisUrl(), { connectionName: "pup-contract" });
      const prefix = testRedisPrefix("jq");
      const queue = createBullMqJobQueue({ connection, prefix, backoffDelayMs: TEST_BACKOFF_MS });
      const runner = createBullMqJobRunner({ connection, prefix });
      return {
        queue,
        runner,
        async dispose() {
          await runner.stop(1000);
          await queue.close();
          await quit(connection);
        },
      };
    },
  ],
];

export const cacheSystems: [string, Factory<CacheHarness>][] = [
  [
    "in-process",
    async () => {
      const cache = createInProcessCache();
      return { cache, dispose: async () => cache.close() };
    },
  ],
  [
    "redis",
    async () => {
      const redis = createRedisClient(testRedisUrl(), { connectionName: "pup-contract" });
      const cache = createRedisCache({ redis, prefix: testRedisPrefix("cache") });
      return { cache, dispose: () => quit(redis) };
    },
  ],
];

async function quit(redis: Redis): Promise<void> {
  await redis.quit().catch(() => redis.disconnect());
}

/** Polls `condition` every 10 ms until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(10);
  }
}
