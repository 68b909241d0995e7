// The in-process rate limiter's memory stays bounded (the demo, and every process while Redis is
// down, ADR-025): windows and counters of people who went quiet are forgotten once they expire,
// while anyone still limited stays limited. The shared behaviour is in
// test/contracts/rate-limiter.contract.test.ts.
import { expect, test } from "bun:test";
import type { AdmitRequest } from "../../ports/rate-limiter";
import { createInProcessRateLimiter } from "./rate-limiter";

const WINDOW = 60_000;
const T0 = Date.UTC(2026, 11, 1, 10, 0, 17, 345);
const IDLE_USERS = 3000;

const userCheck = (user: string, now: number, limit: number): AdmitRequest => ({
  windows: [{ key: `{T1}:user:${user}`, limit, windowMs: WINDOW }],
  budgets: [],
  now,
  id: crypto.randomUUID(),
});

const budgetCheck = (user: string, now: number): AdmitRequest => ({
  windows: [],
  budgets: [{ key: `{T1}:tokens:${user}`, limit: 1_000 }],
  now,
  id: crypto.randomUUID(),
});

test("expired windows and counters are swept, and people still limited stay limited", async () => {
  const limiter = createInProcessRateLimiter();
  // A crowd speaks once each and spends a little, then goes quiet.
  for (let i = 0; i < IDLE_USERS; i += 1) {
    expect((await limiter.admit(userCheck(`idle${i}`, T0, 5))).admitted).toBe(true);
    await limiter.spend({ keys: [`{T1}:tokens:idle${i}`], amount: 10, now: T0, ttlMs: WINDOW });
  }
  expect(limiter.size()).toBe(2 * IDLE_USERS);

  // Later, one person uses up their window and their day's budget.
  const later = T0 + 2 * WINDOW;
  expect((await limiter.admit(userCheck("busy", later, 2))).admitted).toBe(true);
  expect((await limiter.admit(userCheck("busy", later, 2))).admitted).toBe(true);
  await limiter.spend({
    keys: ["{T1}:tokens:busy"],
    amount: 1_000,
    now: later,
    ttlMs: 86_400_000,
  });

  // Traffic from someone else goes on; the quiet crowd's expired entries are dropped meanwhile.
  const now = later + 1_000;
  let checks = 0;
  while (limiter.size() > 3 && checks < 10_000) {
    await limiter.admit(userCheck("steady", now, 1_000_000));
    checks += 1;
  }
  // Left: busy's window and budget, and steady's window.
  expect(limiter.size()).toBe(3);

  // The sweep kept what still limits.
  expect(await limiter.admit(userCheck("busy", now, 2))).toEqual({
    admitted: false,
    key: "{T1}:user:busy",
    retryAfterMs: WINDOW - 1_000,
  });
  expect(await limiter.admit(budgetCheck("busy", now))).toEqual({
    admitted: false,
    key: "{T1}:tokens:busy",
    retryAfterMs: null,
  });
  // A quiet person coming back starts afresh.
  expect((await limiter.admit(budgetCheck("idle0", now))).admitted).toBe(true);
  expect((await limiter.admit(userCheck("idle0", now, 1))).admitted).toBe(true);
});
