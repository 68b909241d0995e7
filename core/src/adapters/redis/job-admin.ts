// The operator's view of failed jobs on BullMQ (`bun run jobs -- failed|retry`): the dead-letter
// list with each job's reason, and re-driving every failed job after an outage. The list never
// shows a job's data (it holds message text and user ids); ids, names and reasons only.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { FailedJob, QueueName } from "../../ports/job-queue";
import { fromBullJobId } from "./job-ids";
import { queuePrefix } from "./job-queue";

/** A reason longer than this is cut: enough to recognise it, not a stack trace. */
export const FAILED_REASON_MAX = 160;
/** Jobs read from Redis per round trip. */
const PAGE = 500;

export interface JobAdminOptions {
  /** The caller owns it and closes it after `close()`. */
  connection: Redis;
  /** The same BullMQ prefix the processes use (`<PUP_REDIS_PREFIX>:bull`). */
  prefix: string;
}

export interface JobAdmin {
  /** Failed jobs of `queue`, newest first, at most `limit`. */
  failed(queue: QueueName, limit: number): Promise<{ total: number; jobs: FailedJob[] }>;
  /**
   * Moves every failed job of `queue` back to wait with its attempts reset, so a job that ran
   * out of attempts during an outage gets all of them again. Returns how many moved.
   */
  retryFailed(queue: QueueName): Promise<number>;
  close(): Promise<void>;
}

function truncate(reason: string | undefined): string {
  const text = (reason ?? "").replaceAll(/\s+/g, " ").trim();
  return text.length > FAILED_REASON_MAX ? `${text.slice(0, FAILED_REASON_MAX - 1)}…` : text;
}

export function createBullMqJobAdmin(options: JobAdminOptions): JobAdmin {
  const prefix = queuePrefix(options.prefix);
  const queues = new Map<QueueName, Queue>();
  const queueFor = (name: QueueName): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: options.connection, prefix });
      queue.on("error", () => {});
      queues.set(name, queue);
    }
    return queue;
  };

  return {
    async failed(name, limit) {
      const queue = queueFor(name);
      const total = await queue.getFailedCount();
      const jobs = limit > 0 ? await queue.getFailed(0, limit - 1) : [];
      return {
        total,
        jobs: jobs
          .filter((job) => job !== undefined)
          .map((job) => ({
            id: fromBullJobId(job.id ?? ""),
            queue: name,
            name: job.name,
            attemptsMade: job.attemptsMade,
            failedReason: truncate(job.failedReason),
            failedAt: job.finishedOn ?? undefined,
          })),
      };
    },

    async retryFailed(name) {
      const queue = queueFor(name);
      let moved = 0;
      // Each retry takes the job out of the failed set, so the first page is always fresh.
      for (;;) {
        const page = (await queue.getFailed(0, PAGE - 1)).filter((job) => job !== undefined);
        if (page.length === 0) return moved;
        const before = moved;
        for (const job of page) {
          // A job another operator or a worker moved meanwhile is not an error.
          const ok = await job
            .retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true })
            .then(() => true)
            .catch(() => false);
          if (ok) moved += 1;
        }
        if (moved === before) return moved;
      }
    },

    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
    },
  };
}
