// The ShortTermMemory contract, stamps part (the rest is short-term-memory.contract.test.ts), on
// the in-process adapter and on Redis. Working memory trusts a copy exactly while its stamp is
// current, so: every write that can change a conversation's answer moves its stamp, nothing else
// does, remember reports the exact move, and a stamp once left is never given again.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createInProcessShortTermMemory } from "../../core/src/adapters/in-process/short-term-memory";
import { createRedisClient } from "../../core/src/adapters/redis";
import { createRedisShortTermMemory } from "../../core/src/adapters/redis/short-term-memory";
import type {
  ShortTermConversation,
  ShortTermMemory,
  ShortTermMessage,
  StampMove,
} from "../../core/src/ports/short-term-memory";
import { testRedisPrefix, testRedisUrl } from "./queue-harness";

interface Harness {
  memory: ShortTermMemory;
  /** A second handle on the same store (another process, for Redis). */
  other: ShortTermMemory;
  redis?: { client: Redis; prefix: string };
  dispose(): Promise<void>;
}

const systems: [string, (ttlSeconds?: number) => Promise<Harness>][] = [
  [
    "in-process",
    async (ttlSeconds) => {
      const memory = createInProcessShortTermMemory({ sweepIntervalMs: 0, ttlSeconds });
      return { memory, other: memory, dispose: async () => memory.close() };
    },
  ],
  [
    "redis",
    async (ttlSeconds) => {
      const prefix = testRedisPrefix("stamps");
      const clients = [0, 1].map(() =>
        createRedisClient(testRedisUrl(), { connectionName: "pup-contract" }),
      );
      const [memory, other] = clients.map((redis) =>
        createRedisShortTermMemory({ redis, prefix, ttlSeconds }),
      ) as [ShortTermMemory, ShortTermMemory];
      return {
        memory,
        other,
        redis: { client: clients[0] as Redis, prefix },
        dispose: async () => {
          for (const c of clients) await c.quit().catch(() => c.disconnect());
        },
      };
    },
  ],
];

const TEAM = "T1";
const CHANNEL = "C1";
const channel: ShortTermConversation = { teamId: TEAM, channelId: CHANNEL, threadTs: null };
const thread = (threadTs: string): ShortTermConversation => ({ ...channel, threadTs });
const elsewhere: ShortTermConversation = { ...channel, channelId: "C2" };

