// The RateLimiter contract on a FAKE clock: the same cases on Redis (one Lua script per check,
// a unique key prefix per test) and on the in-process limiter (the demo, the outage fallback).
// Each scenario prints admitted/offered so the figures can be quoted (ADR-025).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createInProcessRateLimiter } from "../../core/src/adapters/in-process/rate-limiter";
import { createRedisClient } from "../../core/src/adapters/redis";
import { createRedisRateLimiter } from "../../core/src/adapters/redis/rate-limiter";
import type { AdmitRequest, RateLimiter } from "../../core/src/ports/rate-limiter";
import { testRedisPrefix, testRedisUrl } from "./queue-harness";

interface Harness {
  limiter: RateLimiter;
  dispose(): Promise<void>;
}

const systems: [string, () => Promise<Harness>][] = [
  ["in-process", async () => ({ limiter: createInProcessRateLimiter(), dispose: async () => {} })],
  [
    "redis",
    async () => {
      const client: Redis = createRedisClient(testRedisUrl(), { connectionName: "pup-contract" });
      const limiter = createRedisRateLimiter({ redis: client, prefix: testRedisPrefix("limits") });
      return { limiter, dispose: async () => void (await client.quit().catch(() => {})) };
    },
  ],
];

const LIMIT = 20;
const WINDOW = 60_000;
/** A fake clock's start: an arbitrary moment, not aligned to any minute. */
const T0 = Date.UTC(2026, 11, 1, 10, 0, 17, 345);

const check = (now: number, limit = LIMIT): AdmitRequest => ({
  windows: [{ key: "{T1}:user:U1", limit, windowMs: WINDOW }],
  budgets: [],
  now,
  id: crypto.randomUUID(),
});

/** Offers a request at each time (in order); returns the times admitted. */
async function offer(limiter: RateLimiter, times: number[]): Promise<number[]> {
  const admitted: number[] = [];
  for (const now of times) if ((await limiter.admit(check(now))).admitted) admitted.push(now);
  return admitted;
}

/** The most admitted units any span of `WINDOW` ms holds (slid over every admitted time). */
function busiestWindow(admitted: number[]): number {
  let most = 0;
  for (const start of admitted) {
    most = Math.max(most, admitted.filter((t) => t >= start && t < start + WINDOW).length);
  }
  return most;
}

/** `count` times spread evenly over [from, from + span). */
const spread = (from: number, span: number, count: number) =>
  Array.from({ length: count }, (_, i) => from + Math.floor((i * span) / count));

const figure = (system: string, scenario: string, admitted: number, offered: number) =>
  console.info(`[limits] ${system}: ${scenario}: admitted ${admitted}/${offered}`);

