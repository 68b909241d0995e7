/**
 * Forgetting outside the database: short-term memory (lists and copies, dropped per channel and
 * re-read from the database on the next use), every process's working memory (a notice on the
 * memory bus), the caches that hold a person's details, and queued and finished jobs. Each step
 * is idempotent; a failure throws, so the job that runs the forget is retried.
 */
import { type PurgeCandidate, QUEUE_NAMES } from "../../ports/job-queue";
import type { ForgetDeps } from "./deps";

/** Cache entries that hold a person's details, by prefix (adapters/slack, features/memory). */
export function userCachePrefixes(teamId: string, userId: string): string[] {
  return [
    `slack:user:${teamId}:${userId}`,
    `slack:member-of:${teamId}:${userId}`,
    `profile:${teamId}:${userId}`,
  ];
}

/** Every cache entry of a workspace, by prefix. */
export function teamCachePrefixes(teamId: string): string[] {
  return [
    `slack:user:${teamId}:`,
    `slack:member-of:${teamId}:`,
    `slack:members:${teamId}:`,
    `slack:conversation:${teamId}:`,
    `profile:${teamId}:`,
    `mood:${teamId}:`,
    `assistant-thread:${teamId}:`,
    `workspace-state:${teamId}`,
  ];
}

export interface CopiesCleared {
  channels: number;
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
    cachePrefixes: readonly string[];
    jobMatches: (job: PurgeCandidate) => boolean;
  },
): Promise<CopiesCleared> {
  const channels = new Set(options.channelIds);
  if (options.authorId) {
    for (const channelId of await deps.shortTerm.forgetAuthor(teamId, options.authorId)) {
      channels.add(channelId);
    }
  }
  for (const channelId of channels) await deps.shortTerm.forgetChannel(teamId, channelId);
  if (channels.size > 0) await deps.memoryBus.publish({ teamId, channelIds: [...channels] });
  let cacheEntries = 0;
  for (const prefix of options.cachePrefixes) cacheEntries += await deps.cache.deletePrefix(prefix);
  let jobs = 0;
  for (const queue of QUEUE_NAMES) jobs += await deps.queue.purge(queue, options.jobMatches);
  return { channels: channels.size, cacheEntries, jobs };
}
