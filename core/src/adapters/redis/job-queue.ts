// JobQueue on BullMQ: one Queue per QueueName over one shared ioredis client.
//
// BullMQ answers an add with an existing jobId by returning that id, exactly as for a new job,
// so "was it added?" is decided beside it: one small Lua script checks whether the job key
// exists and takes a short claim on the id. Existing -> not added (no add at all); claimed -> we add it;
// claimed by someone else right now -> add anyway (a no-op if theirs landed, a repair if that
// caller died in between) and report not added. Concurrent adds of one id report one `added`.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import {
  DEFAULT_QUEUE_OPTIONS,
  type EnqueueOptions,
  type JobQueue,
  type JobRetention,
  type QueueDepth,
  type QueueName,
} from "../../ports/job-queue";
import { dailyCronPattern } from "../../shared/daily-schedule";
import { PupError } from "../../shared/errors";
import { toBullJobId } from "./job-ids";
import { purgeBullQueue } from "./job-purge";

/** Default key prefix for BullMQ (its keys read `<prefix>:<queue>:...`). */
export const DEFAULT_QUEUE_PREFIX = "pup:bull";
/**
 * Longest an add may take before the producer gives up. While Redis is down a caller (core's
 * POST /internal/slack) must answer at once so the edge keeps the payload, not hang on ioredis'
 * reconnect loop; an add that lands after this is harmless (ids de-duplicate).
 */
export const ENQUEUE_TIMEOUT_MS = 800;
/** How long an add holds its claim on an id; far longer than one add takes. */
const CLAIM_MS = 60_000;
/** Longest close() waits for BullMQ's queues (they wait on Redis). */
const CLOSE_TIMEOUT_MS = 2_000;

/** Waits for `work` to settle, at most `ms`; never rejects. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}

/** The options the caller set, without `undefined` ones hiding the defaults. */
function definedOnly(options: EnqueueOptions): Partial<EnqueueOptions> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<EnqueueOptions>;
}

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
  /** Longest an add may take (default ENQUEUE_TIMEOUT_MS). */
  enqueueTimeoutMs?: number;
  /** Backoff base for jobs that set none; default DEFAULT_QUEUE_OPTIONS' (tests shorten it). */
  backoffDelayMs?: number;
}

/** Redis did not take a job in time: retryable, the caller answers "try later". */
export class QueueUnavailableError extends PupError {
  override readonly name = "QueueUnavailableError";
  constructor(message: string, cause?: unknown) {
    super(message, { code: "queue_unavailable", retryable: true, cause });
  }
}

/** BullMQ's `removeOn*` from a retention: a count, or an age with an optional count. */
export function keepJobs(retention: JobRetention): number | { age: number; count?: number } {
  if (retention.ageSeconds === undefined) return retention.count ?? 0;
  return {
    age: retention.ageSeconds,
    ...(retention.count === undefined ? {} : { count: retention.count }),
  };
}

