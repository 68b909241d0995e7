// What the limits do while Redis is unavailable (ADR-025): the shared limiter pointed at a
// closed port. Checks never throw and never admit without limit: this process limits on its
// own at half of each limit, says so in one warning, and spend is still counted here.
import { afterAll, describe, expect, test } from "bun:test";
import { createInProcessRateLimiter } from "../../../core/src/adapters/in-process/rate-limiter";
import { createRedisClient } from "../../../core/src/adapters/redis";
import { createRedisRateLimiter } from "../../../core/src/adapters/redis/rate-limiter";
import { fallbackRateLimiter } from "../../../core/src/features/limits";
import type { Logger } from "../../../core/src/ports/logger";
import type { AdmitRequest } from "../../../core/src/ports/rate-limiter";

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const warnings: string[] = [];
const logger: Logger = {
  debug() {},
  info() {},
  warn: (_fields: object | string, message?: string) => void warnings.push(message ?? ""),
  error() {},
};
// Port 9 (discard) is closed on the test machine: every command fails to connect.
const client = createRedisClient("redis://127.0.0.1:9", {
  connectTimeoutMs: 200,
  onError: () => {},
});
afterAll(() => client.disconnect());

describe("limits while Redis is down", () => {
  test("checks fall back to this process at half of each limit; one warning; spend still counts", async () => {
    let now = T0;
    const limiter = fallbackRateLimiter({
      primary: createRedisRateLimiter({ redis: client, prefix: "pup-test-down:", timeoutMs: 300 }),
      fallback: createInProcessRateLimiter(),
      logger,
      now: () => now,
    });
    const reply = (id: number): AdmitRequest => ({
      windows: [{ key: "{T1}:user:U1", limit: 10, windowMs: 60_000 }],
      budgets: [{ key: "{T1}:tokens:U1:2026-12-01", limit: 1_000 }],
      now,
      id: `r${id}`,
    });
    const started = performance.now();
    const answers = [];
    for (let i = 0; i < 12; i += 1) {
      answers.push((await limiter.admit(reply(i))).admitted);
      now += 1_000;
    }
    const perCheckMs = (performance.now() - started) / 12;
    console.info(
      `[limits] redis down: admitted ${answers.filter(Boolean).length}/12 (limit 10), ${perCheckMs.toFixed(1)} ms a check`,
    );
    expect(answers).toEqual([...Array(5).fill(true), ...Array(7).fill(false)]);
    expect(warnings).toEqual([
      "rate limiter unavailable: limiting in this process only, at half of each limit",
    ]);

    // Spend never throws, and is counted against the halved budget: 500 of 1,000 spends it.
    now += 60_000;
    await limiter.spend({
      keys: ["{T1}:tokens:U1:2026-12-01"],
      amount: 500,
      now,
      ttlMs: 86_400_000,
    });
    expect(await limiter.admit(reply(99))).toMatchObject({
      admitted: false,
      key: "{T1}:tokens:U1:2026-12-01",
    });
    // A minute later the warning is repeated once, not per check.
    expect(warnings).toHaveLength(2);
  });
});
