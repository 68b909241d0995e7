/**
 * `GET /metrics`: core's metrics in the Prometheus text format, with every queue's depth read
 * fresh on each scrape.
 */
import { Hono } from "hono";
import { type JobQueue, QUEUE_NAMES, type QueueDepth } from "../../ports/job-queue";
import type { Logger } from "../../ports/logger";
import { PROMETHEUS_CONTENT_TYPE } from "../../shared/metrics-registry";
import type { CoreMetrics } from "./metrics";
import { refreshStuckClaims, type StuckClaimsSource } from "./stuck-claims";

export interface MetricsRouteDependencies {
  metrics: CoreMetrics;
  /** When given, queue depth gauges are refreshed on each scrape. */
  queue?: JobQueue;
  /** Longest a scrape waits for queue depths; default 1 s (stale values are kept then). */
  depthTimeoutMs?: number;
  /** When given, `pup_reply_claims_stuck` is refreshed on each scrape. */
  replyClaims?: StuckClaimsSource;
  /** The reply claim lease (the reply setting `claimLeaseMs`); default REPLY_CLAIM_LEASE_MS. */
  replyClaimLeaseMs?: number;
  logger?: Logger;
  /** Unix ms; default `Date.now`. */
  clock?: () => number;
}

/** `GET /metrics` as a Hono sub-app; mount it with `app.route("/", metricsRoute(deps))`. */
export function metricsRoute(deps: MetricsRouteDependencies): Hono {
  const app = new Hono();
  app.get("/metrics", async (c) => {
    if (deps.queue) await refreshQueueDepths(deps.metrics, deps.queue, deps.depthTimeoutMs ?? 1000);
    if (deps.replyClaims) {
      const now = (deps.clock ?? Date.now)();
      // A failing database must not cost the scrape: the gauge keeps its last value.
      await refreshStuckClaims(deps.metrics, deps.replyClaims, {
        now,
        logger: deps.logger,
        ...(deps.replyClaimLeaseMs === undefined ? {} : { leaseMs: deps.replyClaimLeaseMs }),
      }).catch((error: unknown) =>
        deps.logger?.warn({ err: error }, "stuck reply claims not counted"),
      );
    }
    return c.body(deps.metrics.registry.render(), 200, {
      "content-type": PROMETHEUS_CONTENT_TYPE,
    });
  });
  return app;
}

/** Reads every queue's depth into the gauge; a queue that does not answer in time keeps its last values. */
export async function refreshQueueDepths(
  metrics: CoreMetrics,
  queue: JobQueue,
  timeoutMs: number,
): Promise<void> {
  await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const depth = await Promise.race([
        queue.depth(name).catch(() => undefined),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!depth) return;
      for (const state of Object.keys(depth) as (keyof QueueDepth)[]) {
        metrics.queueDepth.set({ queue: name, state }, depth[state]);
      }
    }),
  );
}
