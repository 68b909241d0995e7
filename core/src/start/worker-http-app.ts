/**
 * A worker's operator pages on WORKER_METRICS_PORT: `/healthz` (liveness), `/health` (the same
 * JSON as core's: database, redis, llm, slack, queues) and `/metrics` (Prometheus text, queue
 * depths and stuck reply claims read fresh on each scrape). Guarded by PUP_METRICS_TOKEN like
 * core's; there is no `/internal/slack` here, a worker takes work only from the queues.
 */
import type { Hono } from "hono";
import { metricsBearerAuth } from "../features/observability";
import type { QueueName } from "../ports/job-queue";
import { baseHttpApp, mountOperatorPages } from "./http-app";
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
  const app = baseHttpApp(services.deps.logger, [metricsBearerAuth(options.metricsToken)]);
  const postsToSlack = options.queues.includes("message");
  mountOperatorPages(app, services, { ...options, checkSlack: postsToSlack });
  return app;
}
