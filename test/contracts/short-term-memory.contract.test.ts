// The ShortTermMemory contract: the same cases on the in-process adapter (demo) and on Redis.
// Its promise is parity with the message store: when it answers, the answer is what PostgreSQL
// would give (newest live messages, oldest first, edits applied, deletions gone); otherwise it
// answers undefined.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createInProcessShortTermMemory } from "../../core/src/adapters/in-process/short-term-memory";
import { createRedisClient } from "../../core/src/adapters/redis";
import { createRedisShortTermMemory } from "../../core/src/adapters/redis/short-term-memory";
import type {
  ShortTermConversation,
  ShortTermMemory,
  ShortTermMessage,
} from "../../core/src/ports/short-term-memory";
import { testRedisPrefix, testRedisUrl } from "./queue-harness";

interface Harness {
  memory: ShortTermMemory;
  /** Present for Redis: the client and key prefix, to look at keys directly. */
  redis?: { client: Redis; prefix: string };
  dispose(): Promise<void>;
}

interface Options {
  capacity?: number;
  ttlSeconds?: number;
}

const systems: [string, (options?: Options) => Promise<Harness>][] = [
  [
    "in-process",
    async (options = {}) => {
      const memory = createInProcessShortTermMemory({ ...options, sweepIntervalMs: 0 });
      return { memory, dispose: async () => memory.close() };
    },
  ],
  [
    "redis",
    async (options = {}) => {
      const client = createRedisClient(testRedisUrl(), { connectionName: "pup-contract" });
      const prefix = testRedisPrefix("stm");
      const memory = createRedisShortTermMemory({ redis: client, prefix, ...options });
      return {
        memory,
        redis: { client, prefix },
        dispose: async () => {
          await client.quit().catch(() => client.disconnect());
        },
      };
    },
  ],
];

const TEAM = "T1";
const CHANNEL = "C1";
const channel: ShortTermConversation = { teamId: TEAM, channelId: CHANNEL, threadTs: null };
const thread = (threadTs: string): ShortTermConversation => ({ ...channel, threadTs });
const BASE_S = 1_700_000_000;

/** A message `n` seconds after a fixed time (ts and post time agree, as Slack's do). */
function msg(n: number, overrides: Partial<ShortTermMessage> = {}): ShortTermMessage {
  const seconds = BASE_S + n;
  return {
    ts: `${seconds}.000100`,
    threadTs: null,
    userId: "U1",
    botId: null,
    text: `message ${n}`,
    postedAt: new Date(seconds * 1000),
    ...overrides,
  };
}

const tsOf = (messages: ShortTermMessage[] | undefined) => messages?.map((m) => m.ts);
const ref = (m: ShortTermMessage, teamId = TEAM, channelId = CHANNEL) => ({
  teamId,
  channelId,
  ts: m.ts,
});

