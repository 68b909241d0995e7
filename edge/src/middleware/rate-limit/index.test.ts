import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import type { RateLimitBinding } from "../../env";
import { type RateLimitEnv, type RateLimitScope, rateLimit } from ".";

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

function build() {
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
