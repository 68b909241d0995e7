/**
 * How long each kind of record outlives its workspace's retention (ADR-030), as pure arithmetic:
 * the run asks for the cutoffs and removes what is older. Messages, their derived summaries and
 * facts, and raw Slack payloads follow the retention exactly. Mood transitions are operational
 * history (why pup's mood moved), useful for tuning for weeks, not years: they are kept for the
 * retention or 90 days, whichever is shorter. Jobs are kept by the queue's own age limits.
 */
import { QUEUE_NAMES, type QueueName } from "../../ports/job-queue";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The longest a mood transition is kept, whatever the retention. */
export const MOOD_TRANSITION_MAX_DAYS = 90;

/** Completed jobs older than this are removed (their ids stop de-duplicating after a day). */
export const COMPLETED_JOB_MAX_AGE_MS = DAY_MS;
/** Failed jobs stay a week: long enough to see and re-drive them after an outage. */
export const FAILED_JOB_MAX_AGE_MS = 7 * DAY_MS;

/** Rows one statement removes at most; a run repeats it until a statement removes fewer. */
export const CLEANUP_BATCH_SIZE = 1_000;
/** Jobs one `clean` call removes at most. */
export const JOB_CLEAN_BATCH_SIZE = 5_000;

export interface Cutoffs {
  /** Messages posted before this are archived; summaries and facts drawn only on them go. */
  messages: Date;
  /** Raw Slack payloads received before this are expired. */
  events: Date;
  /** Mood transitions recorded before this are pruned. */
  moodTransitions: Date;
}

/** The cutoffs for a workspace keeping `retentionDays`, at `now` (Unix ms). */
export function retentionCutoffs(retentionDays: number, now: number): Cutoffs {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError(`retention must be a whole number of days >= 1, got ${retentionDays}`);
  }
  const before = (days: number) => new Date(now - days * DAY_MS);
  return {
    messages: before(retentionDays),
    events: before(retentionDays),
    moodTransitions: before(Math.min(retentionDays, MOOD_TRANSITION_MAX_DAYS)),
  };
}

export interface JobCleanStep {
  queue: QueueName;
  status: "completed" | "failed";
  olderThanMs: number;
}

export interface JobAges {
  completedMs: number;
  failedMs: number;
}

export const JOB_MAX_AGES: JobAges = {
  completedMs: COMPLETED_JOB_MAX_AGE_MS,
  failedMs: FAILED_JOB_MAX_AGE_MS,
};

/** Every queue's completed and failed jobs past their age limits. */
export function jobCleanSteps(ages: JobAges = JOB_MAX_AGES): JobCleanStep[] {
  return QUEUE_NAMES.flatMap((queue) => [
    { queue, status: "completed" as const, olderThanMs: ages.completedMs },
    { queue, status: "failed" as const, olderThanMs: ages.failedMs },
  ]);
}

/** Repeats `step` (which removes at most `limit`) until it removes fewer; returns the total. */
export async function drain(step: () => Promise<number>, limit: number): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await step();
    total += removed;
    if (removed < limit) return total;
  }
}
