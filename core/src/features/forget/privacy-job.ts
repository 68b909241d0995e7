/**
 * The `privacy` queue: the sweep that follows each "forget me", the purge of an uninstalled
 * workspace when its grace period ends, and an hourly check for due purges (so a lost delayed
 * job only postpones a purge by an hour). Finished jobs are not kept: their data names who was
 * forgotten and which workspace went.
 */
import * as v from "valibot";
import { enqueueJob, type JobContract, jobIdOf, type QueueDefinition } from "../../shared/jobs";
import type { ForgetDeps } from "./deps";
import { sweepUser } from "./forget-user";
import { purgeDueWorkspaces, purgeWorkspace } from "./lifecycle";

export type PrivacyJob =
  | { kind: "forget-sweep"; teamId: string; userId: string; key: string }
  | { kind: "purge-workspace"; teamId: string; key: string }
  | { kind: "purge-due" };

const id = v.pipe(v.string(), v.minLength(1));

export const privacyJob: JobContract<PrivacyJob> = {
  queue: "privacy",
  schema: v.variant("kind", [
    v.object({ kind: v.literal("forget-sweep"), teamId: id, userId: id, key: id }),
    v.object({ kind: v.literal("purge-workspace"), teamId: id, key: id }),
    v.object({ kind: v.literal("purge-due") }),
  ]),
  jobName: (data) => `privacy-${data.kind}`,
  jobId: (data) => {
    if (data.kind === "forget-sweep")
      return jobIdOf("privacy-sweep", data.teamId, data.userId, data.key);
    if (data.kind === "purge-workspace") return jobIdOf("privacy-purge", data.teamId, data.key);
    return jobIdOf("privacy-purge-due");
  },
  // Nothing of a finished job is kept: its data names the person or workspace forgotten.
  options: { keepCompleted: { count: 0 } },
};

export const PRIVACY_SCHEDULER_ID = "privacy-purge-due";
export const PURGE_CHECK_EVERY_MS = 60 * 60 * 1000;

export const privacyQueue: QueueDefinition<ForgetDeps, PrivacyJob> = {
  contract: privacyJob,
  concurrency: 1,
  processor: (deps) => async (data) => {
    if (data.kind === "forget-sweep") {
      await sweepUser(deps, { teamId: data.teamId, userId: data.userId });
    } else if (data.kind === "purge-workspace") {
      await purgeWorkspace(deps, data.teamId);
    } else {
      await purgeDueWorkspaces(deps);
    }
  },
};

/** Queues a privacy job, delayed by `delayMs` when given. */
export function enqueuePrivacyJob(
  deps: Pick<ForgetDeps, "queue">,
  job: PrivacyJob & { delayMs?: number },
): Promise<{ added: boolean }> {
  const { delayMs, ...data } = job as PrivacyJob & { delayMs?: number };
  if (!delayMs) return enqueueJob(deps.queue, privacyJob, data as PrivacyJob);
  return deps.queue.add(privacyJob.queue, privacyJob.jobName(data as PrivacyJob), data, {
    ...privacyJob.options,
    jobId: privacyJob.jobId(data as PrivacyJob),
    delayMs,
  });
}

/** Creates (or keeps) the hourly check for due purges; every worker may call it at start. */
export function schedulePurgeCheck(deps: Pick<ForgetDeps, "queue">) {
  return deps.queue.schedule(
    "privacy",
    PRIVACY_SCHEDULER_ID,
    { everyMs: PURGE_CHECK_EVERY_MS },
    { name: privacyJob.jobName({ kind: "purge-due" }), data: { kind: "purge-due" } },
  );
}
