// Port: durable background jobs. BullMQ on Redis in production (core/src/adapters/redis), an
// in-process queue for the demo (core/src/adapters/in-process); the same contract tests run on both.

/** pup's queues (the design's Job Queue); `bun run worker -- --queues a,b` picks some. */
export const QUEUE_NAMES = ["message", "embedding", "summary", "profile", "cleanup"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface EnqueueOptions {
  /**
   * De-duplication id: adding a job whose id the queue still knows (waiting, active, or
   * completed within the retention window) does nothing.
   */
  jobId: string;
  delayMs?: number;
  /** Attempts before the job fails for good (default 5), with exponential backoff. */
  attempts?: number;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface JobQueue {
  /** Adds a job; `added` is false when the id was already known (nothing new happens). */
  add(
    queue: QueueName,
    name: string,
    data: unknown,
    options: EnqueueOptions,
  ): Promise<{ added: boolean }>;
  depth(queue: QueueName): Promise<QueueDepth>;
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
