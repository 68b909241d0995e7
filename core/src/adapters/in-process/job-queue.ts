// JobQueue and JobRunner in process memory, for the demo (no REDIS_URL). Same semantics as the
// BullMQ adapter: jobId de-duplication (completed ids remembered 24 h, failed ones 7 days),
// delays, attempts with exponential backoff, and a graceful stop. Nothing survives a restart:
// the event log is the durable record, this queue only schedules work.

import {
  DEFAULT_QUEUE_OPTIONS,
  type EnqueueOptions,
  type Job,
  type JobHandler,
  type JobQueue,
  type JobRunner,
  type QueueDepth,
  type QueueName,
  type RunnerConcurrency,
} from "../../ports/job-queue";
import { PupError } from "../../shared/errors";
import { createInProcessSchedules } from "./job-schedules";

/** Attempts when the caller gives none (the design's default, ports/job-queue.ts). */
export const DEFAULT_ATTEMPTS = DEFAULT_QUEUE_OPTIONS.attempts;
/** First retry delay when the caller gives none; each further retry doubles it. */
export const DEFAULT_BACKOFF_DELAY_MS = DEFAULT_QUEUE_OPTIONS.backoffDelayMs;
/** How long a completed job's id stays known, so a duplicate within a day is a no-op. */
export const COMPLETED_RETENTION_MS = 24 * 60 * 60 * 1000;
/** How long a failed job stays known (and visible in depth) for inspection. */
export const FAILED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface InProcessJobsOptions {
  /** Base of the exponential backoff between attempts; default 1 s. */
  backoffDelayMs?: number;
  completedRetentionMs?: number;
  failedRetentionMs?: number;
  /** Called when a job attempt throws (the composition root logs it). */
  onFailure?: (job: Job, error: unknown, willRetry: boolean) => void;
}

/** The queue (producer side) and the runner (consumer side) over one shared in-process store. */
export interface InProcessJobs {
  queue: JobQueue;
  runner: JobRunner;
}

type State = "waiting" | "delayed" | "active" | "completed" | "failed";

interface JobRecord {
  id: string;
  queue: QueueName;
  name: string;
  data: unknown;
  attempts: number;
  /** This job's first retry delay (its queue's, or the runner's default). */
  backoffMs: number;
  attemptsMade: number;
  state: State;
  /** When a waiting or delayed job may run (Unix ms). */
  readyAt: number;
  finishedAt: number;
  /** Insertion order, so ready jobs run first in, first out. */
  seq: number;
}

/** Whether an error says retrying cannot help (see core/src/shared/errors.ts). */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof PupError && !error.retryable;
}

