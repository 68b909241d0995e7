// The "processes" of test/integration/mood-persistence.test.ts: each with its own database pool,
// Redis connection (or a given cache), recording logger and clock, as a core process would have.
import { afterAll, afterEach } from "bun:test";
import { createServer } from "node:net";
import type { Redis } from "ioredis";
import { createRedisCache, createRedisClient } from "../../core/src/adapters/redis";
import { createSqlMoodStore } from "../../core/src/adapters/sql/mood-store";
import type { MoodDeps, MoodScope } from "../../core/src/features/personality/mood";
import {
  DEFAULT_MOOD_SETTINGS,
  type MoodSettings,
  type MoodSignal,
} from "../../core/src/features/personality/mood-machine";
import type { KeyValueCache } from "../../core/src/ports/cache";
import type { MoodStore } from "../../core/src/ports/mood-store";
import { createDb } from "../../db/client";
import { testRedisPrefix, testRedisUrl } from "../contracts/queue-harness";
import { uniqueName } from "../setup/isolation";

export const MINUTE = 60_000;
export const T0 = Date.UTC(2026, 10, 2, 9, 0);

interface LogCall {
  level: "debug" | "info" | "warn" | "error";
  message: string;
}

export interface Process {
  deps: MoodDeps;
  moods: MoodStore;
  cache: KeyValueCache;
  clock: { now: number };
  logs: LogCall[];
  close(): Promise<void>;
}

const open: Process[] = [];
const prefixes: string[] = [];

afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});

// The preload clears the whole run's prefix too; this keeps the keys from outliving the file.
afterAll(async () => {
  const redis = createRedisClient(testRedisUrl(), { onError: () => {} });
  try {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
});

export function newPrefix(): string {
  const prefix = testRedisPrefix("mood");
  prefixes.push(prefix);
  return prefix;
}

/** A core process: its own pool and Redis connection (or the given cache), and its own clock. */
export function startProcess(
  prefix: string,
  options: { redisUrl?: string; cache?: KeyValueCache } = {},
) {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  const db = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  let redis: Redis | undefined;
  let cache = options.cache;
  if (!cache) {
    redis = createRedisClient(options.redisUrl ?? testRedisUrl(), { onError: () => {} });
    cache = createRedisCache({ redis, prefix });
  }
  const logs: LogCall[] = [];
  const record =
    (level: LogCall["level"]) =>
    (...args: unknown[]) => {
      logs.push({ level, message: String(args.find((a) => typeof a === "string")) });
    };
  const clock = { now: T0 };
  let closed = false;
  const moods = createSqlMoodStore(db.db);
  const started: Process = {
    deps: {
      moods,
      cache,
      logger: {
        debug: record("debug"),
        info: record("info"),
        warn: record("warn"),
        error: record("error"),
      },
      now: () => clock.now,
    },
    moods,
    cache,
    clock,
    logs,
    // A test may close a process itself (a restart); the cleanup after it then does nothing.
    close: async () => {
      if (closed) return;
      closed = true;
      if (redis) await redis.quit().catch(() => redis?.disconnect());
      await db.close();
    },
  };
  open.push(started);
  return started;
}

export function newScope(settings: Partial<MoodSettings> = {}): MoodScope {
  return {
    teamId: uniqueName("T"),
    channelId: uniqueName("C"),
    settings: { ...DEFAULT_MOOD_SETTINGS, ...settings },
  };
}

export const signal = (kind: MoodSignal["kind"], at: number, messageTs?: string): MoodSignal =>
  messageTs === undefined ? { kind, at } : { kind, at, messageTs };

/** What PostgreSQL holds: the row (with the machine's counters) and the whole history. */
export async function stored(p: Process, scope: MoodScope) {
  const row = await p.moods.load(scope.teamId, scope.channelId);
  const history = await p.moods.history(scope.teamId, scope.channelId, 100);
  const recent = (row?.state as { recent?: Record<string, number[]> } | undefined)?.recent;
  return { row, history, recent };
}

export const warnings = (p: Process) =>
  p.logs.filter((l) => l.level === "warn").map((l) => l.message);

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}
