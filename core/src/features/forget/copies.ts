/**
 * Forgetting outside the database: short-term memory (lists and copies, dropped per channel and
 * re-read from the database on the next use), every process's working memory (a notice on the
 * memory bus), the caches that hold a person's details, and queued and finished jobs. Each step
 * is idempotent; a failure throws, so the job that runs the forget is retried.
 */
import { type PurgeCandidate, QUEUE_NAMES } from "../../ports/job-queue";
import type { ForgetDeps } from "./deps";

/** The cache entries that hold a person's details (adapters/slack, features/memory), by key. */
export function userCacheKeys(teamId: string, userId: string): string[] {
  return [
    `slack:user:${teamId}:${userId}`,
    `slack:member-of:${teamId}:${userId}`,
    `profile:${teamId}:${userId}`,
  ];
}

/** What the cache holds of a workspace: whole families by prefix (each ends in `:`), and keys. */
export function teamCacheEntries(teamId: string): { prefixes: string[]; keys: string[] } {
  return {
    prefixes: [
      `slack:user:${teamId}:`,
      `slack:member-of:${teamId}:`,
      `slack:members:${teamId}:`,
      `slack:conversation:${teamId}:`,
      `profile:${teamId}:`,
      `mood:${teamId}:`,
      `assistant-thread:${teamId}:`,
    ],
    keys: [`workspace-state:${teamId}`],
  };
}

export interface CopiesCleared {
  channels: number;
  /** Keys deleted (whether or not they existed) plus entries found under the prefixes. */
  cacheEntries: number;
  jobs: number;
}

/**
 * Drops the channels' short-term lists and copies (and those of any channel still holding a
 * copy by `authorId`), tells every process to drop its working copies of them, deletes the
 * cache entries under `cachePrefixes` and removes the jobs `jobMatches` picks.
 */
export async function clearCopies(
  deps: ForgetDeps,
  teamId: string,
  options: {
    channelIds: readonly string[];
    authorId?: string;
    /** Cache keys to delete, and whole families by prefix (each prefix ends in a separator). */
    cacheKeys?: readonly string[];
    cachePrefixes?: readonly string[];
    jobMatches: (job: PurgeCandidate) => boolean;
    /**
     * Only the `message` queue's jobs with these ids are looked at (a single message's purge
     * knows them); absent, every queue is walked whole (rare: a person, a workspace).
     */
    messageJobIds?: readonly string[];
  },
): Promise<CopiesCleared> {
  // forgetAuthor drops the channels it finds itself; the others are dropped here.
  const dropped = new Set(
    options.authorId ? await deps.shortTerm.forgetAuthor(teamId, options.authorId) : [],
  );
  const channels = new Set([...dropped, ...options.channelIds]);
  for (const channelId of channels) {
    if (!dropped.has(channelId)) await deps.shortTerm.forgetChannel(teamId, channelId);
  }
  if (channels.size > 0) await deps.memoryBus.publish({ teamId, channelIds: [...channels] });
  let cacheEntries = 0;
  for (const key of options.cacheKeys ?? []) {
    await deps.cache.delete(key);
    cacheEntries += 1;
  }
  for (const prefix of options.cachePrefixes ?? []) {
    cacheEntries += await deps.cache.deletePrefix(prefix);
  }
  let jobs = 0;
  if (options.messageJobIds) {
    const ids = options.messageJobIds;
    if (ids.length > 0) jobs += await deps.queue.purge("message", options.jobMatches, { ids });
  } else {
    for (const queue of QUEUE_NAMES) jobs += await deps.queue.purge(queue, options.jobMatches);
  }
  return { channels: channels.size, cacheEntries, jobs };
}
