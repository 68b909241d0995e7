/**
 * Rate-limit leases in real workerd, against miniflare's simulation of Cloudflare's binding
 * (ADR-009): with wrangler.toml's own limits and lease sizes the documented request counts
 * (20 per user, 300 per workspace, a minute) still hold, although the binding only allows 4 and
 * 12 calls; and once a key is over the limit the next window of the period serves it again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { appMention } from "../../fixtures/slack/message-events";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

const ROOT = join(import.meta.dir, "..", "..", "..");

interface WranglerTopLevel {
  vars: Record<string, string>;
  ratelimits: { name: string; simple: { limit: number; period: 10 | 60 } }[];
}

/** wrangler.toml's top-level limits and lease sizes, as the harness takes them. */
async function wranglerRateLimits() {
  const text = await Bun.file(join(ROOT, "wrangler.toml")).text();
  const config = Bun.TOML.parse(text) as WranglerTopLevel;
  const simple = (name: string) => {
    const found = config.ratelimits.find((limiter) => limiter.name === name);
    if (!found) throw new Error(`wrangler.toml has no ${name}`);
    return found.simple;
  };
  return {
    user: { ...simple("USER_RATE_LIMITER"), leaseSize: Number(config.vars.USER_RATE_LEASE_SIZE) },
    team: { ...simple("TEAM_RATE_LIMITER"), leaseSize: Number(config.vars.TEAM_RATE_LEASE_SIZE) },
  };
}

let sequence = 0;
/** A distinct app_mention from `userId` in workspace `teamId`. */
function mention(teamId: string, userId: string) {
  sequence += 1;
  return {
    ...appMention,
    team_id: teamId,
    event_id: `Ev0LEASE${String(sequence).padStart(6, "0")}`,
    event: { ...appMention.event, user: userId },
  };
}

/**
 * Sends `count` mentions, `parallel` at a time, and returns how many passed the rate limiter
 * (read from the edge's `rate_limited` counter, so how forwarding groups requests is no matter).
 */
async function flood(
  routes: RoutesUnderTest,
  count: number,
  make: (index: number) => unknown,
  parallel = 1,
) {
  const limitedBefore = (await routes.counters()).rate_limited ?? 0;
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, offset) =>
      routes.sendEvent(make(start + offset)),
    );
    for (const response of await Promise.all(batch)) expect(response.status).toBe(200);
  }
  const limited = ((await routes.counters()).rate_limited ?? 0) - limitedBefore;
  return count - limited;
}

describe("rate-limit leases with wrangler.toml's limits (workerd)", () => {
  let routes: RoutesUnderTest;
  let limits: Awaited<ReturnType<typeof wranglerRateLimits>>;
  beforeAll(async () => {
    limits = await wranglerRateLimits();
    routes = await startRoutes({ rateLimits: limits });
  });
  afterAll(() => routes.stop());

  test("one user: 20 a minute pass, the rest are acknowledged and counted", async () => {
    expect(limits.user.limit * limits.user.leaseSize).toBe(20);
    expect(await flood(routes, 26, () => mention("T0LEASEUSR", "U0FLOODER1"))).toBe(20);
    expect(await routes.counters()).toMatchObject({ forwarded: 20, rate_limited: 6 });
  });

  test("one workspace: 300 a minute pass, also from concurrent requests", {
    timeout: 30_000,
  }, async () => {
    expect(limits.team.limit * limits.team.leaseSize).toBe(300);
    // Distinct users, so only the workspace limit can bite.
    const passed = await flood(routes, 320, (i) => mention("T0LEASETEM", `U0MANY${i}`), 10);
    expect(passed).toBe(300);
  });
});

describe("rate-limit leases across a period (workerd)", () => {
  test("a user over the limit is served again when the 10 s window ends", {
    timeout: 40_000,
  }, async () => {
    const routes = await startRoutes({
      rateLimits: {
        user: { limit: 1, leaseSize: 3, period: 10 },
        team: { limit: 1000, period: 10 },
      },
    });
    try {
      // Start right after a window boundary (the binding's windows are aligned to the epoch),
      // so the first part cannot straddle two windows.
      await Bun.sleep(10_000 - (Date.now() % 10_000) + 100);
      const fromAlice = () => mention("T0LEASEPER", "U0ALICE001");
      // One call to the binding, a lease of 3: per-request calls would forward only 1.
      expect(await flood(routes, 6, fromAlice)).toBe(3);
      await Bun.sleep(10_000 - (Date.now() % 10_000) + 100);
      expect(await flood(routes, 4, fromAlice)).toBe(3);
      expect(await routes.counters()).toMatchObject({ forwarded: 6, rate_limited: 4 });
    } finally {
      await routes.stop();
    }
  });
});
