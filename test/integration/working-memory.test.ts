// Working memory with several core processes (issue 5: "correct with several core processes; it
// is only a cache"). Two "processes" share this run's PostgreSQL database and one Redis short-term
// memory (same key prefix) through their own connections, each with its own working memory, and
// write and read through features/memory/short-term.ts as the pipeline does. Every answer is compared with
// what PostgreSQL holds at that moment; the outcome each process's working memory reports shows
// which copies were served.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createRedisClient } from "../../core/src/adapters/redis";
import { createRedisShortTermMemory } from "../../core/src/adapters/redis/short-term-memory";
import { createSqlDataAccess, type SqlDataAccess } from "../../core/src/adapters/sql";
import {
  liveConversation,
  rememberShortTerm,
  shortTermDeleted,
  shortTermEdited,
  toShortTermMessage,
} from "../../core/src/features/memory/short-term";
import {
  createWorkingMemory,
  type WorkingMemoryOutcome,
} from "../../core/src/features/memory/working-memory";
import type { ShortTermConversation } from "../../core/src/ports/short-term-memory";
import { createDb, type DbHandle } from "../../db/client";
import { createTokenCipher } from "../../db/token-cipher";
import { testRedisPrefix, testRedisUrl } from "../contracts/queue-harness";
import { uniqueName } from "../setup/isolation";
import { redisRelay } from "../setup/tcp-relay";

type Deps = Parameters<typeof liveConversation>[0];

/** Messages each read asks for (a reply asks for its context plus one). */
const COUNT = 5;

interface Process {
  deps: Deps & { workingMemory: NonNullable<Deps["workingMemory"]> };
  data: SqlDataAccess;
  outcomes: WorkingMemoryOutcome[];
  /** This process's clock (ms); moved by hand past short-term memory's cool-down. */
  clock: { now: number };
  close(): Promise<void>;
}

const processes: Process[] = [];
let prefix: string;
let cipher: Awaited<ReturnType<typeof createTokenCipher>>;

beforeAll(async () => {
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  cipher = await createTokenCipher({ currentKeyId: "k", keys: { k: key } });
});

afterEach(async () => {
  for (const p of processes.splice(0)) await p.close();
});

/** A core process: its own database pool, Redis connection and working memory. */
function startProcess(redisUrl = testRedisUrl()): Process {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  const db: DbHandle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  const redis: Redis = createRedisClient(redisUrl, { connectionName: "pup-wm", onError: () => {} });
  const data = createSqlDataAccess(db.db, cipher);
  const outcomes: WorkingMemoryOutcome[] = [];
  const clock = { now: Date.now() };
  const quiet = () => {};
  const started: Process = {
    deps: {
      shortTerm: createRedisShortTermMemory({ redis, prefix }),
      messages: data.messages,
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      now: () => clock.now,
      workingMemory: createWorkingMemory({ onLookup: (o) => outcomes.push(o) }),
    },
    data,
    outcomes,
    clock,
    close: async () => {
      redis.disconnect();
      await db.close();
    },
  };
  processes.push(started);
  return started;
}

/** A fresh channel (and workspace) in the shared database. */
async function newChannel(p: Process): Promise<ShortTermConversation> {
  const teamId = uniqueName("T");
  const channelId = uniqueName("C");
  await p.data.directory.upsertWorkspace({ teamId, name: "Working Co" });
  await p.data.directory.upsertChannel({ teamId, channelId, visibility: "public_channel" });
  return { teamId, channelId, threadTs: null };
}

let seconds = 1_700_000_000;

/** Stores a message through process `p` as the pipeline does: PostgreSQL, then short-term memory. */
async function say(p: Process, c: ShortTermConversation, text: string, threadTs?: string) {
  seconds += 1;
  const ts = `${seconds}.000100`;
  const stored = await p.data.messages.upsert({
    teamId: c.teamId,
    channelId: c.channelId,
    ts,
    threadTs: threadTs ?? null,
    userId: "U1",
    text,
    visibility: "public_channel",
    postedAt: new Date(seconds * 1000),
  });
  await rememberShortTerm(p.deps, c.teamId, c.channelId, [stored]);
  return ts;
}

/** What PostgreSQL says the conversation's newest messages are. */
async function truth(p: Process, c: ShortTermConversation) {
  const rows =
    c.threadTs === null
      ? await p.data.messages.recentInChannel(c.teamId, c.channelId, COUNT)
      : (await p.data.messages.thread(c.teamId, c.channelId, c.threadTs)).slice(-COUNT);
  return rows.map(toShortTermMessage);
}

/** Reads through `p`; checks the answer against PostgreSQL; returns working memory's outcome. */
async function read(p: Process, c: ShortTermConversation): Promise<WorkingMemoryOutcome> {
  const answer = await liveConversation(p.deps, c, COUNT);
  expect(answer).toEqual(await truth(p, c));
  const outcome = p.outcomes.at(-1);
  if (!outcome) throw new Error("working memory saw no lookup");
  return outcome;
}

