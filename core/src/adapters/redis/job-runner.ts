// JobRunner on BullMQ: one Worker per queue. stop(graceMs) pauses the workers (no new jobs),
// waits for running handlers, then closes; after the grace period the close is forced and
// unfinished jobs are left to BullMQ's stalled-job recovery (another worker retries them).
// (A forced close cannot follow a plain one: BullMQ returns the first close's promise.)
import { UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Job, JobHandler, JobRunner, QueueName } from "../../ports/job-queue";
import { PupError } from "../../shared/errors";
import { fromBullJobId } from "./job-ids";
import { queuePrefix } from "./job-queue";

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
}

/** Creates a {@link JobRunner} (consumer side) on BullMQ. */
export function createBullMqJobRunner(options: BullMqRunnerOptions): JobRunner {
  const prefix = queuePrefix(options.prefix);
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
      const own = options.connection.duplicate({ maxRetriesPerRequest: null });
      connection = own;
      for (const [name, handler] of Object.entries(handlers) as [QueueName, JobHandler][]) {
        const worker = new Worker(
          name,
          async (bullJob) => {
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
      await Promise.all(workers.map((worker) => worker.pause(true)));
      const drained = running === 0 || (await idle(graceMs));
      // A plain close also waits for the finished jobs' completion to be written.
      await Promise.all(workers.map((worker) => worker.close(!drained)));
      workers.length = 0;
      if (connection) {
        const own = connection;
        connection = undefined;
        await own.quit().catch(() => own.disconnect());
      }
    },
  };
}
