/**
 * The `privacy` queue's jobs: the sweep that follows each "forget me" and each forgotten or
 * deleted message, the purge of an
 * uninstalled workspace when its grace period ends, and an hourly check for due purges (so a
 * lost delayed job only postpones a purge by an hour). Finished jobs are not kept, and a job id
 * names a person only by a digest: ids outlive jobs in BullMQ's event stream.
 */
import * as v from "valibot";
import type { JobQueue } from "../../ports/job-queue";
import { enqueueJob, idDigest, type JobContract, jobIdOf } from "../../shared/jobs";

export type PrivacyJob =
  | { kind: "forget-sweep"; teamId: string; userId: string; key: string }
  | { kind: "purge-workspace"; teamId: string; key: string }
  | {
      kind: "message-sweep";
      teamId: string;
      channelId: string;
      ts: string;
      /** The forget's audit action; the sweep records it with `.sweep`. */
      action: string;
      key: string;
      /** Event ids of the payloads the forget redacted: their jobs may have been running. */
      eventIds?: string[];
    }
  | { kind: "purge-due" };

const id = v.pipe(v.string(), v.minLength(1));

export const privacyJob: JobContract<PrivacyJob> = {
  queue: "privacy",
  schema: v.variant("kind", [
    v.object({ kind: v.literal("forget-sweep"), teamId: id, userId: id, key: id }),
    v.object({ kind: v.literal("purge-workspace"), teamId: id, key: id }),
    v.object({
      kind: v.literal("message-sweep"),
      teamId: id,
      channelId: id,
      ts: id,
      action: id,
      key: id,
      eventIds: v.optional(v.array(id)),
    }),
    v.object({ kind: v.literal("purge-due") }),
  ]),
  jobName: (data) => `privacy-${data.kind}`,
  jobId: (data) => {
    if (data.kind === "forget-sweep") {
      return jobIdOf("privacy-sweep", data.teamId, idDigest(data.userId), data.key);
    }
    if (data.kind === "purge-workspace") return jobIdOf("privacy-purge", data.teamId, data.key);
    if (data.kind === "message-sweep") {
      return jobIdOf("privacy-message-sweep", data.teamId, data.channelId, data.ts, data.key);
    }
    return jobIdOf("privacy-purge-due");
  },
  // Nothing of a finished job is kept: its data names the person or workspace forgotten.
  options: { keepCompleted: { count: 0 } },
};

export const PRIVACY_SCHEDULER_ID = "privacy-purge-due";
export const PURGE_CHECK_EVERY_MS = 60 * 60 * 1000;

/** Queues a privacy job, delayed by `delayMs` when given. */
export function enqueuePrivacyJob(
  deps: { queue: JobQueue },
  job: PrivacyJob,
  delayMs = 0,
): Promise<{ added: boolean }> {
  if (delayMs <= 0) return enqueueJob(deps.queue, privacyJob, job);
  return deps.queue.add(privacyJob.queue, privacyJob.jobName(job), job, {
    ...privacyJob.options,
    jobId: privacyJob.jobId(job),
    delayMs,
  });
}

/** Creates (or keeps) the hourly check for due purges; every worker may call it at start. */
export function schedulePurgeCheck(deps: { queue: JobQueue }) {
  const data: PrivacyJob = { kind: "purge-due" };
  return deps.queue.schedule(
    "privacy",
    PRIVACY_SCHEDULER_ID,
    { everyMs: PURGE_CHECK_EVERY_MS },
    { name: privacyJob.jobName(data), data },
  );
}
