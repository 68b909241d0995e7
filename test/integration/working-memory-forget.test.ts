// Forgetting reaches every process's working memory (ADR-034). Two "processes" share one Redis
// (short-term memory, cache and memory bus under one prefix) through their own connections, each
// with its own working memory subscribed as core/src/start wires it. A forget run in one drops
// the copies in the other's RAM (and only the right ones); a process whose bus connection was
// cut while a notice went out clears its working memory once it is back.
import { afterEach, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createInProcessJobs } from "../../core/src/adapters/in-process";
import {
  createRedisCache,
  createRedisClient,
  createRedisMemoryBus,
} from "../../core/src/adapters/redis";
import { createRedisShortTermMemory } from "../../core/src/adapters/redis/short-term-memory";
import {
  clearCopies,
  type ForgetDeps,
  jobOfUser,
  userCacheKeys,
} from "../../core/src/features/forget";
import { createWorkingMemory, type WorkingMemory } from "../../core/src/features/memory";
import type { KeyValueCache } from "../../core/src/ports/cache";
import type { JobQueue } from "../../core/src/ports/job-queue";
import type { MemoryBus } from "../../core/src/ports/memory-bus";
import type {
  ShortTermConversation,
  ShortTermMemory,
  ShortTermMessage,
} from "../../core/src/ports/short-term-memory";
import { createCoreServices } from "../../core/src/start/services";
import { followForgets } from "../../core/src/start/working-memory-bus";
import { testRedisPrefix, testRedisUrl, waitFor } from "../contracts/queue-harness";
import { capturingLogger, modelConfig } from "../setup/pup-under-test";
import { redisRelay } from "../setup/tcp-relay";

const ALICE = "U0ALICE";
const BOB = "U0BOB";

interface Process {
  client: Redis;
  shortTerm: ShortTermMemory;
  cache: KeyValueCache;
  bus: MemoryBus;
  queue: JobQueue;
  working: WorkingMemory;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

const open: Process[] = [];
const relays: ReturnType<typeof redisRelay>[] = [];

afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
  for (const relay of relays.splice(0)) await relay.down();
});

