/**
 * Every queue pup runs, registered with one line each. A queue's contract, processor and
 * concurrency live in the feature that owns it; this table is all a process needs to run them.
 */
import type { JobsConfig } from "../config/sections";
import { cleanupQueue } from "../features/cleanup";
import { privacyQueue } from "../features/forget";
import { messageQueue } from "../features/intake";
import { embeddingQueue } from "../features/memory";
import { profileQueue } from "../features/profiles";
import { summaryQueue } from "../features/summaries";
import type { JobHandler, QueueName, RunnerConcurrency } from "../ports/job-queue";
import type { Logger } from "../ports/logger";
import { jobHandler, type QueueDefinition } from "../shared/jobs";
import type { PupDeps } from "./feature-deps";

/** A queue definition with its data type erased, ready for the runner. */
export interface RegisteredQueue {
  name: QueueName;
  concurrency: number;
  handler(deps: PupDeps, logger: Logger): JobHandler;
}

function register<Data>(definition: QueueDefinition<PupDeps, Data>): RegisteredQueue {
  return {
    name: definition.contract.queue,
    concurrency: definition.concurrency,
    handler: (deps, logger) => jobHandler(definition, deps, logger),
  };
}

export const QUEUES: readonly RegisteredQueue[] = [
  register(messageQueue),
  register(embeddingQueue),
  register(profileQueue),
  register(cleanupQueue),
  register(summaryQueue),
  register(privacyQueue),
];

/** The handlers of the queues named (default: every registered queue), built once per process. */
export function jobHandlers(
  deps: PupDeps,
  selected: readonly QueueName[] = QUEUES.map((queue) => queue.name),
): Partial<Record<QueueName, JobHandler>> {
  return Object.fromEntries(
    QUEUES.filter((queue) => selected.includes(queue.name)).map((queue) => [
      queue.name,
      queue.handler(deps, deps.logger),
    ]),
  );
}

/** Each queue's own concurrency, with the operator's EMBEDDING_JOB_CONCURRENCY applied. */
export function jobConcurrency(
  jobs: Partial<Pick<JobsConfig, "embeddingConcurrency">> = {},
): RunnerConcurrency {
  const perQueue: Partial<Record<QueueName, number>> = Object.fromEntries(
    QUEUES.map((queue) => [queue.name, queue.concurrency]),
  );
  if (jobs.embeddingConcurrency !== undefined) perQueue.embedding = jobs.embeddingConcurrency;
  return { perQueue };
}
