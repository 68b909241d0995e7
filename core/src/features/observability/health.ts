/**
 * `GET /health`: the design's IHealthStatus. Each dependency check is a function the composition
 * root supplies (a database round trip, a Redis ping, a model or Slack probe), run concurrently
 * under a timeout. Any failing check makes pup `degraded`; a failing database makes it
 * `unhealthy` (nothing can be accepted without it), which answers 503 so load balancers notice.
 *
 * Mount with `app.route("/", healthRoute(deps))`.
 */
import { Hono } from "hono";
import { type JobQueue, QUEUE_NAMES, type QueueDepth, type QueueName } from "../../ports/job-queue";
import type { Logger } from "../../ports/logger";
import { HealthCheckTimeout, type HealthCode, healthCode } from "./health-codes";

export { HealthCheckFailure, type HealthCode } from "./health-codes";

/** A probe: resolves when the dependency answers, throws (or never resolves) when it does not. */
export type HealthCheck = () => Promise<void>;

export interface CheckResult {
  status: "up" | "down";
  latencyMs: number;
  /** Why it is down, as a short code; the error itself is logged, never answered. */
  code?: HealthCode;
}

export type HealthState = "healthy" | "degraded" | "unhealthy";

/** The `/health` body. */
export interface HealthStatus {
  status: HealthState;
  checks: {
    database: CheckResult;
    redis: CheckResult;
    llm: CheckResult;
    slack: CheckResult;
    /** Depth per queue; a queue whose depth could not be read is absent. */
    queues: Partial<Record<QueueName, QueueDepth>>;
  };
  uptimeSeconds: number;
  version: string;
}

export interface HealthDependencies {
  checks: { database: HealthCheck; redis: HealthCheck; llm: HealthCheck; slack: HealthCheck };
  /** Read for per-queue depths. */
  queue: JobQueue;
  version: string;
  /** When the process started, Unix ms. */
  startedAt: number;
  /** Unix ms; default `Date.now`. */
  clock?: () => number;
  /** Per check; default 1 s. */
  timeoutMs?: number;
  /** Where a failed check's error goes (the answer carries only its code). */
  logger?: Logger;
}

export const DEFAULT_HEALTH_TIMEOUT_MS = 1000;

async function timed<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new HealthCheckTimeout(`no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function runCheck(
  name: string,
  check: HealthCheck,
  timeoutMs: number,
  logger: Logger | undefined,
): Promise<CheckResult> {
  const started = performance.now();
  try {
    await timed(check, timeoutMs);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const code = healthCode(error);
    logger?.warn({ check: name, code, err: error }, `health check ${name} down: ${code}`);
    return { status: "down", latencyMs: Math.round(performance.now() - started), code };
  }
}

/** Runs every check and reads every queue's depth. */
export async function checkHealth(deps: HealthDependencies): Promise<HealthStatus> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const clock = deps.clock ?? Date.now;
  const [database, redis, llm, slack, depths] = await Promise.all([
    runCheck("database", deps.checks.database, timeoutMs, deps.logger),
    runCheck("redis", deps.checks.redis, timeoutMs, deps.logger),
    runCheck("llm", deps.checks.llm, timeoutMs, deps.logger),
    runCheck("slack", deps.checks.slack, timeoutMs, deps.logger),
    Promise.all(
      QUEUE_NAMES.map(async (name) => {
        try {
          return [name, await timed(() => deps.queue.depth(name), timeoutMs)] as const;
        } catch {
          return [name, undefined] as const;
        }
      }),
    ),
  ]);
  const queues: Partial<Record<QueueName, QueueDepth>> = {};
  for (const [name, depth] of depths) if (depth) queues[name] = depth;

  const anyDown = [database, redis, llm, slack].some((check) => check.status === "down");
  const status: HealthState =
    database.status === "down" ? "unhealthy" : anyDown ? "degraded" : "healthy";
  return {
    status,
    checks: { database, redis, llm, slack, queues },
    uptimeSeconds: Math.max(0, Math.floor((clock() - deps.startedAt) / 1000)),
    version: deps.version,
  };
}

/** `GET /health` as a Hono sub-app: 200 when healthy or degraded, 503 when unhealthy. */
export function healthRoute(deps: HealthDependencies): Hono {
  const app = new Hono();
  app.get("/health", async (c) => {
    const health = await checkHealth(deps);
    c.header("cache-control", "no-store");
    return c.json(health, health.status === "unhealthy" ? 503 : 200);
  });
  return app;
}
