/**
 * A worker's operator pages on WORKER_METRICS_PORT: `/healthz` (liveness), `/health` (the same
 * JSON as core's: database, redis, llm, slack, queues) and `/metrics` (Prometheus text, queue
 * depths and stuck reply claims read fresh on each scrape). Guarded by PUP_METRICS_TOKEN like
 * core's; there is no `/internal/slack` here, a worker takes work only from the queues.
 */
import type { Hono } from "hono";
import {
  HealthCheckFailure,
  healthRoute,
  metricsBearerAuth,
  metricsRoute,
} from "../features/observability";
import type { QueueName } from "../ports/job-queue";
import { baseHttpApp } from "./http-app";
import type { CoreServices } from "./services";

export interface WorkerHttpOptions {
  version: string;
  startedAt: number;
  /** The queues this worker serves: Slack is checked only when it posts (the message queue). */
  queues: readonly QueueName[];
  /** PUP_METRICS_TOKEN: when set, /metrics and /health need it as a bearer token. */
  metricsToken?: string;
}

/** The worker's /healthz, /health and /metrics. */
export function createWorkerHttpApp(services: CoreServices, options: WorkerHttpOptions): Hono {
  const { deps, metrics } = services;
  const app = baseHttpApp(deps.logger, [metricsBearerAuth(options.metricsToken)]);
  const postsToSlack = options.queues.includes("message");
  app.route(
    "/",
    healthRoute({
      checks: {
        database: async () => {
          await services.data.directory.getWorkspace("T_HEALTHCHECK");
        },
        redis: () => services.cache.ping(),
        llm: async () => {
          const breaker = services.models.breaker;
          if (breaker && breaker.snapshot().state === "open") {
            throw new HealthCheckFailure("circuit_open", "the model failed repeatedly");
          }
        },
        // A worker that never posts has no use for Slack (and may run without a bot token).
        slack: async () => {
          if (postsToSlack) await services.slack.identity();
        },
      },
      queue: services.queue,
      version: options.version,
      startedAt: options.startedAt,
      logger: deps.logger,
    }),
  );
  app.route(
    "/",
    metricsRoute({
      metrics,
      queue: services.queue,
      replyClaims: services.data.botReplies,
      replyClaimLeaseMs: deps.reply.claimLeaseMs,
      logger: deps.logger,
    }),
  );
  return app;
}
