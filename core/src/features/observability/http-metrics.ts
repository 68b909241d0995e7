/** Counts every HTTP request core serves into `pup_http_requests_total`, by matched route. */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { CoreMetrics } from "./metrics";

/** Counts every request into `pup_http_requests_total` by matched route (bounded cardinality). */
export function httpMetricsMiddleware(metrics: CoreMetrics): MiddlewareHandler {
  return async (c, next) => {
    await next();
    metrics.httpRequests.inc({
      method: c.req.method,
      route: routePath(c) || "unmatched",
      status: String(c.res.status),
    });
  };
}