describe("working memory in two processes sharing short-term memory", () => {
  beforeAll(() => {
    prefix = testRedisPrefix("wm");
  });

  test("a write through one process is seen by the other's next read", async () => {
    const a = startProcess();
    const b = startProcess();
    const c = await newChannel(a);
    await say(a, c, "the deploy is on Thursday");
    expect(await read(a, c)).toBe("miss");
    expect(await read(b, c)).toBe("miss");
    expect(await read(a, c)).toBe("hit");

    await say(b, c, "no, Friday");
    // a's copy predates b's write: retired, and the answer has it.
    expect(await read(a, c)).toBe("stale");
    // b's own copy was carried along with its write.
    expect(await read(b, c)).toBe("hit");
    expect(await read(a, c)).toBe("hit");
    await say(a, c, "ok, Friday");
    expect(await read(b, c)).toBe("stale");
    expect(await read(a, c)).toBe("hit");
    expect((await liveConversation(a.deps, c, COUNT)).map((m) => m.text)).toEqual([
      "the deploy is on Thursday",
      "no, Friday",
      "ok, Friday",
    ]);
  });

  test("a reply in one thread retires that thread's and the channel's copies, not others'", async () => {
    const a = startProcess();
    const b = startProcess();
    const c = await newChannel(a);
    const x = { ...c, threadTs: await say(a, c, "thread x") };
    const y = { ...c, threadTs: await say(a, c, "thread y") };
    await say(a, c, "first reply in y", y.threadTs);
    for (const conversation of [c, x, y]) expect(await read(a, conversation)).toBe("miss");

    await say(b, c, "a reply in x", x.threadTs);
    expect(await read(a, y)).toBe("hit");
    expect(await read(a, x)).toBe("stale");
    expect(await read(a, c)).toBe("stale");
  });

  test("an edit or a delete through one process retires every copy of the channel in both", async () => {
    const a = startProcess();
    const b = startProcess();
    const c = await newChannel(a);
    const root = await say(a, c, "who is on call?");
    const thread = { ...c, threadTs: root };
    const reply = await say(b, c, "Dan is", root);
    for (const p of [a, b]) for (const conversation of [c, thread]) await read(p, conversation);
    expect([a.deps.workingMemory.size, b.deps.workingMemory.size]).toEqual([2, 2]);

    const ref = { teamId: c.teamId, channelId: c.channelId, ts: reply };
    expect(await b.data.messages.edit(ref, "Dana is", new Date())).toBe(true);
    await shortTermEdited(b.deps, ref, "Dana is");
    // The editing process drops its copies at once; the other finds its stamps moved.
    expect(b.deps.workingMemory.size).toBe(0);
    expect(await read(a, thread)).toBe("stale");
    expect(await read(a, c)).toBe("stale");
    expect((await liveConversation(a.deps, thread, COUNT)).map((m) => m.text)).toContain("Dana is");
    expect(await read(b, thread)).toBe("miss");

    const rootRef = { ...ref, ts: root };
    expect(await a.data.messages.softDelete(rootRef, new Date())).toBe(true);
    await shortTermDeleted(a.deps, rootRef);
    expect(await read(b, thread)).toBe("stale");
    expect(await read(b, c)).toBe("miss");
    expect((await liveConversation(b.deps, c, COUNT)).map((m) => m.ts)).toEqual([reply]);
  });
});

describe("working memory while Redis is unreachable", () => {
  const relay = redisRelay();

  beforeAll(() => {
    prefix = testRedisPrefix("wm-down");
  });

  afterAll(async () => {
    await relay.down();
  });

  test("no copy is served; once back, copies older than the writes Redis missed are not either", async () => {
    const a = startProcess(await relay.up());
    const b = startProcess();
    const c = await newChannel(a);
    await say(a, c, "the offsite is in Lisbon");
    expect(await read(a, c)).toBe("miss");
    expect(await read(a, c)).toBe("hit");

    await relay.down();
    await say(b, c, "it moved to Porto");
    expect(await read(b, c)).toBe("miss");
    // a holds a copy from before b's write, and cannot check its stamp: PostgreSQL answers.
    expect(await read(a, c)).toBe("unavailable");
    // A write Redis does not get: a drops its copy and keeps an invalidation for later. (Until
    // a applies it, b's copy and Redis's list both lack this message: ADR-015's stated limit.)
    await say(a, c, "noted, Porto");
    expect(a.deps.workingMemory.size).toBe(0);
    expect(await read(a, c)).toBe("unavailable");

    await relay.up();
    const client = createRedisClient(testRedisUrl(), { connectionName: "pup-wm-check" });
    try {
      // Redis never saw a's write, so its stamp did not move yet.
      const before = await b.deps.shortTerm.stamp(c);
      a.clock.now += 2100; // past the cool-down
      // a applies the invalidation its failed write left, then reads: no old copy is used.
      expect(await read(a, c)).toBe("miss");
      expect(await b.deps.shortTerm.stamp(c)).not.toBe(before);
      // b's copy was taken before a's write reached Redis: retired.
      expect(await read(b, c)).toBe("stale");
      expect(await read(a, c)).toBe("hit");
      expect(await client.ping()).toBe("PONG");
    } finally {
      client.disconnect();
    }
  }, 20_000);
});
