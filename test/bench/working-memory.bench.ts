/**
 * The live-conversation read (features/memory/short-term.ts `liveConversation`, 21 messages of a 50-message
 * channel) on real Redis: short-term memory alone (baseline, what every read cost before working
 * memory: the list, then the copies), a working-memory hit (one round trip: stamp and list), and
 * a read right after another process appended to the conversation (a stale copy: stamp and list,
 * then the copies, the baseline's round trips). Every read is answered by Redis or working
 * memory, never PostgreSQL, so the message store is one that refuses to be asked. The systems
 * take turns read by read. BENCH_READS overrides the reads per system.
 */
import { createRedisClient } from "../../core/src/adapters/redis";
import { createRedisShortTermMemory } from "../../core/src/adapters/redis/short-term-memory";
import { liveConversation } from "../../core/src/features/memory/short-term";
import { createWorkingMemory } from "../../core/src/features/memory/working-memory";
import type { MessageStore } from "../../core/src/ports/message-store";
import type {
  ShortTermConversation,
  ShortTermMessage,
} from "../../core/src/ports/short-term-memory";
import type { BenchMetric, BenchReport } from "./report";
import { percentile } from "./stats";

const READS = Number(process.env.BENCH_READS ?? 3000);
const COUNT = 21;
const HISTORY = 50;
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";

const refusingStore = new Proxy({} as MessageStore, {
  get(_, name) {
    return () => {
      throw new Error(`bench: PostgreSQL was asked (${String(name)}); Redis should answer`);
    };
  },
});

function message(n: number): ShortTermMessage {
  const seconds = 1_700_000_000 + n;
  return {
    ts: `${seconds}.000100`,
    threadTs: null,
    userId: `U${n % 7}`,
    botId: null,
    text: `message ${n}: ${"a few words of an ordinary Slack message ".repeat(3)}`,
    postedAt: new Date(seconds * 1000),
  };
}

export default async function bench(): Promise<BenchReport> {
  const prefix = `pup-bench:wm:${crypto.randomUUID()}:`;
  const redis = createRedisClient(REDIS_URL, { connectionName: "pup-bench-wm" });
  const writerRedis = createRedisClient(REDIS_URL, { connectionName: "pup-bench-wm-writer" });
  try {
    const shortTerm = createRedisShortTermMemory({ redis, prefix });
    const writer = createRedisShortTermMemory({ redis: writerRedis, prefix });
    const quiet = () => {};
    const base = {
      shortTerm,
      messages: refusingStore,
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      now: Date.now,
    };
    let next = HISTORY;
    const conversation = (name: string): ShortTermConversation => ({
      teamId: "TBENCH",
      channelId: name,
      threadTs: null,
    });

    const history = Array.from({ length: HISTORY }, (_, i) => message(i));
    const systems = ["short-term", "working hit", "working stale"] as const;
    const setups = await Promise.all(
      systems.map(async (system, i) => {
        const c = conversation(`C${i}`);
        await shortTerm.warm(c, history, true);
        const deps =
          system === "short-term" ? base : { ...base, workingMemory: createWorkingMemory() };
        // Before each stale read another process appends, moving the stamp (not timed).
        const before =
          system === "working stale"
            ? async () => {
                next += 1;
                await writer.remember(c.teamId, c.channelId, [message(next)]);
              }
            : async () => {};
        return { system, c, deps, before };
      }),
    );
    const results: Record<string, number[]> = Object.fromEntries(systems.map((s) => [s, []]));
    // Rounds of one read per system, in rotating order, so load on the machine hits all alike.
    for (let round = -200; round < READS; round++) {
      for (let k = 0; k < setups.length; k++) {
        const setup = setups[(round + 200 + k) % setups.length];
        if (!setup) continue;
        await setup.before();
        const start = Bun.nanoseconds();
        const read = await liveConversation(setup.deps, setup.c, COUNT);
        const micros = (Bun.nanoseconds() - start) / 1000;
        if (read.length !== COUNT) throw new Error(`bench: read ${read.length} messages`);
        if (round >= 0) results[setup.system]?.push(micros); // the first 200 rounds warm up
      }
    }

    const metric = (name: string, p: number): BenchMetric => ({
      name,
      unit: "µs",
      better: "lower",
      values: Object.fromEntries(systems.map((s) => [s, percentile(results[s] ?? [], p)])),
    });
    return {
      suite: "working memory: live-conversation read",
      baseline: "short-term",
      systems: [...systems],
      metrics: [metric("read p50", 50), metric("read p95", 95), metric("read p99", 99)],
      parameters: { reads: READS, messagesRead: COUNT, history: HISTORY },
    };
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    writerRedis.disconnect();
  }
}
