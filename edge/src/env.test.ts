import { describe, expect, test } from "bun:test";
import { createEdgeConfigReader, type EdgeBindings, parseEdgeConfig } from "./env";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const SHARED_SECRET = "edge-and-core-share-this-secret-value";

const valid: EdgeBindings = {
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  CORE_URL: "http://127.0.0.1:8080/",
  CORE_SHARED_SECRET: SHARED_SECRET,
};

describe("parseEdgeConfig", () => {
  test("defaults and normalisation", () => {
    expect(parseEdgeConfig(valid)).toEqual({
      ok: true,
      config: {
        env: "development",
        logLevel: "info",
        slackSigningSecret: SIGNING_SECRET,
        coreUrl: "http://127.0.0.1:8080",
        coreSharedSecret: SHARED_SECRET,
        forwardDeadlineMs: 700,
        forwardBatching: { concurrency: 4, maxItems: 50 },
        forwardRedelivery: { baseSeconds: 5, maxSeconds: 600, maxRetries: 10 },
        rateLimitLeases: { userLeaseSize: 5, teamLeaseSize: 25, periodSeconds: 60 },
      },
    });
  });

  test("FORWARD_DEADLINE_MS is an integer inside Slack's 3 s", () => {
    const read = (value: string) => parseEdgeConfig({ ...valid, FORWARD_DEADLINE_MS: value });
    expect(read("1200")).toMatchObject({ ok: true, config: { forwardDeadlineMs: 1200 } });
    for (const bad of ["3000", "10", "0.5", "soon"]) {
      expect(read(bad)).toEqual({
        ok: false,
        problems: [
          { variable: "FORWARD_DEADLINE_MS", message: "must be an integer between 50 and 2500" },
        ],
      });
    }
  });

  test("rate-limit lease sizes are integers from 1; the period is the bindings' 10 or 60", () => {
    const read = (bindings: EdgeBindings) => parseEdgeConfig({ ...valid, ...bindings });
    expect(
      read({
        USER_RATE_LEASE_SIZE: "1",
        TEAM_RATE_LEASE_SIZE: "40",
        RATE_LIMIT_PERIOD_SECONDS: "10",
      }),
    ).toMatchObject({
      ok: true,
      config: { rateLimitLeases: { userLeaseSize: 1, teamLeaseSize: 40, periodSeconds: 10 } },
    });
    expect(
      read({
        USER_RATE_LEASE_SIZE: "0",
        TEAM_RATE_LEASE_SIZE: "2.5",
        RATE_LIMIT_PERIOD_SECONDS: "30",
      }),
    ).toEqual({
      ok: false,
      problems: [
        { variable: "USER_RATE_LEASE_SIZE", message: "must be an integer between 1 and 1000" },
        { variable: "TEAM_RATE_LEASE_SIZE", message: "must be an integer between 1 and 1000" },
        {
          variable: "RATE_LIMIT_PERIOD_SECONDS",
          message: "must be 10 or 60 (the rate-limit bindings' period)",
        },
      ],
    });
  });

  test("every required binding missing is named", () => {
    const result = parseEdgeConfig({});
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          variable: "SLACK_SIGNING_SECRET",
          message: "required (the signing secret from the Slack app's settings)",
        },
        { variable: "CORE_URL", message: "required (an http(s) URL)" },
        { variable: "CORE_SHARED_SECRET", message: "required (at least 32 characters)" },
      ],
    });
  });

  test("malformed bindings are named without their values", () => {
    const result = parseEdgeConfig({
      ...valid,
      CORE_URL: "ftp://core.internal",
      CORE_SHARED_SECRET: "short-shared",
      PUP_ENV: "prod",
      LOG_LEVEL: "chatty",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.variable)).toEqual([
      "CORE_URL",
      "CORE_SHARED_SECRET",
      "PUP_ENV",
      "LOG_LEVEL",
    ]);
    const text = JSON.stringify(result);
    for (const value of ["ftp://core.internal", "short-shared", SIGNING_SECRET]) {
      expect(text).not.toContain(value);
    }
  });
});

describe("createEdgeConfigReader", () => {
  test("parses each bindings object once and reports invalid ones once", () => {
    const reported: string[][] = [];
    const read = createEdgeConfigReader((problems) =>
      reported.push(problems.map((problem) => problem.variable)),
    );
    const broken: EdgeBindings = { ...valid, CORE_URL: "nope" };
    const first = read(broken);
    expect(read(broken)).toBe(first);
    expect(reported).toEqual([["CORE_URL"]]);

    const fixed: EdgeBindings = { ...valid };
    expect(read(fixed).ok).toBe(true);
    expect(read(fixed)).toBe(read(fixed));
    expect(reported).toHaveLength(1);
  });
});
