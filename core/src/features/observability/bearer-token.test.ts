// /metrics and /health behind PUP_METRICS_TOKEN, /healthz open, on the real routes (issue 14, 10).
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createInProcessJobs } from "../../adapters/in-process";
import { bearerMatches, metricsBearerAuth } from "./bearer-token";
import { healthRoute } from "./health";
import { createCoreMetrics } from "./metrics";
import { metricsRoute } from "./metrics-route";

const TOKEN = "scrape-token-for-this-test";

function app(token: string | undefined): Hono {
  const { queue } = createInProcessJobs();
  const up = async () => {};
  const hono = new Hono();
  hono.use(metricsBearerAuth(token));
  hono.get("/healthz", (c) => c.json({ status: "ok" }));
  hono.route("/", metricsRoute({ metrics: createCoreMetrics(), queue }));
  hono.route(
    "/",
    healthRoute({
      checks: { database: up, redis: up, llm: up, slack: up },
      queue,
      version: "0.0.0",
      startedAt: 0,
    }),
  );
  return hono;
}

const get = (hono: Hono, path: string, authorization?: string) =>
  hono.request(path, { headers: authorization ? { authorization } : {} });

describe("PUP_METRICS_TOKEN", () => {
  test.each(["/metrics", "/health"])("%s without the token answers 401", async (path) => {
    const hono = app(TOKEN);
    for (const header of [undefined, "Bearer wrong-token", `Basic ${TOKEN}`, "Bearer ", TOKEN]) {
      const response = await get(hono, path, header);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "unauthorized" });
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  test.each(["/metrics", "/health"])("%s with the token answers", async (path) => {
    const response = await get(app(TOKEN), path, `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
  });

  test("/healthz stays open, so liveness probes need no secret", async () => {
    const response = await get(app(TOKEN), "/healthz");
    expect(response.status).toBe(200);
  });

  test("without a token (development) both pages are open", async () => {
    expect((await get(app(undefined), "/metrics")).status).toBe(200);
    expect((await get(app(undefined), "/health")).status).toBe(200);
  });

  test("the comparison wants the whole token, not a prefix or a longer string", () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });
});