/** One core process's share of it: its own connection, working memory and subscription. */
async function startProcess(prefix: string, url = testRedisUrl()): Promise<Process> {
  const client = createRedisClient(url, { connectionName: "pup-test" });
  client.on("error", () => {});
  const { logger, logs } = capturingLogger();
  const bus = createRedisMemoryBus({ redis: client, prefix });
  const working = createWorkingMemory();
  const unsubscribe = await followForgets(bus, working, logger);
  const jobs = createInProcessJobs();
  const p: Process = {
    client,
    shortTerm: createRedisShortTermMemory({ redis: client, prefix: `${prefix}stm:` }),
    cache: createRedisCache({ redis: client, prefix }),
    bus,
    queue: jobs.queue,
    working,
    logs,
    async close() {
      await unsubscribe();
      await jobs.queue.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
  open.push(p);
  return p;
}

function msg(n: number, userId: string): ShortTermMessage {
  const seconds = 1_700_000_000 + n;
  return {
    ts: `${seconds}.000100`,
    threadTs: null,
    userId,
    botId: null,
    text: `message ${n} by ${userId}`,
    postedAt: new Date(seconds * 1000),
  };
}

const conv = (teamId: string, channelId: string): ShortTermConversation => ({
  teamId,
  channelId,
  threadTs: null,
});

/** Reads a conversation as the memory feature does and keeps the answer in working memory. */
async function readInto(p: Process, c: ShortTermConversation, count: number): Promise<string> {
  const read = await p.shortTerm.readStamped(c, count, undefined);
  if (read.unchanged || !read.messages) throw new Error("short-term memory did not answer");
  p.working.store(c, read.stamp, read.messages, false);
  return read.stamp;
}

describe("working memory follows forgets across processes", () => {
  test("a forget run in one process drops the other's copies of those channels only", async () => {
    const prefix = testRedisPrefix("wmf");
    const a = await startProcess(prefix);
    const b = await startProcess(prefix);
    await a.shortTerm.remember("T1", "C1", [msg(1, ALICE), msg(2, BOB)]);
    await a.shortTerm.remember("T1", "C2", [msg(3, BOB), msg(4, BOB)]);
    await a.shortTerm.remember("T2", "C1", [msg(5, ALICE), msg(6, ALICE)]);
    const stamps = new Map<string, string>();
    for (const p of [a, b]) {
      for (const c of [conv("T1", "C1"), conv("T1", "C2"), conv("T2", "C1")]) {
        stamps.set(`${c.teamId}/${c.channelId}`, await readInto(p, c, 2));
      }
    }
    expect(b.working.heldStamp(conv("T1", "C1"), 2)).toBeDefined();
    // Alice's cached details and a queued job of hers, beside Bob's.
    await a.cache.set(`slack:user:T1:${ALICE}`, "{}", 60);
    await a.cache.set(`slack:user:T1:${BOB}`, "{}", 60);
    await a.queue.add("message", "e", { teamId: "T1", event: { user: ALICE } }, { jobId: "j1" });
    await a.queue.add("message", "e", { teamId: "T1", event: { user: BOB } }, { jobId: "j2" });

    // The forget feature's step outside the database, run by process A.
    const deps = {
      shortTerm: a.shortTerm,
      memoryBus: a.bus,
      cache: a.cache,
      queue: a.queue,
    } as unknown as ForgetDeps; // clearCopies uses only these four
    const cleared = await clearCopies(deps, "T1", {
      channelIds: [],
      authorId: ALICE,
      cacheKeys: userCacheKeys("T1", ALICE),
      jobMatches: (job) => jobOfUser(job.data, "T1", ALICE),
    });
    // Her three cache keys are deleted (only one existed), one job of hers went.
    expect(cleared).toEqual({ channels: 1, cacheEntries: 3, jobs: 1 });

    // Both processes' RAM lose the channel Alice spoke in; Bob's channel and T2 stay.
    for (const p of [a, b]) {
      await waitFor(() => p.working.heldStamp(conv("T1", "C1"), 2) === undefined, "the drop");
      expect(p.working.heldStamp(conv("T1", "C2"), 2)).toBe(stamps.get("T1/C2"));
      expect(p.working.heldStamp(conv("T2", "C1"), 2)).toBe(stamps.get("T2/C1"));
      expect(p.working.size).toBe(2);
    }
    expect(await b.shortTerm.recent(conv("T1", "C1"), 2)).toBeUndefined();
    expect(await b.cache.get(`slack:user:T1:${ALICE}`)).toBeUndefined();
    expect(await b.cache.get(`slack:user:T1:${BOB}`)).toBe("{}");
    expect((await a.queue.depth("message")).waiting).toBe(1);
  });

  test("a notice without channels drops the whole workspace in every process", async () => {
    const prefix = testRedisPrefix("wmf");
    const a = await startProcess(prefix);
    const b = await startProcess(prefix);
    await a.shortTerm.remember("T1", "C1", [msg(1, ALICE)]);
    await a.shortTerm.remember("T1", "D1", [msg(2, BOB)]);
    await a.shortTerm.remember("T10", "C1", [msg(3, BOB)]);
    for (const c of [conv("T1", "C1"), conv("T1", "D1"), conv("T10", "C1")]) {
      await readInto(b, c, 1);
    }
    await a.bus.publish({ teamId: "T1", channelIds: [] });
    await waitFor(() => b.working.size === 1, "the workspace drop");
    expect(b.working.heldStamp(conv("T10", "C1"), 1)).toBeDefined();
  });

  test("a process cut off while a notice went out clears its working memory when back", async () => {
    const prefix = testRedisPrefix("wmf");
    const relay = redisRelay();
    relays.push(relay);
    const a = await startProcess(prefix);
    const b = await startProcess(prefix, await relay.up());
    await a.shortTerm.remember("T1", "C1", [msg(1, ALICE)]);
    await a.shortTerm.remember("T1", "C2", [msg(2, BOB)]);
    await readInto(b, conv("T1", "C1"), 1);
    await readInto(b, conv("T1", "C2"), 1);

    await relay.down();
    await a.bus.publish({ teamId: "T1", channelIds: ["C1"] });
    await Bun.sleep(100);
    // B never heard it: its RAM still holds the copy until it is back.
    expect(b.working.heldStamp(conv("T1", "C1"), 1)).toBeDefined();
    await relay.up();
    await waitFor(() => b.working.size === 0, "the clear after the reconnect", 8000);
    expect(b.logs.some((line) => String(line.msg).includes("working memory cleared"))).toBe(true);

    // Subscribed again: the next notice is heard as usual.
    await readInto(b, conv("T1", "C2"), 1);
    await a.bus.publish({ teamId: "T1", channelIds: ["C2"] });
    await waitFor(() => b.working.size === 0, "the next notice");
  });

  test("two core processes as createCoreServices builds them: a notice from one reaches the other", async () => {
    const redisPrefix = testRedisPrefix("wmf-core");
    const { logger } = capturingLogger();
    const start = () =>
      createCoreServices(
        {
          llm: modelConfig(undefined),
          embedding: { dimensions: 512 },
          database: { url: process.env.PUP_TEST_DATABASE_URL, dataDir: "memory://" },
          redis: { url: testRedisUrl() },
          slack: { botToken: "xoxb-test-unused", apiUrl: "http://127.0.0.1:9/api/" },
          privacy: { forgetSweepDelayMs: 1_234, uninstallGraceMs: 5_678 },
        },
        { logger, redisPrefix, migrate: false },
      );
    const a = await start();
    const b = await start().catch(async (error: unknown) => {
      await a.close(1000);
      throw error;
    });
    try {
      // The configured delays reach the forget feature's settings.
      expect(a.deps.forgetSweepDelayMs).toBe(1_234);
      expect(a.deps.uninstallGraceMs).toBe(5_678);
      const working = b.deps.workingMemory;
      if (!working) throw new Error("a Redis-backed core has a working memory");
      await a.deps.shortTerm.remember("T1", "C1", [msg(1, ALICE)]);
      const read = await b.deps.shortTerm.readStamped(conv("T1", "C1"), 1, undefined);
      if (read.unchanged || !read.messages) throw new Error("short-term memory did not answer");
      working.store(conv("T1", "C1"), read.stamp, read.messages, false);
      await a.deps.memoryBus.publish({ teamId: "T1", channelIds: ["C1"] });
      await waitFor(() => working.size === 0, "the other process's drop");
    } finally {
      await a.close(1000);
      await b.close(1000);
    }
  });
});
