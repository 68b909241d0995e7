// ShortTermMemory's forgets for memory rights (ADR-034), on the in-process adapter (demo) and on
// Redis: forgetAuthor finds every channel still holding a copy written by a person (even a copy
// no list and no database holds yet) and drops each whole, leaving other channels and other
// workspaces answering; forgetTeam leaves nothing of a workspace, tombstones included.
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

const systems: [string, () => Promise<Harness>][] = [
  [
    "in-process",
    async () => {
      const memory = createInProcessShortTermMemory({ sweepIntervalMs: 0 });
      return { memory, dispose: async () => memory.close() };
    },
  ],
  [
    "redis",
    async () => {
      const client = createRedisClient(testRedisUrl(), { connectionName: "pup-contract" });
      const prefix = testRedisPrefix("stm");
      return {
        memory: createRedisShortTermMemory({ redis: client, prefix }),
        redis: { client, prefix },
        dispose: async () => {
          await client.quit().catch(() => client.disconnect());
        },
      };
    },
  ],
];

const BASE_S = 1_700_000_000;
const ALICE = "U0ALICE";
const BOB = "U0BOB";

function msg(n: number, userId: string | null, extra: Partial<ShortTermMessage> = {}) {
  const seconds = BASE_S + n;
  return {
    ts: `${seconds}.000100`,
    threadTs: null,
    userId,
    botId: userId === null ? "B1" : null,
    text: `message ${n} by ${userId}`,
    postedAt: new Date(seconds * 1000),
    ...extra,
  } satisfies ShortTermMessage;
}

const timeline = (teamId: string, channelId: string): ShortTermConversation => ({
  teamId,
  channelId,
  threadTs: null,
});
const texts = (messages: ShortTermMessage[] | undefined) => messages?.map((m) => m.text);

/** Every key under `<prefix><teamId>:` (Redis only). */
async function keysOf(redis: { client: Redis; prefix: string }, teamId: string) {
  const pattern = `${(redis.prefix + teamId).replace(/[*?[\]\\]/g, "\\$&")}:*`;
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.client.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  return keys;
}

for (const [system, open] of systems) {
  describe(`short-term memory forgets (${system})`, () => {
    let harness: Harness;

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.dispose();
    });

    test("forgetAuthor drops every channel holding the person's copies, and only those", async () => {
      const { memory } = harness;
      // C1: Alice and Bob, with a thread Alice replied in; C2: only Bob and a bot.
      const root = msg(1, BOB);
      const reply = msg(2, ALICE, { threadTs: root.ts });
      await memory.remember("T1", "C1", [root, reply, msg(3, BOB)]);
      await memory.warm(timeline("T1", "C2"), [msg(1, BOB), msg(2, null)], true);
      // C3: a list of Bob's, then a late copy of Alice's older message that no list admits
      // (a remember for a message the database has not got yet, refused by the guarded list).
      await memory.warm(timeline("T1", "C3"), [msg(10, BOB)], false);
      await memory.remember("T1", "C3", [msg(5, ALICE)]);
      // Another workspace whose id starts like this one's, with Alice's id there too.
      await memory.warm(timeline("T10", "C1"), [msg(1, ALICE)], true);
      // Many other copies, so Redis walks several SCAN pages.
      const crowd = Array.from({ length: 600 }, (_, i) => msg(100 + i, BOB));
      await memory.remember("T1", "C4", crowd);
      const before = await memory.stamp(timeline("T1", "C1"));

      const channels = await memory.forgetAuthor("T1", ALICE);
      expect([...channels].sort()).toEqual(["C1", "C3"]);

      expect(await memory.recent(timeline("T1", "C1"), 1)).toBeUndefined();
      expect(await memory.recent({ teamId: "T1", channelId: "C1", threadTs: root.ts }, 1)).toBe(
        undefined,
      );
      expect(await memory.recent(timeline("T1", "C3"), 1)).toBeUndefined();
      expect(await memory.stamp(timeline("T1", "C1"))).not.toBe(before);
      // Bob's other channels and the other workspace still answer.
      expect(texts(await memory.recent(timeline("T1", "C2"), 2))).toEqual([
        "message 1 by U0BOB",
        "message 2 by null",
      ]);
      expect((await memory.recent(timeline("T1", "C4"), 50))?.length).toBe(50);
      expect(texts(await memory.recent(timeline("T10", "C1"), 1))).toEqual([
        "message 1 by U0ALICE",
      ]);
      // The stray copy is gone too: warming with new text shows the new text, not the old.
      await memory.warm(
        timeline("T1", "C3"),
        [msg(5, ALICE, { text: "re-read" }), msg(10, BOB)],
        true,
      );
      expect(texts(await memory.recent(timeline("T1", "C3"), 2))).toEqual([
        "re-read",
        "message 10 by U0BOB",
      ]);
      if (harness.redis) {
        // Only the stamps read since are there: no copy, no list.
        const left = (await keysOf(harness.redis, "T1")).filter((key) => key.includes(":C1:"));
        expect(left.length).toBeGreaterThan(0);
        expect(left.every((key) => key.endsWith(":s"))).toBe(true);
      }
      expect(await memory.forgetAuthor("T1", "U0NOBODY")).toEqual([]);
    });

    test("forgetAuthor keeps tombstones: a deleted message still never comes back", async () => {
      const { memory } = harness;
      const gone = msg(1, ALICE);
      await memory.remember("T1", "C1", [gone, msg(2, ALICE)]);
      await memory.remove({ teamId: "T1", channelId: "C1", ts: gone.ts });
      expect(await memory.forgetAuthor("T1", ALICE)).toEqual(["C1"]);
      await memory.warm(timeline("T1", "C1"), [gone, msg(2, ALICE)], true);
      expect(texts(await memory.recent(timeline("T1", "C1"), 5))).toEqual(["message 2 by U0ALICE"]);
    });

    test("forgetTeam leaves nothing of the workspace, tombstones included, and no other", async () => {
      const { memory } = harness;
      const gone = msg(1, ALICE);
      const root = msg(2, BOB);
      await memory.remember("T1", "C1", [gone, root, msg(3, BOB, { threadTs: root.ts })]);
      await memory.remove({ teamId: "T1", channelId: "C1", ts: gone.ts });
      await memory.warm(timeline("T1", "D1"), [msg(4, ALICE)], true);
      await memory.stamp(timeline("T1", "C1"));
      await memory.warm(timeline("T10", "C1"), [msg(1, ALICE)], true);

      await memory.forgetTeam("T1");

      expect(await memory.recent(timeline("T1", "C1"), 1)).toBeUndefined();
      expect(await memory.recent(timeline("T1", "D1"), 1)).toBeUndefined();
      expect(await memory.forgetAuthor("T1", ALICE)).toEqual([]);
      expect(texts(await memory.recent(timeline("T10", "C1"), 1))).toEqual([
        "message 1 by U0ALICE",
      ]);
      // The tombstone went with the rest: the workspace starts from nothing.
      await memory.warm(timeline("T1", "C1"), [gone], true);
      expect(texts(await memory.recent(timeline("T1", "C1"), 1))).toEqual(["message 1 by U0ALICE"]);
      if (harness.redis) {
        await memory.forgetTeam("T1");
        expect(await keysOf(harness.redis, "T1")).toEqual([]);
        expect((await keysOf(harness.redis, "T10")).length).toBeGreaterThan(0);
      }
    });
  });
}
