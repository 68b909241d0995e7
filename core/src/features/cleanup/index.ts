// The cleanup feature (ADR-030): each workspace's retention applied once a day by the `cleanup`
// queue: old messages archived, what was derived only from them removed, raw Slack payloads
// expired, old mood transitions pruned, `user_stats` refreshed and old jobs cleared.
export {
  CLEANUP_DAILY_AT,
  CLEANUP_SCHEDULER_ID,
  type CleanupJob,
  cleanupJob,
  cleanupQueue,
  enqueueCleanup,
  scheduleCleanup,
} from "./cleanup-job";
export type { CleanupDeps } from "./deps";
export {
  CLEANUP_BATCH_SIZE,
  COMPLETED_JOB_MAX_AGE_MS,
  FAILED_JOB_MAX_AGE_MS,
  JOB_MAX_AGES,
  type JobAges,
  MOOD_TRANSITION_MAX_DAYS,
  retentionCutoffs,
} from "./policy";
export {
  type CleanupOptions,
  type CleanupReport,
  cleanJobs,
  cleanWorkspace,
  runCleanup,
  type WorkspaceCleanup,
} from "./run";