for (const [system, open] of systems) {
  describe(`rate limiter contract (${system})`, () => {
    let harness: Harness;
    beforeEach(async () => {
      harness = await open();
    });
    afterEach(() => harness.dispose());

    test("at 80% of the limit everything passes, minute after minute", async () => {
      const times = [0, 1, 2].flatMap((minute) => spread(T0 + minute * WINDOW, WINDOW, 16));
      const admitted = await offer(harness.limiter, times);
      figure(system, "80% for 3 minutes", admitted.length, times.length);
      expect(admitted).toEqual(times);
    });

    test("at 160% exactly the limit passes per window", async () => {
      const times = [0, 1, 2].flatMap((minute) => spread(T0 + minute * WINDOW, WINDOW, 32));
      const admitted = await offer(harness.limiter, times);
      figure(system, "160% for 3 minutes", admitted.length, times.length);
      for (const minute of [0, 1, 2]) {
        const start = T0 + minute * WINDOW;
        const inMinute = admitted.filter((t) => t >= start && t < start + WINDOW);
        expect(inMinute).toHaveLength(LIMIT);
      }
      expect(busiestWindow(admitted)).toBe(LIMIT);
    });

    test("bursts across a window boundary never exceed the limit in any window", async () => {
      // A full burst at the end of one minute, another at the start of the next, then a third
      // exactly one window after the first: a fixed-window counter would admit 2x here.
      const times = [
        ...spread(T0 + 59_000, 1_000, 30),
        ...spread(T0 + 60_000, 1_000, 30),
        ...spread(T0 + 119_000, 2_000, 30),
        ...spread(T0 + 150_000, 90_000, 40),
      ];
      const admitted = await offer(harness.limiter, times);
      figure(system, "boundary bursts", admitted.length, times.length);
      expect(busiestWindow(admitted)).toBe(LIMIT);
      // The window slides: the first burst's units free room exactly one window later.
      expect(admitted.filter((t) => t < T0 + 60_000)).toHaveLength(LIMIT);
      expect(admitted.filter((t) => t >= T0 + 60_000 && t < T0 + 119_000)).toHaveLength(0);
      expect(admitted.filter((t) => t >= T0 + 119_000 && t < T0 + 121_000)).toHaveLength(LIMIT);
    });

    test("concurrent checks never overshoot (one atomic check each)", async () => {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => harness.limiter.admit(check(T0))),
      );
      figure(system, "50 concurrent at one instant", answers.filter((a) => a.admitted).length, 50);
      expect(answers.filter((answer) => answer.admitted)).toHaveLength(LIMIT);
    });

    test("a refusal names its window and when it has room again", async () => {
      await offer(harness.limiter, spread(T0, 10_000, LIMIT));
      const answer = await harness.limiter.admit(check(T0 + 20_000));
      expect(answer).toEqual({ admitted: false, key: "{T1}:user:U1", retryAfterMs: 40_000 });
    });

    test("all windows must have room; a refused check records nothing anywhere", async () => {
      const both = (now: number, id: string): AdmitRequest => ({
        windows: [
          { key: "{T1}:user:U1", limit: 2, windowMs: WINDOW },
          { key: "{T1}:team", limit: 3, windowMs: WINDOW },
        ],
        budgets: [],
        now,
        id,
      });
      const answers = [];
      for (let i = 0; i < 4; i += 1)
        answers.push((await harness.limiter.admit(both(T0, `a${i}`))).admitted);
      expect(answers).toEqual([true, true, false, false]);
      // U1's refusals did not use the workspace's room: one more unit still fits there.
      const other = await harness.limiter.admit({
        windows: [{ key: "{T1}:team", limit: 3, windowMs: WINDOW }],
        budgets: [],
        now: T0,
        id: "b",
      });
      expect(other.admitted).toBe(true);
    });

    test("a daily budget refuses once spent and resets the next UTC day", async () => {
      const day = (now: number) => new Date(now).toISOString().slice(0, 10);
      const reply = (now: number, id: string): AdmitRequest => ({
        windows: [],
        budgets: [{ key: `{T1}:tokens:U1:${day(now)}`, limit: 1_000 }],
        now,
        id,
      });
      const spend = (now: number, amount: number) =>
        harness.limiter.spend({
          keys: [`{T1}:tokens:U1:${day(now)}`],
          amount,
          now,
          ttlMs: 2 * 86_400_000,
        });
      const late = Date.UTC(2026, 11, 1, 23, 59, 0);
      expect((await harness.limiter.admit(reply(late, "r1"))).admitted).toBe(true);
      await spend(late, 600);
      expect((await harness.limiter.admit(reply(late, "r2"))).admitted).toBe(true);
      await spend(late, 600); // the reply in flight may overshoot once; the next is refused
      expect(await harness.limiter.admit(reply(late + 1_000, "r3"))).toEqual({
        admitted: false,
        key: `{T1}:tokens:U1:${day(late)}`,
        retryAfterMs: null,
      });
      const nextDay = Date.UTC(2026, 11, 2, 0, 0, 1);
      expect((await harness.limiter.admit(reply(nextDay, "r4"))).admitted).toBe(true);
    });
  });
}
