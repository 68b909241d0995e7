/**
 * The `cleanup` queue: one job a day applies every workspace's retention (a BullMQ job scheduler
 * adds it, however many workers start); on-demand runs for one workspace use the same
 * contract. A run takes minutes at most and is idempotent, so a retry only finishes the rest.
 */
import * as v from "valibot";
import type { JobQueue } from "../../ports/job-queue";
import type { DailyAt } from "../../shared/daily-schedule";
import { enqueueJob, type JobContract, jobIdOf, type QueueDefinition } from "../../shared/jobs";
import type { CleanupDeps } from "./deps";
import { runCleanup } from "./run";

export interface CleanupJob {
  /** Only this workspace (and no job cleaning or view refresh); absent: every workspace. */
  teamId?: string;
  /** What keys an on-demand run, e.g. the day it is for; scheduled runs leave it out. */
  key?: string;
}

/** The daily run: 03:00 UTC, when Slack workspaces are quiet on most continents. */
export const CLEANUP_DAILY_AT: DailyAt = { hour: 3, minute: 0, timeZone: "UTC" };
export const CLEANUP_SCHEDULER_ID = "cleanup-daily";

const id = v.pipe(v.string(), v.minLength(1));

export const cleanupJob: JobContract<CleanupJob> = {
  queue: "cleanup",
  schema: v.object({ teamId: v.optional(id), key: v.optional(id) }),
  jobName: (data) => (data.teamId ? "cleanup-workspace" : "cleanup-all"),
  jobId: (data) => jobIdOf("cleanup", data.teamId ?? "all", data.key ?? "now"),
};

export const cleanupQueue: QueueDefinition<CleanupDeps, CleanupJob> = {
  contract: cleanupJob,
  // One run at a time per process: runs walk every workspace and would only contend.
  concurrency: 1,
  processor: (deps) => async (data) => {
    await runCleanup(deps, data.teamId ? { teamId: data.teamId } : {});
  },
};

/** Creates (or keeps) the daily run; every worker may call it at start, one scheduler results. */
export function scheduleCleanup(
  deps: { queue: JobQueue },
  at: DailyAt = CLEANUP_DAILY_AT,
): Promise<{ nextRunAt: number | undefined }> {
  return deps.queue.schedule(
    "cleanup",
    CLEANUP_SCHEDULER_ID,
    { daily: at },
    {
      name: "cleanup-all",
      data: {},
    },
  );
}

/** Queues a run now (one workspace, or all); `key` de-duplicates repeated requests. */
export function enqueueCleanup(deps: { queue: JobQueue }, data: CleanupJob) {
  return enqueueJob(deps.queue, cleanupJob, data);
}
