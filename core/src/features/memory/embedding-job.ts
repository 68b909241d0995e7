/**
 * The `embedding` queue: embed one message's current text and store the vector beside it. A
 * message edited or deleted since the job was queued is embedded as it is now, or skipped. Jobs
 * running at the same time are embedded together (embed-batcher.ts), so the queue runs many at
 * once per process.
 */
import * as v from "valibot";
import { DEFAULT_EMBEDDING_JOB_CONCURRENCY } from "../../config/sections";
import type { JobQueue } from "../../ports/job-queue";
import type { Embedder } from "../../ports/language-model";
import type { Logger } from "../../ports/logger";
import type { MessageStore } from "../../ports/message-store";
import { enqueueJob, type JobContract, jobIdOf, type QueueDefinition } from "../../shared/jobs";
import { createEmbedBatcher, type EmbedBatcher } from "./embed-batcher";

export interface EmbedMessageJob {
  teamId: string;
  channelId: string;
  ts: string;
  /** Which text: 0 for the original, the edit time (Unix ms) for an edit. Keys the job. */
  version?: number;
}

const id = v.pipe(v.string(), v.minLength(1));

export const embeddingJob: JobContract<EmbedMessageJob> = {
  queue: "embedding",
  schema: v.object({ teamId: id, channelId: id, ts: id, version: v.optional(v.number()) }),
  jobName: () => "embed-message",
  jobId: (data) => jobIdOf("embed", data.teamId, data.channelId, data.ts, data.version ?? 0),
};

/** Embeds a message's current text; `version` (edit time, 0 for the original) keys the job. */
export async function enqueueEmbedding(
  deps: { queue: JobQueue },
  teamId: string,
  channelId: string,
  ts: string,
  version: number,
): Promise<void> {
  await enqueueJob(deps.queue, embeddingJob, { teamId, channelId, ts, version });
}

export interface EmbeddingJobDeps {
  messages: MessageStore;
  embedder: Embedder;
  logger: Logger;
}

export const embeddingQueue: QueueDefinition<EmbeddingJobDeps, EmbedMessageJob> = {
  contract: embeddingJob,
  // Jobs wait for each other to share an embeddings request: batches form only with many at once.
  concurrency: DEFAULT_EMBEDDING_JOB_CONCURRENCY,
  processor: (deps) => {
    // One batcher per process: the embedding jobs running at once share its batches.
    const batcher = createEmbedBatcher(deps);
    return (data) => runEmbeddingJob(batcher, data);
  },
};

/** Runs one `embedding` job on `batcher`. */
export async function runEmbeddingJob(batcher: EmbedBatcher, data: EmbedMessageJob): Promise<void> {
  await batcher.embed({ teamId: data.teamId, channelId: data.channelId, ts: data.ts });
}
