// JobQueue on BullMQ: one Queue per QueueName over one shared ioredis client.
//
// BullMQ answers an add with an existing jobId by returning that id, exactly as for a new job,
// so "was it added?" is decided beside it: one small Lua script checks whether the job key
// exists and takes a short claim on the id. Existing -> not added (no add at all); claimed -> we add it;
// claimed by someone else right now -> add anyway (a no-op if theirs landed, a repair if that
// caller died in between) and report not added. Concurrent adds of one id report one `added`.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { EnqueueOptions, JobQueue, QueueDepth, QueueName } from "../../ports/job-queue";
import { toBullJobId } from "./job-ids";

/** Attempts when the caller gives none (the port's documented default). */
export const DEFAULT_ATTEMPTS = 5;
/** First retry delay; each further retry doubles it (BullMQ's exponential backoff). */
export const DEFAULT_BACKOFF_DELAY_MS = 1_000;
/** Completed jobs stay known for a day, so a duplicate within a day is a no-op. */
export const COMPLETED_RETENTION_SECONDS = 24 * 60 * 60;
/** Failed jobs stay for a week, for inspection and manual retry. */
export const FAILED_RETENTION_SECONDS = 7 * 24 * 60 * 60;
/** Default key prefix for BullMQ (its keys read `<prefix>:<queue>:...`). */
export const DEFAULT_QUEUE_PREFIX = "pup:bull";
/** How long an add holds its claim on an id; far longer than one add takes. */
const CLAIM_MS = 60_000;

/** 0: the job exists; 1: this caller claimed the id; 2: another caller holds the claim. */
const CLAIM_SCRIPT = `
if redis.call("EXISTS", KEYS[1]) == 1 then return 0 end
if redis.call("SET", KEYS[2], "1", "PX", ARGV[1], "NX") then return 1 end
return 2`;
const CLAIM_COMMAND = "pupClaimJobId";

type ClaimCommand = (jobKey: string, claimKey: string, claimMs: number) => Promise<0 | 1 | 2>;

/** Registers the claim script on the client once (ioredis runs it by EVALSHA). */
function claimCommand(connection: Redis): ClaimCommand {
  const client = connection as unknown as Record<string, ClaimCommand | undefined>;
  if (!client[CLAIM_COMMAND]) {
    connection.defineCommand(CLAIM_COMMAND, { numberOfKeys: 2, lua: CLAIM_SCRIPT });
  }
  const command = client[CLAIM_COMMAND];
  if (!command) throw new Error("job queue: cannot register the claim script");
  return command.bind(connection);
}

export interface BullMqQueueOptions {
  /** Command client (see connection.ts); the caller owns it and closes it after `close()`. */
  connection: Redis;
  /** BullMQ key prefix; default `pup:bull`. Tests use PUP_TEST_REDIS_PREFIX plus a unique part. */
  prefix?: string;
  /** Base of the exponential backoff between attempts; default 1 s. */
  backoffDelayMs?: number;
}

/** Normalises a prefix: BullMQ adds its own `:` separator. */
export function queuePrefix(prefix: string | undefined): string {
  return (prefix ?? DEFAULT_QUEUE_PREFIX).replace(/:+$/, "");
}

/** Creates a {@link JobQueue} (producer side) on BullMQ. */
export function createBullMqJobQueue(options: BullMqQueueOptions): JobQueue {
  const { connection } = options;
  const prefix = queuePrefix(options.prefix);
  const backoffDelay = options.backoffDelayMs ?? DEFAULT_BACKOFF_DELAY_MS;
  const queues = new Map<QueueName, Queue>();
  const claim = claimCommand(connection);

  const queueFor = (name: QueueName): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection,
        prefix,
        defaultJobOptions: {
          attempts: DEFAULT_ATTEMPTS,
          backoff: { type: "exponential", delay: backoffDelay },
          removeOnComplete: { age: COMPLETED_RETENTION_SECONDS },
          removeOnFail: { age: FAILED_RETENTION_SECONDS },
        },
      });
      // Without a listener an 'error' event would be thrown; failures surface through add().
      queue.on("error", () => {});
      queues.set(name, queue);
    }
    return queue;
  };

  return {
    async add(name, jobName, data, enqueue: EnqueueOptions) {
      const queue = queueFor(name);
      const jobId = toBullJobId(enqueue.jobId);
      const claimKey = queue.toKey(`pup-claim:${jobId}`);
      const verdict = await claim(queue.toKey(jobId), claimKey, CLAIM_MS);
      if (verdict === 0) return { added: false };
      const claimed = verdict === 1;
      const jobOptions = {
        jobId,
        ...(enqueue.delayMs && enqueue.delayMs > 0 ? { delay: enqueue.delayMs } : {}),
        ...(enqueue.attempts !== undefined ? { attempts: Math.max(1, enqueue.attempts) } : {}),
      };
      try {
        await queue.add(jobName, data, jobOptions);
      } catch (error) {
        // Release the claim so the caller's retry is not mistaken for someone else's add.
        if (claimed) await connection.del(claimKey).catch(() => {});
        throw error;
      }
      return { added: claimed };
    },

    async depth(name): Promise<QueueDepth> {
      const counts = await queueFor(name).getJobCounts(
        "wait",
        "prioritized",
        "active",
        "delayed",
        "failed",
      );
      return {
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    },

    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
    },
  };
}
