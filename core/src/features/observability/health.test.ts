// GET /health over the in-process queue (real adapter) and check functions that succeed, fail
// or hang, as the composition root's probes would.
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createInProcessJobs } from "../../adapters/in-process";
import {
  type HealthCheck,
  type HealthDependencies,
  type HealthStatus,
  healthRoute,
} from "./health";

const up: HealthCheck = async () => {};
const down: HealthCheck = async () => {
  throw new Error("connection refused");
};
const hangs: HealthCheck = () => new Promise<void>(() => {});

function app(
  overrides: Partial<HealthDependencies["checks"]> = {},
  extra: Partial<HealthDependencies> = {},
) {
  const { queue } = createInProcessJobs();
  const hono = new Hono();
  hono.route(
    "/",
    healthRoute({
      checks: { database: up, redis: up, llm: up, slack: up, ...overrides },
      queue,
      version: "0.1.0",
      startedAt: 1_000_000,
      clock: () => 1_000_000 + 90_500,
      timeoutMs: 100,
      ...extra,
    }),
  );
  return { hono, queue };
}

async function get(hono: Hono): Promise<{ status: number; body: HealthStatus }> {
  const response = await hono.request("/health");
  return { status: response.status, body: (await response.json()) as HealthStatus };
}

describe("GET /health", () => {
  test("all checks up: healthy, 200, with queue depths, uptime and version", async () => {
    const { hono, queue } = app();
    await queue.add("embedding", "e", {}, { jobId: "a" });
    await queue.add("embedding", "e", {}, { jobId: "b", delayMs: 60_000 });
    const { status, body } = await get(hono);
    expect(status).toBe(200);
    expect(body.status).toBe("healthy");
    expect(body.uptimeSeconds).toBe(90);
    expect(body.version).toBe("0.1.0");
    expect(body.checks.database.status).toBe("up");
    expect(body.checks.queues.embedding).toEqual({ waiting: 1, active: 0, delayed: 1, failed: 0 });
    expect(Object.keys(body.checks.queues).sort()).toEqual([
      "cleanup",
      "embedding",
      "message",
      "privacy",
      "profile",
      "summary",
    ]);
  });

  test("a failing non-database check: degraded, still 200, with a code", async () => {
    const { status, body } = await get(app({ llm: down }).hono);
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.checks.llm).toMatchObject({ status: "down", code: "unreachable" });
    expect(body.checks.slack.status).toBe("up");
  });

  test("a hanging check times out and counts as down", async () => {
    const started = Date.now();
    const { body } = await get(app({ slack: hangs }).hono);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(body.status).toBe("degraded");
    expect(body.checks.slack).toMatchObject({ status: "down", code: "timeout" });
  });

  test("database down: unhealthy and 503", async () => {
    const { status, body } = await get(app({ database: down, redis: down }).hono);
    expect(status).toBe(503);
    expect(body.status).toBe("unhealthy");
  });

  test("a queue whose depth cannot be read is left out", async () => {
    const { queue } = createInProcessJobs();
    const failing = {
      ...queue,
      depth: async (name: string) => {
        if (name === "summary") throw new Error("redis gone");
        return queue.depth("summary");
      },
    };
    const { body } = await get(app({}, { queue: failing }).hono);
    expect(body.checks.queues.summary).toBeUndefined();
    expect(body.checks.queues.message).toBeDefined();
  });
});