/** Creates an in-process job queue and the runner that consumes it. */
export function createInProcessJobs(options: InProcessJobsOptions = {}): InProcessJobs {
  const backoffMs = options.backoffDelayMs ?? DEFAULT_BACKOFF_DELAY_MS;
  const completedRetention = options.completedRetentionMs ?? COMPLETED_RETENTION_MS;
  const failedRetention = options.failedRetentionMs ?? FAILED_RETENTION_MS;
  const records = new Map<QueueName, Map<string, JobRecord>>();
  let seq = 0;
  let lastPurge = Date.now();

  let handlers: Partial<Record<QueueName, JobHandler>> = {};
  let limits: RunnerConcurrency = {};
  let running = false;
  let closed = false;
  const active = new Map<QueueName, number>();
  const timers = new Map<QueueName, ReturnType<typeof setTimeout>>();
  const idleWaiters = new Set<() => void>();

  const storeOf = (queue: QueueName): Map<string, JobRecord> => {
    let store = records.get(queue);
    if (!store) {
      store = new Map();
      records.set(queue, store);
    }
    return store;
  };

  const expired = (record: JobRecord, at: number): boolean =>
    (record.state === "completed" && record.finishedAt + completedRetention <= at) ||
    (record.state === "failed" && record.finishedAt + failedRetention <= at);

  const purge = (at: number): void => {
    lastPurge = at;
    for (const store of records.values()) {
      for (const [id, record] of store) if (expired(record, at)) store.delete(id);
    }
  };

  const totalActive = (): number => [...active.values()].reduce((sum, n) => sum + n, 0);

  const pump = (queue: QueueName): void => {
    const handler = handlers[queue];
    if (!running || !handler) return;
    const existing = timers.get(queue);
    if (existing) {
      clearTimeout(existing);
      timers.delete(queue);
    }
    const store = storeOf(queue);
    for (;;) {
      const limit = Math.max(1, limits.perQueue?.[queue] ?? limits.concurrency ?? 1);
      if ((active.get(queue) ?? 0) >= limit) return;
      const at = Date.now();
      let next: JobRecord | undefined;
      let nextDelayed: number | undefined;
      for (const record of store.values()) {
        if (record.state !== "waiting" && record.state !== "delayed") continue;
        if (record.readyAt <= at) {
          if (!next || record.seq < next.seq) next = record;
        } else if (nextDelayed === undefined || record.readyAt < nextDelayed) {
          nextDelayed = record.readyAt;
        }
      }
      if (!next) {
        if (nextDelayed !== undefined) {
          timers.set(
            queue,
            setTimeout(() => pump(queue), Math.max(0, nextDelayed - at)),
          );
        }
        return;
      }
      void runOne(queue, next, handler);
    }
  };

  const runOne = async (
    queue: QueueName,
    record: JobRecord,
    handler: JobHandler,
  ): Promise<void> => {
    record.state = "active";
    record.attemptsMade += 1;
    active.set(queue, (active.get(queue) ?? 0) + 1);
    const job: Job = {
      id: record.id,
      queue,
      name: record.name,
      data: record.data,
      attempt: record.attemptsMade,
    };
    try {
      await handler(job);
      record.state = "completed";
      record.finishedAt = Date.now();
    } catch (error) {
      const willRetry = record.attemptsMade < record.attempts && !isPermanentFailure(error);
      if (willRetry) {
        record.state = "delayed";
        record.readyAt = Date.now() + record.backoffMs * 2 ** (record.attemptsMade - 1);
      } else {
        record.state = "failed";
        record.finishedAt = Date.now();
      }
      options.onFailure?.(job, error, willRetry);
    } finally {
      active.set(queue, (active.get(queue) ?? 1) - 1);
      if (totalActive() === 0) for (const wake of idleWaiters) wake();
      pump(queue);
    }
  };

  // Repeating jobs (job-schedules.ts) add through this queue once it exists.
  const schedules = createInProcessSchedules(
    (...args) => queue.add(...args),
    () => closed,
  );
  const queue: JobQueue = {
    async add(queueName, name, data, enqueue: EnqueueOptions) {
      if (closed) throw new Error("in-process job queue is closed");
      const at = Date.now();
      if (at - lastPurge > 60_000) purge(at);
      const store = storeOf(queueName);
      const known = store.get(enqueue.jobId);
      if (known && !expired(known, at)) return { added: false };
      seq += 1;
      const delay = Math.max(0, enqueue.delayMs ?? 0);
      store.set(enqueue.jobId, {
        id: enqueue.jobId,
        queue: queueName,
        name,
        // A copy, as BullMQ's JSON round trip would make: the producer cannot mutate the job.
        data: data === undefined ? undefined : structuredClone(data),
        attempts: Math.max(1, enqueue.attempts ?? DEFAULT_ATTEMPTS),
        backoffMs: enqueue.backoffDelayMs ?? backoffMs,
        attemptsMade: 0,
        state: delay > 0 ? "delayed" : "waiting",
        readyAt: at + delay,
        finishedAt: 0,
        seq,
      });
      // Asynchronously, like a real queue: the job never runs inside the producer's call.
      queueMicrotask(() => pump(queueName));
      return { added: true };
    },

    schedule: (...args) => schedules.schedule(...args),
    unschedule: (...args) => schedules.unschedule(...args),

    async clean(queueName, status, olderThanMs, limit) {
      const store = storeOf(queueName);
      const before = Date.now() - Math.max(0, olderThanMs);
      let removed = 0;
      for (const [id, record] of store) {
        if (removed >= limit) break;
        if (record.state !== status || record.finishedAt > before) continue;
        store.delete(id);
        removed += 1;
      }
      return removed;
    },

    async depth(queueName): Promise<QueueDepth> {
      const depth: QueueDepth = { waiting: 0, active: 0, delayed: 0, failed: 0 };
      for (const record of storeOf(queueName).values()) {
        if (record.state === "waiting") depth.waiting += 1;
        else if (record.state === "active") depth.active += 1;
        else if (record.state === "delayed") depth.delayed += 1;
        else if (record.state === "failed") depth.failed += 1;
      }
      return depth;
    },

    async purge(queueName, matches, options) {
      let removed = 0;
      const store = storeOf(queueName);
      const entries = options?.ids
        ? [...new Set(options.ids)].flatMap((id) => {
            const record = store.get(id);
            return record ? [[id, record] as const] : [];
          })
        : [...store];
      for (const [id, record] of entries) {
        // A running job is its runner's (as a locked job in BullMQ): it stays.
        if (record.state === "active") continue;
        const { name, data, state } = record;
        if (!matches({ id, name, data, state })) continue;
        storeOf(queueName).delete(id);
        removed += 1;
      }
      return removed;
    },

    async close() {
      closed = true;
      schedules.clear();
    },
  };

  const runner: JobRunner = {
    async start(jobHandlers, startOptions) {
      if (running) throw new Error("in-process job runner already started");
      handlers = { ...jobHandlers };
      limits = { ...startOptions };
      running = true;
      for (const name of Object.keys(handlers) as QueueName[]) pump(name);
    },

    async stop(graceMs) {
      running = false;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      if (totalActive() === 0) return;
      // Running jobs cannot be cancelled in process; after the grace period they are abandoned
      // (they may still finish in the background) and stop returns.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          idleWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, graceMs);
        idleWaiters.add(done);
      });
    },
  };

  return { queue, runner };
}