for (const [system, open] of systems) {
  describe(`short-term memory contract (${system})`, () => {
    let harness: Harness;
    const extra: Harness[] = [];

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.dispose();
      for (const other of extra.splice(0)) await other.dispose();
    });

    const withOptions = async (options: Options) => {
      const other = await open(options);
      extra.push(other);
      return other.memory;
    };

    test("an empty conversation is a miss, never an empty answer", async () => {
      expect(await harness.memory.recent(channel, 5)).toBeUndefined();
      expect(await harness.memory.recent(thread(msg(1).ts), 5)).toBeUndefined();
    });

    test("remembered messages come back oldest first, every field intact", async () => {
      const { memory } = harness;
      const quirky = msg(3, {
        text: 'quotes " and \\ backslashes, ünïcødé 🐶, <@U0BOT> and\nnew lines',
        userId: null,
        botId: "B1",
      });
      // Given out of order: reads follow post time.
      await memory.remember(TEAM, CHANNEL, [msg(2), quirky, msg(1)]);
      expect(await memory.recent(channel, 3)).toEqual([msg(1), msg(2), quirky]);
      expect(await memory.recent(channel, 2)).toEqual([msg(2), quirky]);
      expect(await memory.recent(channel, 0)).toEqual([]);
    });

    test("equal post times are ordered by ts, as the message store orders them", async () => {
      const { memory } = harness;
      const at = new Date(BASE_S * 1000);
      const late = { ...msg(0), ts: `${BASE_S}.000300`, postedAt: at };
      const early = { ...msg(0), ts: `${BASE_S}.000200`, postedAt: at };
      await memory.warm(channel, [early, late], true);
      expect(tsOf(await memory.recent(channel, 5))).toEqual([early.ts, late.ts]);
    });

    test("a list built by remembering answers only reads it holds entirely", async () => {
      const { memory } = harness;
      await memory.remember(TEAM, CHANNEL, [msg(1), msg(2), msg(3)]);
      expect(tsOf(await memory.recent(channel, 3))).toEqual([msg(1).ts, msg(2).ts, msg(3).ts]);
      // Older messages may exist in PostgreSQL: a longer read must miss.
      expect(await memory.recent(channel, 4)).toBeUndefined();
    });

    test("a warmed list answers; a complete one also answers reads longer than it", async () => {
      const { memory } = harness;
      await memory.warm(channel, [msg(1), msg(2)], false);
      expect(tsOf(await memory.recent(channel, 2))).toEqual([msg(1).ts, msg(2).ts]);
      expect(await memory.recent(channel, 3)).toBeUndefined();
      await memory.warm(channel, [msg(1), msg(2)], true);
      expect(tsOf(await memory.recent(channel, 20))).toEqual([msg(1).ts, msg(2).ts]);
      // New messages extend a complete list and it stays complete.
      await memory.remember(TEAM, CHANNEL, [msg(3)]);
      expect(tsOf(await memory.recent(channel, 20))).toEqual([msg(1).ts, msg(2).ts, msg(3).ts]);
    });

    test("a complete warm of nothing answers an empty conversation", async () => {
      const { memory } = harness;
      await memory.warm(thread(msg(9).ts), [], true);
      expect(await memory.recent(thread(msg(9).ts), 5)).toEqual([]);
    });

    test("each list is bounded: the oldest entries (and the start mark) go first", async () => {
      const memory = await withOptions({ capacity: 5 });
      await memory.warm(channel, [msg(1), msg(2)], true);
      await memory.remember(TEAM, CHANNEL, [msg(3), msg(4)]);
      // 4 messages and the start mark fill 5 slots: still complete.
      expect(tsOf(await memory.recent(channel, 10))).toHaveLength(4);
      await memory.remember(TEAM, CHANNEL, [msg(5), msg(6), msg(7), msg(8)]);
      expect(tsOf(await memory.recent(channel, 5))).toEqual([4, 5, 6, 7, 8].map((n) => msg(n).ts));
      // The start mark and messages 1-3 were trimmed: it no longer reaches the beginning.
      expect(await memory.recent(channel, 6)).toBeUndefined();
    });

    test("everything expires after the ttl", async () => {
      const memory = await withOptions({ ttlSeconds: 0.3 });
      await memory.warm(channel, [msg(1), msg(2)], true);
      await memory.remember(TEAM, CHANNEL, [msg(3, { threadTs: msg(1).ts })]);
      expect(await memory.recent(channel, 3)).toHaveLength(3);
      await Bun.sleep(450);
      expect(await memory.recent(channel, 3)).toBeUndefined();
      expect(await memory.recent(thread(msg(1).ts), 1)).toBeUndefined();
    });

    if (system === "redis") {
      test("every key gets the 24-hour ttl, refreshed by writes", async () => {
        const { memory, redis } = harness;
        if (!redis) throw new Error("redis harness without a client");
        await memory.warm(channel, [msg(1)], true);
        await memory.remember(TEAM, CHANNEL, [msg(2, { threadTs: msg(1).ts })]);
        await memory.remove(ref(msg(1)));
        const keys = await redis.client.keys(`${redis.prefix}*`);
        // Channel list, thread list, two copies (one a tombstone).
        expect(keys).toHaveLength(4);
        for (const key of keys) {
          const ttl = await redis.client.pttl(key);
          expect(ttl).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
          expect(ttl).toBeLessThanOrEqual(24 * 3600 * 1000);
        }
      });
    }

    test("replaceText changes the copy every list reads; unknown messages stay unknown", async () => {
      const { memory } = harness;
      const root = msg(1);
      const reply = msg(2, { threadTs: root.ts });
      await memory.warm(thread(root.ts), [root], true);
      await memory.remember(TEAM, CHANNEL, [root, reply]);
      await memory.replaceText(ref(reply), "edited: 'new' \"text\" ✓");
      await memory.replaceText(ref(msg(7)), "never posted");
      const inChannel = await memory.recent(channel, 2);
      const inThread = await memory.recent(thread(root.ts), 2);
      expect(inChannel?.[1]).toEqual({ ...reply, text: "edited: 'new' \"text\" ✓" });
      expect(inThread).toEqual(inChannel);
      expect(await memory.recent(channel, 3)).toBeUndefined();
    });

    test("remove takes a message out of every list, for good", async () => {
      const { memory } = harness;
      const root = msg(1);
      const reply = msg(3, { threadTs: root.ts });
      await memory.warm(channel, [root, msg(2)], true);
      await memory.warm(thread(root.ts), [root], true);
      await memory.remember(TEAM, CHANNEL, [reply]);
      await memory.remove(ref(root));
      await memory.remove(ref(reply));
      await memory.remove(ref(msg(8)));
      expect(tsOf(await memory.recent(channel, 10))).toEqual([msg(2).ts]);
      expect(await memory.recent(thread(root.ts), 10)).toEqual([]);
      // Neither a late duplicate, a stale warm, an edit nor forgetting brings it back.
      await memory.remember(TEAM, CHANNEL, [reply]);
      await memory.warm(channel, [root, msg(2), reply], true);
      await memory.replaceText(ref(root), "back from the dead");
      await memory.forgetMessage(ref(root));
      await memory.warm(thread(root.ts), [root, reply], true);
      expect(tsOf(await memory.recent(channel, 10))).toEqual([msg(2).ts]);
      expect(await memory.recent(thread(root.ts), 10)).toEqual([]);
    });

    test("remember never overwrites a held copy (edits go through replaceText)", async () => {
      const { memory } = harness;
      await memory.remember(TEAM, CHANNEL, [msg(1)]);
      await memory.replaceText(ref(msg(1)), "edited");
      await memory.remember(TEAM, CHANNEL, [msg(1)]);
      await memory.warm(channel, [msg(1)], true);
      expect((await memory.recent(channel, 1))?.[0]?.text).toBe("edited");
    });

    test("thread replies are in the channel's timeline and their thread; roots only via warm", async () => {
      const { memory } = harness;
      const root = msg(1);
      const replies = [msg(2, { threadTs: root.ts }), msg(4, { threadTs: root.ts })];
      const other = msg(3);
      await memory.remember(TEAM, CHANNEL, [root, replies[0] as ShortTermMessage, other]);
      await memory.remember(TEAM, CHANNEL, [replies[1] as ShortTermMessage]);
      expect(tsOf(await memory.recent(channel, 4))).toEqual([1, 2, 3, 4].map((n) => msg(n).ts));
      expect(tsOf(await memory.recent(thread(root.ts), 2))).toEqual(tsOf(replies));
      // The root is not in the thread's list yet: a read that needs it misses.
      expect(await memory.recent(thread(root.ts), 3)).toBeUndefined();
      await memory.warm(thread(root.ts), [root, ...replies], true);
      expect(tsOf(await memory.recent(thread(root.ts), 10))).toEqual(tsOf([root, ...replies]));
      expect(await memory.recent(thread(other.ts), 1)).toBeUndefined();
    });

    test("an out-of-order message older than a partial list is refused; a complete list takes it", async () => {
      const { memory } = harness;
      await memory.remember(TEAM, CHANNEL, [msg(5), msg(6)]);
      await memory.remember(TEAM, CHANNEL, [msg(1)]);
      // Messages 2-4 may exist: admitting 1 would let a read of 3 skip them.
      expect(await memory.recent(channel, 3)).toBeUndefined();
      expect(tsOf(await memory.recent(channel, 2))).toEqual([msg(5).ts, msg(6).ts]);

      const complete = { ...channel, channelId: "C3" };
      await memory.warm(complete, [msg(5), msg(6)], true);
      await memory.remember(TEAM, "C3", [msg(1)]);
      expect(tsOf(await memory.recent(complete, 10))).toEqual([1, 5, 6].map((n) => msg(n).ts));
    });

    test("warm keeps messages remembered meanwhile and drops gaps and deleted ones", async () => {
      const { memory } = harness;
      // Remembered while PostgreSQL was being read: kept.
      await memory.remember(TEAM, CHANNEL, [msg(9)]);
      await memory.warm(channel, [msg(6), msg(7), msg(8)], false);
      expect(tsOf(await memory.recent(channel, 4))).toEqual([6, 7, 8, 9].map((n) => msg(n).ts));

      // A list holding 1, 3, 4 whose copy of 3 is gone; PostgreSQL says the newest are 2 and 4.
      const other = { ...channel, channelId: "C2" };
      await memory.remember(TEAM, "C2", [msg(1), msg(3), msg(4)]);
      await memory.forgetMessage(ref(msg(3), TEAM, "C2"));
      await memory.warm(other, [msg(2), msg(4)], false);
      expect(tsOf(await memory.recent(other, 2))).toEqual([msg(2).ts, msg(4).ts]);
      // 1 is older than what PostgreSQL vouched for and 3 is gone: no read reaches past 2.
      expect(await memory.recent(other, 3)).toBeUndefined();
    });

    test("a held message whose copy is gone makes reads that need it miss", async () => {
      const { memory } = harness;
      await memory.warm(channel, [msg(1), msg(2), msg(3)], true);
      await memory.forgetMessage(ref(msg(2)));
      expect(tsOf(await memory.recent(channel, 1))).toEqual([msg(3).ts]);
      expect(await memory.recent(channel, 2)).toBeUndefined();
      // Warming from PostgreSQL repairs it.
      await memory.warm(channel, [msg(1), msg(2), msg(3)], true);
      expect(await memory.recent(channel, 3)).toEqual([msg(1), msg(2), msg(3)]);
    });

    test("forgetConversation drops one list and nothing else", async () => {
      const { memory } = harness;
      const root = msg(1);
      await memory.warm(channel, [root, msg(2, { threadTs: root.ts })], true);
      await memory.warm(thread(root.ts), [root, msg(2, { threadTs: root.ts })], true);
      await memory.forgetConversation(channel);
      expect(await memory.recent(channel, 1)).toBeUndefined();
      expect(await memory.recent(thread(root.ts), 2)).toHaveLength(2);
    });

    test("workspaces and channels never see each other's messages", async () => {
      const { memory } = harness;
      const secret = msg(1, { text: "T2's secret" });
      await memory.warm({ teamId: "T2", channelId: CHANNEL, threadTs: null }, [secret], true);
      await memory.warm({ teamId: TEAM, channelId: "C9", threadTs: null }, [msg(1)], true);
      await memory.warm(channel, [msg(2)], true);
      expect(await memory.recent(channel, 10)).toEqual([msg(2)]);
      // Same ts in another workspace: edits and deletes stay in their own workspace.
      await memory.replaceText(ref(secret, "T2"), "T2 edited");
      await memory.remove(ref(msg(1), TEAM, "C9"));
      expect(await memory.recent({ teamId: "T2", channelId: CHANNEL, threadTs: null }, 10)).toEqual(
        [{ ...secret, text: "T2 edited" }],
      );
      expect(await memory.recent({ teamId: TEAM, channelId: "C9", threadTs: null }, 10)).toEqual(
        [],
      );
      expect(await memory.recent(channel, 10)).toEqual([msg(2)]);
    });
  });
}