function msg(n: number, overrides: Partial<ShortTermMessage> = {}): ShortTermMessage {
  const seconds = 1_700_000_000 + n;
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

const root = msg(1);
const reply = (n: number) => msg(n, { threadTs: root.ts });
const ref = (m: ShortTermMessage) => ({ teamId: TEAM, channelId: CHANNEL, ts: m.ts });
const byThread = (moves: StampMove[]) =>
  [...moves].sort((a, b) =>
    (a.conversation.threadTs ?? "").localeCompare(b.conversation.threadTs ?? ""),
  );

for (const [system, open] of systems) {
  describe(`short-term memory stamps (${system})`, () => {
    let harness: Harness;
    const extra: Harness[] = [];

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.dispose();
      for (const h of extra.splice(0)) await h.dispose();
    });

    /** The stamps of a channel's timeline, a thread of it, another thread and another channel. */
    const stamps = (memory = harness.memory) =>
      Promise.all(
        [channel, thread(root.ts), thread(msg(2).ts), elsewhere].map((c) => memory.stamp(c)),
      );

    test("a stamp stays put while nothing is written; warm and reads move nothing", async () => {
      const { memory, other } = harness;
      const before = await stamps();
      expect(new Set(before).size).toBe(4);
      expect(await stamps(other)).toEqual(before);
      await memory.warm(channel, [root, msg(2)], true);
      await memory.warm(thread(root.ts), [root], true);
      await memory.recent(channel, 5);
      expect(await stamps()).toEqual(before);
    });

    test("remember moves the stamps of the lists it adds to, and says from where to where", async () => {
      const { memory, other } = harness;
      const [ch, th, otherThread, otherChannel] = await stamps();
      const moves = await memory.remember(TEAM, CHANNEL, [reply(3), msg(4)]);
      const [chNow, thNow, otherThreadNow, otherChannelNow] = await stamps(other);
      expect(byThread(moves)).toEqual([
        { conversation: channel, from: ch as string, to: chNow as string },
        { conversation: thread(root.ts), from: th as string, to: thNow as string },
      ]);
      expect(chNow).not.toBe(ch);
      expect(thNow).not.toBe(th);
      expect([otherThreadNow, otherChannelNow]).toEqual([otherThread, otherChannel]);
    });

    test("a conversation without a stamp is not reported; its first stamp is new", async () => {
      const { memory } = harness;
      expect(await memory.remember(TEAM, CHANNEL, [reply(3)])).toEqual([]);
      const first = await memory.stamp(channel);
      const [move] = await memory.remember(TEAM, CHANNEL, [msg(4)]);
      expect(move?.from).toBe(first);
      expect(move?.to).toBe(await memory.stamp(channel));
    });

    const channelWide: [string, (memory: ShortTermMemory) => Promise<void>][] = [
      ["replaceText", (m) => m.replaceText(ref(reply(3)), "edited")],
      ["replaceText of a message it does not hold", (m) => m.replaceText(ref(msg(9)), "edited")],
      ["remove", (m) => m.remove(ref(reply(3)))],
      ["forgetMessage", (m) => m.forgetMessage(ref(reply(3)))],
    ];
    for (const [name, write] of channelWide) {
      test(`${name} moves every stamp of the channel and no other`, async () => {
        const { memory } = harness;
        await memory.remember(TEAM, CHANNEL, [reply(3)]);
        const before = await stamps();
        await write(memory);
        const after = await stamps();
        for (const i of [0, 1, 2]) expect(after[i]).not.toBe(before[i] as string);
        expect(after[3]).toBe(before[3] as string);
      });
    }

    test("forgetConversation moves that conversation's stamp only", async () => {
      const { memory } = harness;
      const before = await stamps();
      await memory.forgetConversation(thread(root.ts));
      const after = await stamps();
      expect(after[1]).not.toBe(before[1] as string);
      expect([after[0], after[2], after[3]]).toEqual([before[0], before[2], before[3]]);
    });

    test("readStamped: the stamp with recent's answer, or nothing read when the caller's is current", async () => {
      const { memory, other } = harness;
      const empty = await memory.readStamped(thread(msg(9).ts), 3, undefined);
      expect(empty).toEqual({
        stamp: await memory.stamp(thread(msg(9).ts)),
        unchanged: false,
        messages: undefined,
      });
      await memory.warm(channel, [root, msg(2)], true);
      const first = await memory.readStamped(channel, 2, undefined);
      expect(first).toEqual({
        stamp: await memory.stamp(channel),
        unchanged: false,
        messages: [root, msg(2)],
      });
      expect(await other.readStamped(channel, 2, first.stamp)).toEqual({
        stamp: first.stamp,
        unchanged: true,
      });
      expect(await memory.readStamped(channel, 2, "a stamp never given")).toEqual(first);
      await other.remember(TEAM, CHANNEL, [msg(3)]);
      const after = await memory.readStamped(channel, 2, first.stamp);
      expect(after).toEqual({
        stamp: await memory.stamp(channel),
        unchanged: false,
        messages: [msg(2), msg(3)],
      });
      expect(after.stamp).not.toBe(first.stamp);
    });

    test("concurrent appends from two handles form one chain of moves", async () => {
      const { memory, other } = harness;
      const start = await memory.stamp(channel);
      const moves = (
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? other : memory).remember(TEAM, CHANNEL, [msg(10 + i)]),
          ),
        )
      ).flat();
      expect(moves).toHaveLength(20);
      // Each move starts where exactly one other ended: a chain from the start to the current stamp.
      const next = new Map(moves.map((m) => [m.from, m.to]));
      expect(next.size).toBe(20);
      let at = start;
      for (let i = 0; i < 20; i++) at = next.get(at) ?? "broken";
      expect(at).toBe(await memory.stamp(channel));
    });

    test("a stamp is never given again: after expiry the stamp is new", async () => {
      const short = await open(0.3);
      extra.push(short);
      const first = await short.memory.stamp(channel);
      await Bun.sleep(450);
      const second = await short.memory.stamp(channel);
      expect(second).not.toBe(first);
      expect(await short.memory.stamp(channel)).toBe(second);
    });

    if (system === "redis") {
      test("after a flush of short-term keys every stamp is new", async () => {
        const { memory, redis } = harness;
        if (!redis) throw new Error("redis harness without a client");
        const before = await stamps();
        const keys = await redis.client.keys(`${redis.prefix}*`);
        expect(keys.length).toBeGreaterThan(0);
        await redis.client.del(...keys);
        const after = await stamps(memory);
        for (const i of [0, 1, 2, 3]) expect(after[i]).not.toBe(before[i] as string);
      });

      test("stamp keys expire like the rest, a day after they were last set", async () => {
        const { memory, redis } = harness;
        if (!redis) throw new Error("redis harness without a client");
        await stamps();
        await memory.remember(TEAM, CHANNEL, [msg(2)]);
        const keys = await redis.client.keys(`${redis.prefix}*:s`);
        // Four list stamps (two channel timelines, two threads) and two channel stamps.
        expect(keys).toHaveLength(6);
        for (const key of keys) {
          const ttl = await redis.client.pttl(key);
          expect(ttl).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
          expect(ttl).toBeLessThanOrEqual(24 * 3600 * 1000);
        }
      });
    }
  });
}
