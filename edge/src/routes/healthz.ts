/**
 * `GET /healthz`: liveness plus this isolate's counters (rate-limited, dropped, forwarded, …),
 * the cheapest way to see what the edge has been doing without a log query.
 */
import type { Handler } from "hono";
import type { EdgeAppEnv } from "../app-env";
import type { EdgeCounters } from "../counters";

/** Handler factory over the app's counters. */
export function healthz(counters: EdgeCounters): Handler<EdgeAppEnv> {
  return function reportHealth(c) {
    return c.json({ status: "ok", counters: counters.snapshot() });
  };
}
