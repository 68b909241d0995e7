/**
 * The one process starter. `bun run core`, `bun run worker`, the demo and the end-to-end tests
 * all start pup here: services built from configuration (the persona file checked first), the
 * job runner for the queues this process serves, core's HTTP app when it serves one, and a stop
 * that undoes it all in order. Entry points only read their configuration and call it.
 */
import type { Server } from "bun";
import type { Logger } from "../adapters/pino/logger";
import type { JobsConfig } from "../config/sections";
import { scheduleCleanup } from "../features/cleanup";
import { onReinstalled, schedulePurgeCheck } from "../features/forget";
import { startSummarySchedules } from "../features/summaries";
import type { QueueName } from "../ports/job-queue";
import { createCoreHttpApp } from "./http-app";
import { jobConcurrency, jobHandlers, QUEUES } from "./queues";
import { requireRedis } from "./require-redis";
import {
  type CoreServices,
  createCoreServices,
  type ServicesConfig,
  type ServicesOptions,
} from "./services";
import { StartError } from "./start-error";
import { createWorkerHttpApp } from "./worker-http-app";

export interface StartPupOptions {
  /** `core` serves HTTP (and runs the jobs itself without Redis); `worker` runs jobs. */
  role: "core" | "worker";
  config: ServicesConfig & { jobs?: Partial<JobsConfig> };
  logger: Logger;
  /**
   * Serve core's HTTP app here; `coreSharedSecret` checks the edge's signature, `metricsToken`
   * (when set) guards /metrics and /health.
   */
  http?: {
    hostname: string;
    port: number;
    coreSharedSecret: string;
    version: string;
    metricsToken?: string;
  };
  /**
   * A worker's /healthz, /health and /metrics (WORKER_METRICS_PORT), bound and guarded as
   * core's are.
   */
  workerHttp?: { hostname: string; port: number; version: string; metricsToken?: string };
  /**
   * Queues whose jobs this process runs: some, or `"all"` registered. Default: all for a worker,
   * and for core when REDIS_URL is unset (in-process queues have no other consumer), else none.
   */
  queues?: readonly QueueName[] | "all";
  /** Jobs at once per queue, over each queue's own default. */
  concurrency?: Partial<Record<QueueName, number>>;
  /** Ask Slack who pup is (`auth.test`) before taking work, failing the start if it cannot. */
  checkSlack?: boolean;
  /** Service options beyond configuration (the demo's progress lines, tests' timeouts). */
  services?: Omit<ServicesOptions, "logger">;
}

export interface RunningPup {
  services: CoreServices;
  /** `http://host:port` when core's HTTP app is served. */
  url: string | undefined;
  /** `http://host:port` of a worker's metrics pages, when served. */
  metricsUrl: string | undefined;
  /** Stops HTTP, lets running jobs finish (at most `graceMs`), closes every service. */
  stop(graceMs: number): Promise<void>;
}

/** Starts pup's services, runner and HTTP app; on failure closes what it opened, then throws. */
export async function startPup(options: StartPupOptions): Promise<RunningPup> {
  const { config, logger, role } = options;
  if (role === "worker") await requireRedis(config.redis.url);
  const memoryTokens = config.jobs?.memoryTokens;
  const services = await createCoreServices(config, {
    logger,
    ...options.services,
    reply: { ...(memoryTokens ? { memoryTokens } : {}), ...options.services?.reply },
  });
  let server: Server<undefined> | undefined;
  let metricsServer: Server<undefined> | undefined;
  try {
    if (options.checkSlack) {
      await services.slack.identity().catch((error: unknown) => {
        throw new StartError(`pup could not reach Slack (auth.test): ${String(error)}`, error);
      });
    }
    // When Slack accepts the bot token for its workspace, a workspace marked uninstalled (and
    // not purged yet) was reinstalled: it is restored (ADR-034). Core does not wait for it, and
    // a Slack that cannot be reached only postpones the check to the next start.
    if (role === "core") {
      const reinstall = services.slack
        .identity()
        .then((identity) => onReinstalled(services.deps, identity.teamId))
        .catch((error: unknown) =>
          logger.warn(
            { err: error },
            "could not confirm the install with Slack; next start retries",
          ),
        );
      if (options.checkSlack) await reinstall;
    }
    const all = QUEUES.map((queue) => queue.name);
    const wanted = options.queues ?? (role === "worker" || !config.redis.url ? "all" : []);
    const selected = wanted === "all" ? all : wanted;
    const handlers = jobHandlers(services.deps, selected);
    if (Object.keys(handlers).length > 0) {
      const limits = jobConcurrency(config.jobs);
      await services.runner.start(handlers, {
        perQueue: { ...limits.perQueue, ...options.concurrency },
      });
    }
    // The process running summaries keeps every workspace's daily schedule (ADR-028); a failure
    // here must not stop the start: the hourly sync tries again.
    if (handlers.summary) {
      await startSummarySchedules(services.deps).catch((error: unknown) =>
        logger.warn({ err: error }, "summary schedules not set up yet; the hourly sync retries"),
      );
    }
    // Likewise the daily cleanup (ADR-030): every worker may ask, one scheduler results.
    if (handlers.cleanup) {
      await scheduleCleanup(services.deps).catch((error: unknown) =>
        logger.warn({ err: error }, "cleanup schedule not set up; it is asked again at next start"),
      );
    }
    // The hourly check for uninstalled workspaces whose grace period ended (ADR-034).
    if (handlers.privacy) {
      await schedulePurgeCheck(services.deps).catch((error: unknown) =>
        logger.warn({ err: error }, "purge check not scheduled; it is asked again at next start"),
      );
    }
    if (options.http) {
      const app = createCoreHttpApp(services, { ...options.http, startedAt: Date.now() });
      const { hostname, port } = options.http;
      server = Bun.serve({ hostname, port, fetch: app.fetch });
    }
    if (options.workerHttp) {
      const { hostname, port, ...rest } = options.workerHttp;
      const app = createWorkerHttpApp(services, {
        ...rest,
        startedAt: Date.now(),
        queues: selected,
      });
      metricsServer = Bun.serve({ hostname, port, fetch: app.fetch });
    }
    const mode = {
      llm: config.llm.mode,
      database: config.database.url ? "postgres" : "pglite",
      queues: config.redis.url ? "redis" : "in-process",
    };
    if (role === "worker") {
      const processing = Object.keys(handlers);
      const idle = selected.filter((queue) => !processing.includes(queue));
      const metricsPort = metricsServer?.port;
      logger.info(
        { queues: selected, processing, idle, llm: mode.llm, metricsPort },
        "worker ready",
      );
    } else {
      logger.info({ host: server?.hostname, port: server?.port, ...mode }, "core listening");
    }
  } catch (error) {
    await server?.stop(true);
    await metricsServer?.stop(true);
    await services.close(0);
    throw error;
  }
  return {
    services,
    url: server ? `http://${server.hostname}:${server.port}` : undefined,
    metricsUrl: metricsServer
      ? `http://${metricsServer.hostname}:${metricsServer.port}`
      : undefined,
    async stop(graceMs) {
      await server?.stop();
      await services.close(graceMs);
      // Last: health and metrics stay readable while the worker drains.
      await metricsServer?.stop(true);
    },
  };
}
