// JobQueue.purge on BullMQ: "forget me" must leave no queued or finished job holding what was
// forgotten. Every state a job rests in is walked in pages (never the active list: a running
// job belongs to its worker, which holds its lock), the caller's predicate picks jobs, and each
// pick is removed with its data. A job that became active meanwhile is locked and stays; the
// forget's later sweep catches it once it finished.
import type { Job as BullJob, JobType, Queue } from "bullmq";
import type { PurgeCandidate } from "../../ports/job-queue";
import { fromBullJobId } from "./job-ids";

/** Jobs read from Redis per round trip. */
const PAGE = 200;

/**
 * BullMQ's resting states, and what the port calls each. `paused` is the list older BullMQ
 * versions moved waiting jobs to while a queue was paused (not in the typings any more; an
 * absent list reads as empty).
 */
const STATES: readonly [JobType, PurgeCandidate["state"]][] = [
  ["wait", "waiting"],
  ["paused" as JobType, "waiting"],
  ["prioritized", "waiting"],
  ["waiting-children", "waiting"],
  ["delayed", "delayed"],
  ["completed", "completed"],
  ["failed", "failed"],
];

/** `Job.getState()`'s answers for a resting job, as the port names them. */
const RESTING_STATE: Record<string, PurgeCandidate["state"] | undefined> = {
  waiting: "waiting",
  prioritized: "waiting",
  "waiting-children": "waiting",
  delayed: "delayed",
  completed: "completed",
  failed: "failed",
};

/** BullMQ's code for "this job is a scheduler's next run": removed with its scheduler only. */
const SCHEDULER_JOB = -8;

/** A removal that failed because the job is not ours to remove now (not an outage). */
function notRemovable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === SCHEDULER_JOB) return true;
  return typeof message === "string" && /locked by another worker|Missing key/.test(message);
}

/**
 * Removes every resting job of `queue` that `matches` picks; returns how many went. `forgetId`
 * runs after each removal with the job's BullMQ id: the producer's own bookkeeping about that id
 * (job-queue.ts's add claim) goes too, so the id is free again and no key still names it.
 */
export async function purgeBullQueue(
  queue: Queue,
  matches: (job: PurgeCandidate) => boolean,
  forgetId: (bullJobId: string) => Promise<unknown>,
  ids?: readonly string[],
): Promise<number> {
  const picked = ids ? await pickByIds(queue, matches, ids) : await pickByWalking(queue, matches);
  let removed = 0;
  for (const job of picked) {
    try {
      await job.remove();
      removed += 1;
      if (job.id) await forgetId(job.id);
    } catch (error) {
      if (!notRemovable(error)) throw error;
    }
  }
  return removed;
}

/** The resting jobs among `ids` (BullMQ ids) that `matches` picks: one read per id. */
async function pickByIds(
  queue: Queue,
  matches: (job: PurgeCandidate) => boolean,
  ids: readonly string[],
): Promise<BullJob[]> {
  const picked: BullJob[] = [];
  for (const id of new Set(ids)) {
    const job = await queue.getJob(id);
    if (!job?.id) continue;
    const state = RESTING_STATE[await job.getState()];
    // Active (or unknown) jobs belong to their worker: the forget's sweep comes back for them.
    if (!state) continue;
    if (matches({ id: fromBullJobId(job.id), name: job.name, data: job.data, state })) {
      picked.push(job);
    }
  }
  return picked;
}

/** Every resting job of the queue that `matches` picks, read in pages. */
async function pickByWalking(
  queue: Queue,
  matches: (job: PurgeCandidate) => boolean,
): Promise<BullJob[]> {
  const picked: BullJob[] = [];
  const seen = new Set<string>();
  for (const [type, state] of STATES) {
    // Offsets move by whole pages: BullMQ may fill a page from beyond its end (skipping ids whose
    // job vanished), so pages can overlap; `seen` keeps each job once.
    for (let start = 0; ; start += PAGE) {
      const page = await queue.getJobs([type], start, start + PAGE - 1);
      if (page.length === 0) break;
      for (const job of page) {
        if (!job?.id || seen.has(job.id)) continue;
        seen.add(job.id);
        const candidate = { id: fromBullJobId(job.id), name: job.name, data: job.data, state };
        if (matches(candidate)) picked.push(job);
      }
    }
  }
  return picked;
}
