// /health answers a short code per failed check and never the error's text (issue 14, 10).
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createInProcessJobs } from "../../adapters/in-process";
import { createLogger } from "../../adapters/pino/logger";
import { SlackCallError } from "../../ports/slack-errors";
import { healthRoute } from "./health";
import { HealthCheckFailure, healthCode } from "./health-codes";

describe("health codes", () => {
  test("each failure maps to its code", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:5432"), {
      code: "ECONNREFUSED",
    });
    expect(healthCode(refused)).toBe("unreachable");
    expect(healthCode(new Error("Connection is closed."))).toBe("unreachable");
    expect(healthCode(new Error("wrapped", { cause: refused }))).toBe("unreachable");
    expect(healthCode(new SlackCallError("auth.test", "invalid_auth"))).toBe("auth");
    expect(healthCode(new SlackCallError("auth.test", "request_failed"))).toBe("unreachable");
    expect(healthCode(Object.assign(new Error("password failed"), { code: "28P01" }))).toBe("auth");
    expect(healthCode(new HealthCheckFailure("circuit_open", "breaker open"))).toBe("circuit_open");
    expect(healthCode(new Error("something odd"))).toBe("error");
  });

  test("the answer carries status and code only; the detail goes to the log", async () => {
    const detail = "connect ECONNREFUSED db-primary.internal:5432 user=pup_admin";
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      env: "development",
      name: "core",
      destination: { write: (line: string) => void lines.push(line) },
    });
    const up = async () => {};
    const hono = new Hono().route(
      "/",
      healthRoute({
        checks: {
          database: async () => {
            throw Object.assign(new Error(detail), { code: "ECONNREFUSED" });
          },
          redis: up,
          llm: up,
          slack: async () => {
            throw new SlackCallError("auth.test", "invalid_auth");
          },
        },
        queue: createInProcessJobs().queue,
        version: "0.0.0",
        startedAt: 0,
        logger,
      }),
    );
    const response = await hono.request("/health");
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(text).not.toContain("db-primary");
    expect(text).not.toContain("invalid_auth");
    const body = JSON.parse(text);
    expect(body.checks.database).toEqual({
      status: "down",
      latencyMs: expect.any(Number),
      code: "unreachable",
    });
    expect(body.checks.slack.code).toBe("auth");
    expect(lines.join("\n")).toContain("db-primary.internal");
  });
});
