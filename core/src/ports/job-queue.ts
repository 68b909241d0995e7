// Port: durable background jobs. BullMQ on Redis in production (core/src/adapters/redis), an
// in-process queue for the demo (core/src/adapters/in-process); the same contract tests run on both.

import type { DailyAt } from "../shared/daily-schedule";

/** pup's queues (the design's Job Queue); `bun run worker -- --queues a,b` picks some. */
export const QUEUE_NAMES = [
  "message",
  "embedding",
  "summary",
  "profile",
  "cleanup",
  "privacy",
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** How many finished jobs a queue keeps: the newest `count`, and none older than `ageSeconds`. */
export interface JobRetention {
  count?: number;
  ageSeconds?: number;
}

/**
 * How a queue retries and forgets its jobs. Each queue may override any of these in its job
 * contract (core/src/shared/jobs.ts); every difference from the defaults is recorded in ADR-027.
 */
export interface QueueOptions {
  /** Attempts before the job fails for good. */
  attempts: number;
  /** First retry delay; each further retry doubles it (exponential backoff). */
  backoffDelayMs: number;
  /** Completed jobs kept; a kept job's id is not added again (de-duplication window). */
  keepCompleted: JobRetention;
  /** Failed jobs kept for `bun run jobs -- failed` and `retry`. */
  keepFailed: JobRetention;
}

/** The design's queue defaults: 3 attempts, backoff from 2 s, keep 100 completed, 1,000 failed. */
export const DEFAULT_QUEUE_OPTIONS: Readonly<QueueOptions> = {
  attempts: 3,
  backoffDelayMs: 2_000,
  keepCompleted: { count: 100 },
  keepFailed: { count: 1_000 },
};

export interface EnqueueOptions extends Partial<QueueOptions> {
  /**
   * De-duplication id: adding a job whose id the queue still knows (waiting, active, or
   * completed and still kept, see `keepCompleted`) does nothing.
   */
  jobId: string;
  delayMs?: number;
}

/** A job that failed for good, as the dead-letter view shows it (never its data). */
export interface FailedJob {
  id: string;
  queue: QueueName;
  name: string;
  attemptsMade: number;
  /** The last attempt's error message, truncated. */
  failedReason: string;
  /** Unix ms. */
  failedAt: number | undefined;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** When a scheduled job repeats: daily at a local time, or every so many milliseconds. */
/** A job as {@link JobQueue.purge} shows it to its predicate. */
export interface PurgeCandidate {
  id: string;
  name: string;
  data: unknown;
  state: "waiting" | "delayed" | "completed" | "failed";
}

/** Narrows a purge. */
export interface PurgeOptions {
  /**
   * Only these job ids are looked at (the predicate still decides): a purge of one message
   * knows its jobs' ids and must not walk a day of finished jobs on every deletion.
   */
  ids?: readonly string[];
}

export type JobSchedule = { daily: DailyAt } | { everyMs: number };

export interface JobQueue {
  /** Adds a job; `added` is false when the id was already known (nothing new happens). */
  add(
    queue: QueueName,
    name: string,
    data: unknown,
    options: EnqueueOptions,
  ): Promise<{ added: boolean }>;
  /**
   * Creates or replaces the repeating job `schedulerId` (BullMQ job schedulers): one job `name`
   * with `data` at each run, however many processes call this. Returns when it runs next (Unix ms).
   */
  schedule(
    queue: QueueName,
    schedulerId: string,
    when: JobSchedule,
    job: { name: string; data: unknown },
  ): Promise<{ nextRunAt: number | undefined }>;
  /** Removes the repeating job `schedulerId`; unknown ids are fine. */
  unschedule(queue: QueueName, schedulerId: string): Promise<void>;
  /**
   * Removes up to `limit` jobs that finished (`completed`) or failed for good (`failed`) more than
   * `olderThanMs` ago (BullMQ `queue.clean`); returns how many went. The cleanup queue's daily run.
   */
  clean(
    queue: QueueName,
    status: "completed" | "failed",
    olderThanMs: number,
    limit: number,
  ): Promise<number>;
  depth(queue: QueueName): Promise<QueueDepth>;
  /**
   * Removes every job of `queue` that is not running (waiting, delayed, prioritized, paused,
   * completed or failed) for which `matches` is true, data and all: "forget me" leaves no
   * queued or finished job holding what was forgotten. Returns how many went.
   */
  purge(
    queue: QueueName,
    matches: (job: PurgeCandidate) => boolean,
    options?: PurgeOptions,
  ): Promise<number>;
  close(): Promise<void>;
}

export interface Job {
  id: string;
  queue: QueueName;
  name: string;
  data: unknown;
  /** 1 on the first attempt. */
  attempt: number;
}

/** Handles one job; throwing makes the queue retry it with backoff. */
export type JobHandler = (job: Job) => Promise<void>;

/** How many jobs a runner runs at once. */
export interface RunnerConcurrency {
  /** Jobs at a time for each queue (default 1). */
  concurrency?: number;
  /** Overrides `concurrency` for the queues named. */
  perQueue?: Partial<Record<QueueName, number>>;
}

export interface JobRunner {
  /** Starts consuming the given queues, each with its own concurrency limit. */
  start(
    handlers: Partial<Record<QueueName, JobHandler>>,
    options?: RunnerConcurrency,
  ): Promise<void>;
  /** Stops taking jobs, waits for running ones (at most `graceMs`), then closes. */
  stop(graceMs: number): Promise<void>;
}
