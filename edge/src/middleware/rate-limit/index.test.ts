import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { manualClock, windowLimiter } from "../../../../test/fixtures/edge/window-limiter";
import type { RateLimitBinding } from "../../env";
import {
  type RateLimitEnv,
  type RateLimitLeasePolicy,
  type RateLimitOptions,
  type RateLimitScope,
  rateLimit,
} from ".";

/** A limiter whose answers are released by the test, to observe concurrency. */
function gatedLimiter(success: boolean) {
  const keys: string[] = [];
  const gates: (() => void)[] = [];
  const binding: RateLimitBinding = {
    limit({ key }) {
      keys.push(key);
      return new Promise((resolve) => gates.push(() => resolve({ success })));
    },
  };
  const release = () => {
    for (const open of gates.splice(0)) open();
  };
  return { binding, keys, release };
}

/** A limiter that allows everything and records the keys it was asked about. */
function recordingLimiter() {
  const keys: string[] = [];
  const binding: RateLimitBinding = {
    async limit({ key }) {
      keys.push(key);
      return { success: true };
    },
  };
  return { binding, keys };
}

function build(extra: Partial<RateLimitOptions<RateLimitEnv>> = {}) {
  const limited: RateLimitScope[] = [];
  const missing: string[][] = [];
  const errors: unknown[] = [];
  const app = new Hono<RateLimitEnv>();
  app.post(
    "/in",
    rateLimit<RateLimitEnv>({
      identify: (c) => ({
        teamId: c.req.header("x-team") ?? null,
        userId: c.req.header("x-user") ?? null,
      }),
      limited: (c, scope) => c.text(`limited:${scope}`),
      onLimited: ({ scope }) => limited.push(scope),
      onMissingBindings: (names) => missing.push(names),
      onLimiterError: (error) => errors.push(error),
      ...extra,
    }),
    (c) => c.text("passed"),
  );
  return { app, limited, missing, errors };
}

const WHO = { method: "POST", headers: { "x-team": "T1", "x-user": "U1" } };

describe("rateLimit", () => {
  test("asks both limiters at once, with keys team:user and team", async () => {
    const { app } = build();
    const user = gatedLimiter(true);
    const team = gatedLimiter(true);
    const env = { USER_RATE_LIMITER: user.binding, TEAM_RATE_LIMITER: team.binding };
    const pending = app.request("/in", WHO, env);
    // Both calls are in flight before either has answered.
    while (user.keys.length + team.keys.length < 2) await Bun.sleep(1);
    expect(user.keys).toEqual(["T1:U1"]);
    expect(team.keys).toEqual(["T1"]);
    user.release();
    team.release();
    expect(await (await pending).text()).toBe("passed");
  });

  test("over either limit the route's answer is given and the handler is skipped", async () => {
    const { app, limited } = build();
    const allow = { limit: async () => ({ success: true }) };
    const deny = { limit: async () => ({ success: false }) };
    const cases = [
      [{ USER_RATE_LIMITER: deny, TEAM_RATE_LIMITER: allow }, "limited:user"],
      [{ USER_RATE_LIMITER: allow, TEAM_RATE_LIMITER: deny }, "limited:team"],
      [{ USER_RATE_LIMITER: deny, TEAM_RATE_LIMITER: deny }, "limited:user"],
      [{ USER_RATE_LIMITER: allow, TEAM_RATE_LIMITER: allow }, "passed"],
    ] as const;
    for (const [env, expected] of cases) {
      expect(await (await app.request("/in", WHO, env)).text()).toBe(expected);
    }
    expect(limited).toEqual(["user", "team", "user"]);
  });

  test("without a user only the workspace is limited; without a team, only the user", async () => {
    const { app } = build();
    const user = recordingLimiter();
    const team = recordingLimiter();
    const env = { USER_RATE_LIMITER: user.binding, TEAM_RATE_LIMITER: team.binding };
    await app.request("/in", { method: "POST", headers: { "x-team": "T1" } }, env);
    await app.request("/in", { method: "POST", headers: { "x-user": "U2" } }, env);
    expect(user.keys).toEqual(["-:U2"]);
    expect(team.keys).toEqual(["T1"]);
  });

  test("a request that does not count passes without asking either limiter", async () => {
    const { app, limited } = build({ counts: (c) => c.req.header("x-costs") === "yes" });
    const user = recordingLimiter();
    const deny = { limit: async () => ({ success: false }) };
    const env = { USER_RATE_LIMITER: user.binding, TEAM_RATE_LIMITER: deny };
    const free = { method: "POST", headers: { ...WHO.headers, "x-costs": "no" } };
    const costly = { method: "POST", headers: { ...WHO.headers, "x-costs": "yes" } };
    expect(await (await app.request("/in", free, env)).text()).toBe("passed");
    expect(user.keys).toEqual([]);
    expect(await (await app.request("/in", costly, env)).text()).toBe("limited:team");
    expect(limited).toEqual(["team"]);
  });

  test("missing bindings: nothing is limited and it is reported once", async () => {
    const { app, missing } = build();
    for (let index = 0; index < 3; index += 1) {
      expect(await (await app.request("/in", WHO, {})).text()).toBe("passed");
    }
    expect(missing).toEqual([["USER_RATE_LIMITER", "TEAM_RATE_LIMITER"]]);
  });

  test("a failing limiter lets the request through and is reported", async () => {
    const { app, errors } = build();
    const broken = {
      limit: async () => {
        throw new Error("limiter unavailable");
      },
    };
    const deny = { limit: async () => ({ success: false }) };
    const passing = await app.request("/in", WHO, {
      USER_RATE_LIMITER: broken,
      TEAM_RATE_LIMITER: broken,
    });
    expect(await passing.text()).toBe("passed");
    expect(errors).toHaveLength(2);
    const stillLimited = await app.request("/in", WHO, {
      USER_RATE_LIMITER: broken,
      TEAM_RATE_LIMITER: deny,
    });
    expect(await stillLimited.text()).toBe("limited:team");
  });
});