/** Rejects with {@link QueueUnavailableError} when `work` takes longer than `ms`. */
async function withinMs<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work.catch((error: unknown) => {
        throw new QueueUnavailableError(`${what} failed: ${String(error)}`, error);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new QueueUnavailableError(`${what}: no answer from Redis in ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Normalises a prefix: BullMQ adds its own `:` separator. */
export function queuePrefix(prefix: string | undefined): string {
  return (prefix ?? DEFAULT_QUEUE_PREFIX).replace(/:+$/, "");
}

/** Creates a {@link JobQueue} (producer side) on BullMQ. */
export function createBullMqJobQueue(options: BullMqQueueOptions): JobQueue {
  const { connection } = options;
  const prefix = queuePrefix(options.prefix);
  const timeoutMs = options.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS;
  const defaults = {
    ...DEFAULT_QUEUE_OPTIONS,
    backoffDelayMs: options.backoffDelayMs ?? DEFAULT_QUEUE_OPTIONS.backoffDelayMs,
  };
  const queues = new Map<QueueName, Queue>();
  const claim = claimCommand(connection);

  const queueFor = (name: QueueName): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      // Each add carries its queue's options (shared/jobs.ts), so no defaultJobOptions here.
      queue = new Queue(name, { connection, prefix });
      // Without a listener an 'error' event would be thrown; failures surface through add().
      queue.on("error", () => {});
      queues.set(name, queue);
    }
    return queue;
  };

  const addOnce = async (
    name: QueueName,
    jobName: string,
    data: unknown,
    enqueue: EnqueueOptions,
  ): Promise<{ added: boolean }> => {
    const queue = queueFor(name);
    const jobId = toBullJobId(enqueue.jobId);
    const claimKey = queue.toKey(`pup-claim:${jobId}`);
    const verdict = await claim(queue.toKey(jobId), claimKey, CLAIM_MS);
    if (verdict === 0) return { added: false };
    const claimed = verdict === 1;
    const settings = { ...defaults, ...definedOnly(enqueue) };
    const jobOptions = {
      jobId,
      ...(enqueue.delayMs && enqueue.delayMs > 0 ? { delay: enqueue.delayMs } : {}),
      attempts: Math.max(1, settings.attempts),
      backoff: { type: "exponential", delay: settings.backoffDelayMs },
      removeOnComplete: keepJobs(settings.keepCompleted),
      removeOnFail: keepJobs(settings.keepFailed),
    };
    try {
      await queue.add(jobName, data, jobOptions);
    } catch (error) {
      // Release the claim so the caller's retry is not mistaken for someone else's add.
      if (claimed) await connection.del(claimKey).catch(() => {});
      throw error;
    }
    return { added: claimed };
  };

  return {
    async add(name, jobName, data, enqueue: EnqueueOptions) {
      return withinMs(addOnce(name, jobName, data, enqueue), timeoutMs, `adding a ${name} job`);
    },

    async schedule(name, schedulerId, when, job) {
      const queue = queueFor(name);
      // BullMQ's job schedulers: one scheduler per id however many processes upsert it, and each
      // run's job is made from the template (the cron pattern is read in the schedule's zone).
      const repeat =
        "daily" in when
          ? { pattern: dailyCronPattern(when.daily), tz: when.daily.timeZone }
          : { every: when.everyMs };
      const opts = {
        attempts: Math.max(1, defaults.attempts),
        backoff: { type: "exponential", delay: defaults.backoffDelayMs },
        removeOnComplete: keepJobs(defaults.keepCompleted),
        removeOnFail: keepJobs(defaults.keepFailed),
      };
      const id = toBullJobId(schedulerId);
      await withinMs(
        queue.upsertJobScheduler(id, repeat, { name: job.name, data: job.data, opts }),
        timeoutMs,
        `scheduling ${schedulerId}`,
      );
      return { nextRunAt: (await queue.getJobScheduler(id))?.next };
    },

    async unschedule(name, schedulerId) {
      await queueFor(name).removeJobScheduler(toBullJobId(schedulerId));
    },

    async clean(name, status, olderThanMs, limit) {
      // BullMQ reads `grace` as "finished at least this long ago" and returns the removed ids.
      const removed = await queueFor(name).clean(Math.max(0, olderThanMs), limit, status);
      return removed.length;
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

    async purge(name, matches, options) {
      const queue = queueFor(name);
      // The add claim (below) names the job id, which may name a person: it goes with the job.
      const forgetClaim = (jobId: string) => connection.del(queue.toKey(`pup-claim:${jobId}`));
      const ids = options?.ids?.map(toBullJobId);
      return purgeBullQueue(queue, matches, forgetClaim, ids);
    },

    async close() {
      // With Redis unreachable a close could wait forever; the connection is the caller's.
      const closing = Promise.all([...queues.values()].map((queue) => queue.close()));
      await settleWithin(closing, CLOSE_TIMEOUT_MS);
      queues.clear();
    },
  };
}
