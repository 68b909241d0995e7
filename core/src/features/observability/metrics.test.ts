// Core's metrics and GET /metrics (with the in-process queue for depths); the registry's own
// text output is tested in core/src/shared/metrics-registry.test.ts.
import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createInProcessJobs } from "../../adapters/in-process";
import { PROMETHEUS_CONTENT_TYPE } from "../../shared/metrics-registry";
import { httpMetricsMiddleware } from "./http-metrics";
import { createCoreMetrics } from "./metrics";
import { metricsRoute } from "./metrics-route";

describe("GET /metrics", () => {
  test("exposes core's metrics, request counts by route and queue depths", async () => {
    const metrics = createCoreMetrics();
    const { queue } = createInProcessJobs();
    await queue.add("message", "event", {}, { jobId: "one" });
    const app = new Hono();
    app.use(httpMetricsMiddleware(metrics));
    app.get("/healthz", (c) => c.json({ status: "ok" }));
    app.route("/", metricsRoute({ metrics, queue }));
    metrics.eventsAccepted.inc({ result: "accepted" });
    metrics.acceptanceSeconds.observe({}, 0.003);

    await app.request("/healthz");
    await app.request("/nowhere");
    const response = await app.request("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
    const text = await response.text();
    expect(text).toContain('pup_http_requests_total{method="GET",route="/healthz",status="200"} 1');
    expect(text).toContain('status="404"} 1');
    expect(text).toContain('pup_events_accepted_total{result="accepted"} 1');
    expect(text).toContain('pup_acceptance_seconds_bucket{le="0.005"} 1');
    expect(text).toContain('pup_queue_depth{queue="message",state="waiting"} 1');
    expect(text).toContain('pup_queue_depth{queue="summary",state="failed"} 0');
  });
});