/** wrangler.toml's production numbers: 4 leases of 5 per user, 12 of 25 per workspace, a minute. */
const POLICY: RateLimitLeasePolicy = { userLeaseSize: 5, teamLeaseSize: 25, periodSeconds: 60 };
const PERIOD_MS = 60_000;

function leased(policy = POLICY) {
  const clock = manualClock(1_800_000_000_000 + 1_000);
  const user = windowLimiter(4, policy.periodSeconds, clock.now);
  const team = windowLimiter(12, policy.periodSeconds, clock.now);
  const env = { USER_RATE_LIMITER: user.binding, TEAM_RATE_LIMITER: team.binding };
  const built = build({ leases: () => policy, clock: clock.now });
  const send = async (userId = "U1", teamId = "T1") => {
    const init = { method: "POST", headers: { "x-team": teamId, "x-user": userId } };
    return (await built.app.request("/in", init, env)).text();
  };
  const sendMany = async (count: number, userOf: (index: number) => string = () => "U1") => {
    const answers: string[] = [];
    for (let index = 0; index < count; index += 1) answers.push(await send(userOf(index)));
    return answers;
  };
  return { ...built, clock, user, team, send, sendMany };
}

const passed = (count: number) => Array<string>(count).fill("passed");

describe("rateLimit with leases", () => {
  test("per user: 20 requests a minute pass (4 leases of 5) in 5 calls, then none", async () => {
    const { sendMany, user, limited } = leased();
    expect(await sendMany(25)).toEqual([...passed(20), ...Array(5).fill("limited:user")]);
    // 4 allowed leases and the one denial; the four requests after it did not call.
    expect(user.calls).toHaveLength(5);
    expect(limited).toEqual(Array(5).fill("user"));
  });

  test("per workspace: 300 requests a minute pass (12 leases of 25) in 13 calls", async () => {
    const { sendMany, team } = leased();
    const answers = await sendMany(310, (index) => `U${index}`);
    expect(answers).toEqual([...passed(300), ...Array(10).fill("limited:team")]);
    expect(team.calls).toHaveLength(13);
  });

  test("an over-limit key calls nothing until the window ends; the next window serves it", async () => {
    const { sendMany, send, clock, user } = leased();
    await sendMany(21);
    expect(user.calls).toHaveLength(5);
    clock.advance(PERIOD_MS - 2_000); // the last second of the same window
    expect(await sendMany(50)).toEqual(Array(50).fill("limited:user"));
    // (The workspace limiter still counts them, as before leases: it is not over its limit.)
    expect(user.calls).toHaveLength(5);
    clock.toNextWindow(PERIOD_MS);
    expect(await send()).toBe("passed");
    expect(user.calls).toHaveLength(6);
  });

  test("lease size 1 is one call per request per limiter, each answered by the binding", async () => {
    const { sendMany, user, team } = leased({ ...POLICY, userLeaseSize: 1, teamLeaseSize: 1 });
    expect(await sendMany(7)).toEqual([...passed(4), ...Array(3).fill("limited:user")]);
    expect(user.calls).toHaveLength(7);
    expect(team.calls).toHaveLength(7);
  });

  test("both limiters are still asked at once when both need a lease", async () => {
    const { app } = build({ leases: () => POLICY });
    const user = gatedLimiter(true);
    const team = gatedLimiter(true);
    const env = { USER_RATE_LIMITER: user.binding, TEAM_RATE_LIMITER: team.binding };
    const pending = app.request("/in", WHO, env);
    while (user.keys.length + team.keys.length < 2) await Bun.sleep(1);
    user.release();
    team.release();
    expect(await (await pending).text()).toBe("passed");
    expect(await (await app.request("/in", WHO, env)).text()).toBe("passed");
    expect([user.keys.length, team.keys.length]).toEqual([1, 1]);
  });
});
