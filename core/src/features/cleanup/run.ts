/**
 * One cleanup run (ADR-030): for each workspace, what was derived only from messages past its
 * retention, then the messages themselves (into the archive), the raw Slack payloads and the old
 * mood transitions; then, once for everyone, the `user_stats` view and the queues' old jobs.
 * Every step is idempotent, so a retried or repeated run removes nothing more. The log says what
 * went, by count only: never a message, a payload or a name.
 */
import type { QueueName } from "../../ports/job-queue";
import { PupError } from "../../shared/errors";
import type { CleanupDeps } from "./deps";
import {
  CLEANUP_BATCH_SIZE,
  drain,
  JOB_CLEAN_BATCH_SIZE,
  type JobAges,
  jobCleanSteps,
  retentionCutoffs,
} from "./policy";

export interface WorkspaceCleanup {
  teamId: string;
  retentionDays: number;
  messagesArchived: number;
  /** Messages already deleted in Slack: removed without an archive copy. */
  messagesDropped: number;
  summariesPruned: number;
  factsPruned: number;
  eventsExpired: number;
  moodTransitionsPruned: number;
}

export interface CleanupReport {
  workspaces: WorkspaceCleanup[];
  /** Jobs removed per queue (completed and failed together). */
  jobsRemoved: Partial<Record<QueueName, number>>;
  userStatsRefreshed: boolean;
}

export interface CleanupOptions {
  /** Only this workspace, and no view refresh or job cleaning (an on-demand run). */
  teamId?: string;
  batchSize?: number;
  /** How old finished jobs must be to go (default JOB_MAX_AGES). */
  jobAges?: JobAges;
}

/** Applies one workspace's retention; returns what it removed. */
export async function cleanWorkspace(
  deps: CleanupDeps,
  teamId: string,
  retentionDays: number,
  batchSize = CLEANUP_BATCH_SIZE,
): Promise<WorkspaceCleanup> {
  const { retention } = deps;
  const cutoff = retentionCutoffs(retentionDays, deps.now());
  // Derived rows first: their source links to the old messages cascade away with the archive,
  // and without them a fact drawn only on old messages could no longer be told apart.
  const derived = await retention.pruneDerived(teamId, cutoff.messages);
  let archived = 0;
  let dropped = 0;
  for (;;) {
    const batch = await retention.archiveMessages(teamId, cutoff.messages, batchSize);
    archived += batch.archived;
    dropped += batch.dropped;
    if (batch.archived + batch.dropped < batchSize) break;
  }
  const eventsExpired = await drain(
    () => retention.expireEvents(teamId, cutoff.events, batchSize),
    batchSize,
  );
  const moodTransitionsPruned = await drain(
    () => retention.pruneMoodTransitions(teamId, cutoff.moodTransitions, batchSize),
    batchSize,
  );
  return {
    teamId,
    retentionDays,
    messagesArchived: archived,
    messagesDropped: dropped,
    summariesPruned: derived.summaries,
    factsPruned: derived.facts,
    eventsExpired,
    moodTransitionsPruned,
  };
}

/** Removes every queue's completed and failed jobs past their age limits. */
export async function cleanJobs(deps: Pick<CleanupDeps, "queue">, ages?: JobAges) {
  const removed: Partial<Record<QueueName, number>> = {};
  for (const step of jobCleanSteps(ages)) {
    const count = await drain(
      () => deps.queue.clean(step.queue, step.status, step.olderThanMs, JOB_CLEAN_BATCH_SIZE),
      JOB_CLEAN_BATCH_SIZE,
    );
    removed[step.queue] = (removed[step.queue] ?? 0) + count;
  }
  return removed;
}

/**
 * The whole run. A workspace that fails is logged and the others still run; the run then throws
 * (retryable) so the queue tries again, and the repeat only finishes what was left.
 */
export async function runCleanup(
  deps: CleanupDeps,
  options: CleanupOptions = {},
): Promise<CleanupReport> {
  const { logger } = deps;
  const started = deps.now();
  const settings = options.teamId
    ? [await deps.workspaceSettings.getRetention(options.teamId)]
    : await deps.workspaceSettings.listRetention();
  const workspaces: WorkspaceCleanup[] = [];
  const failed: string[] = [];
  for (const setting of settings) {
    try {
      const result = await cleanWorkspace(deps, setting.teamId, setting.days, options.batchSize);
      workspaces.push(result);
      logger.info({ ...result, defaultRetention: !setting.explicit }, "cleanup: workspace done");
    } catch (error) {
      failed.push(setting.teamId);
      logger.error({ err: error, teamId: setting.teamId }, "cleanup: workspace failed");
    }
  }
  const report: CleanupReport = { workspaces, jobsRemoved: {}, userStatsRefreshed: false };
  if (!options.teamId) {
    await deps.retention.refreshUserStats();
    report.userStatsRefreshed = true;
    report.jobsRemoved = await cleanJobs(deps, options.jobAges);
  }
  const total = (key: keyof Omit<WorkspaceCleanup, "teamId" | "retentionDays">) =>
    workspaces.reduce((sum, w) => sum + w[key], 0);
  logger.info(
    {
      workspaces: workspaces.length,
      failedWorkspaces: failed.length,
      messagesArchived: total("messagesArchived"),
      messagesDropped: total("messagesDropped"),
      summariesPruned: total("summariesPruned"),
      factsPruned: total("factsPruned"),
      eventsExpired: total("eventsExpired"),
      moodTransitionsPruned: total("moodTransitionsPruned"),
      jobsRemoved: report.jobsRemoved,
      userStatsRefreshed: report.userStatsRefreshed,
      durationMs: deps.now() - started,
    },
    "cleanup: run done",
  );
  if (failed.length > 0) {
    throw new PupError(`cleanup failed for ${failed.length} workspace(s): ${failed.join(", ")}`, {
      code: "cleanup_incomplete",
      retryable: true,
    });
  }
  return report;
}
