/**
 * Core's HTTP app: the features' routes (intake's POST /internal/slack, observability's /health
 * and /metrics) mounted on one Hono app with one 404 and one error handler. A function, not a
 * module-level app, so every server and every test gets its own.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { internalSlackRoute } from "../features/intake";
import {
  HealthCheckFailure,
  healthRoute,
  httpMetricsMiddleware,
  metricsBearerAuth,
  metricsRoute,
} from "../features/observability";
import type { Logger } from "../ports/logger";
import { PupError } from "../shared/errors";
import type { CoreServices } from "./services";

export interface CoreHttpOptions {
  coreSharedSecret: string;
  version: string;
  startedAt: number;
  /** PUP_METRICS_TOKEN: when set, /metrics and /health need it as a bearer token. */
  metricsToken?: string;
}

/**
 * An app with `middleware` first, /healthz, a JSON 404 and the one `onError`; routes are added
 * to it.
 */
export function baseHttpApp(logger: Logger, middleware: MiddlewareHandler[] = []): Hono {
  const app = new Hono();
  for (const handler of middleware) app.use(handler);
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.notFound((c) => c.json({ error: "not_found" }, 404));
  app.onError((error, c) => {
    const code = error instanceof PupError ? error.code : "internal_error";
    logger.error({ err: error, code, path: c.req.path }, "request failed");
    return c.json({ error: "internal_error" }, 500);
  });
  return app;
}

/** Core's HTTP app: /healthz, /health, /metrics and the edge's POST /internal/slack. */
export function createCoreHttpApp(services: CoreServices, options: CoreHttpOptions): Hono {
  const { deps, metrics } = services;
  const app = baseHttpApp(deps.logger, [
    httpMetricsMiddleware(metrics),
    metricsBearerAuth(options.metricsToken),
  ]);
  app.route(
    "/",
    internalSlackRoute({
      secret: options.coreSharedSecret,
      eventLog: services.data.eventLog,
      queue: services.queue,
      cache: services.cache,
      logger: deps.logger,
      metrics,
    }),
  );
  mountOperatorPages(app, services, { ...options, checkSlack: true });
  return app;
}

/**
 * /health (database, redis, llm, slack, queues: codes only) and /metrics (queue depths and stuck
 * reply claims read fresh on each scrape), as core and every worker serve them.
 */
export function mountOperatorPages(
  app: Hono,
  services: CoreServices,
  options: { version: string; startedAt: number; checkSlack: boolean },
): void {
  const { deps, metrics } = services;
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
        // A process that never posts has no use for Slack (and may run without a bot token).
        slack: async () => {
          if (options.checkSlack) await services.slack.identity();
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
}
