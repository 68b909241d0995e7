// JobRunner on BullMQ: one Worker per queue. stop(graceMs) pauses the workers (no new jobs),
// waits for running handlers, then closes; after the grace period the close is forced and
// unfinished jobs are left to BullMQ's stalled-job recovery (another worker retries them).
// (A forced close cannot follow a plain one: BullMQ returns the first close's promise.)
// Every step of stop() is bounded, so a process stops on time even with Redis unreachable.
//
// A job that meets a dependency outage (PostgreSQL, the model: shared/dependency-outage.ts) is
// put back to wait for `outageDelayMs` without counting an attempt: an outage of any length
// costs no job its attempts, and attempts stay for failures of the job itself (ADR-027).
import { DelayedError, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Job, JobHandler, JobRunner, QueueName } from "../../ports/job-queue";
import { isDependencyOutage } from "../../shared/dependency-outage";
import { PupError } from "../../shared/errors";
import { fromBullJobId } from "./job-ids";
import { queuePrefix, settleWithin } from "./job-queue";

/** How long a job that met an outage waits before it is tried again (no attempt counted). */
export const OUTAGE_DELAY_MS = 5_000;
/**
 * How often each worker looks for stalled jobs: active in Redis with their lock expired. Besides
 * a dead worker, an outage does this: a job that meets Redis down waits for it to return to
 * record its outcome, and its 30 s lock can run out meanwhile (renewals fail). The job then sits
 * in `active` until a check sees it there twice; BullMQ's 30 s default left such jobs idle for
 * up to a minute and a half after Redis was back.
 */
export const STALLED_INTERVAL_MS = 5_000;
/**
 * Stalls a job may have before BullMQ fails it for good (its default is 1). A stall caused by an
 * outage is no fault of the job and, like the outage itself, must not cost it (ADR-027); a job
 * that kills its worker every time still fails after this many.
 */
export const MAX_STALLED_COUNT = 5;
/** Longest each shutdown step waits on Redis (pause, close, quit) before moving on. */
const STOP_STEP_TIMEOUT_MS = 2_000;

export interface BullMqRunnerOptions {
  /**
   * A client to copy connection settings from; the runner opens its own connections (workers
   * block on Redis and need `maxRetriesPerRequest: null`) and closes them on stop.
   */
  connection: Redis;
  /** The same prefix the producers use. */
  prefix?: string;
  /** Called when a job attempt throws (the composition root logs it). */
  onFailure?: (job: Job, error: unknown, willRetry: boolean) => void;
  /** Called on worker-level errors (lost connection and the like). */
  onError?: (queue: QueueName, error: Error) => void;
  /** Called when a job met a dependency outage and was put back to wait, attempt not counted. */
  onDeferred?: (job: Job, error: unknown, delayMs: number) => void;
  /** Wait after an outage before the job is tried again; default OUTAGE_DELAY_MS. */
  outageDelayMs?: number;
}

/** Creates a {@link JobRunner} (consumer side) on BullMQ. */
export function createBullMqJobRunner(options: BullMqRunnerOptions): JobRunner {
  const prefix = queuePrefix(options.prefix);
  const outageDelayMs = options.outageDelayMs ?? OUTAGE_DELAY_MS;
  const workers: Worker[] = [];
  let connection: Redis | undefined;
  let running = 0;
  const idleWaiters = new Set<() => void>();

  /** Resolves true once no handler runs, false when `graceMs` passes first. */
  const idle = (graceMs: number) =>
    new Promise<boolean>((resolve) => {
      const finish = (drained: boolean) => {
        clearTimeout(timer);
        idleWaiters.delete(wake);
        resolve(drained);
      };
      const wake = () => finish(true);
      const timer = setTimeout(() => finish(false), graceMs);
      idleWaiters.add(wake);
    });

  return {
    async start(handlers, startOptions) {
      if (connection) throw new Error("BullMQ job runner already started");
      // Blocking reads wait for jobs for seconds: no command timeout on the workers' connection.
      const own = options.connection.duplicate({
        maxRetriesPerRequest: null,
        commandTimeout: undefined,
      });
      connection = own;
      for (const [name, handler] of Object.entries(handlers) as [QueueName, JobHandler][]) {
        const worker = new Worker(
          name,
          async (bullJob, token) => {
            const attempts = bullJob.opts.attempts ?? 1;
            const job: Job = {
              id: fromBullJobId(bullJob.id ?? ""),
              queue: name,
              name: bullJob.name,
              data: bullJob.data,
              attempt: bullJob.attemptsMade + 1,
            };
            running += 1;
            try {
              await handler(job);
            } catch (error) {
              if (isDependencyOutage(error) && token !== undefined) {
                // Not moved (Redis is down too): fall through and let the attempt count.
                const moved = await bullJob
                  .moveToDelayed(Date.now() + outageDelayMs, token)
                  .then(() => true)
                  .catch(() => false);
                if (moved) {
                  options.onDeferred?.(job, error, outageDelayMs);
                  throw new DelayedError();
                }
              }
              const permanent = error instanceof PupError && !error.retryable;
              options.onFailure?.(job, error, !permanent && job.attempt < attempts);
              if (permanent) throw new UnrecoverableError(error.message);
              throw error;
            } finally {
              running -= 1;
              if (running === 0) for (const wake of idleWaiters) wake();
            }
          },
          {
            connection: own,
            prefix,
            stalledInterval: STALLED_INTERVAL_MS,
            maxStalledCount: MAX_STALLED_COUNT,
            concurrency: Math.max(
              1,
              startOptions?.perQueue?.[name] ?? startOptions?.concurrency ?? 1,
            ),
          },
        );
        worker.on("error", (error) => options.onError?.(name, error));
        workers.push(worker);
      }
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },

    async stop(graceMs) {
      const deadline = Date.now() + graceMs;
      await settleWithin(
        Promise.all(workers.map((worker) => worker.pause(true))),
        STOP_STEP_TIMEOUT_MS,
      );
      const drained = running === 0 || (await idle(Math.max(0, deadline - Date.now())));
      // A plain close also waits for the finished jobs' completion to be written.
      await settleWithin(
        Promise.all(workers.map((worker) => worker.close(!drained))),
        STOP_STEP_TIMEOUT_MS,
      );
      workers.length = 0;
      if (connection) {
        const own = connection;
        connection = undefined;
        // QUIT waits for Redis; unreachable, it would wait for ever.
        if (!(await settleWithin(own.quit(), STOP_STEP_TIMEOUT_MS))) own.disconnect();
      }
    },
  };
}
