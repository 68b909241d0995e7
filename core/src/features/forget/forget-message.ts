/**
 * Forgetting one message (`/pup forget <link>`, the App Home's Forget button), by its author or
 * an admin, and the redaction a deletion in Slack now brings: the message's row is emptied (a
 * tombstone, so it is never stored again), the payloads carrying it are redacted from the event
 * log with an audit row, what was drawn only from it goes, and every copy outside the database.
 */
import type { MessageRef } from "../../ports/message-store";
import { adminSource } from "../admin";
import { messageJobId } from "../intake";
import { rewriteSummaries } from "../summaries";
import { clearCopies } from "./copies";
import { DEFAULT_SWEEP_DELAY_MS, type ForgetDeps } from "./deps";
import type { ForgetReport } from "./forget-user";
import { jobOfMessage } from "./job-data";
import { enqueuePrivacyJob } from "./privacy-contract";

export const FORGET_MESSAGE_ACTION = "privacy.forget_message";
export const SLACK_DELETED_ACTION = "privacy.slack_deleted";

export type ForgetMessageOutcome =
  | { status: "forgotten"; report: ForgetReport; author: string | null }
  | { status: "not_found" }
  | { status: "not_allowed" };

/** Forgets `ref` if `actor` wrote it or is an admin now; the refusal is audit-logged too. */
export async function forgetMessage(
  deps: ForgetDeps,
  ref: MessageRef,
  actor: string,
): Promise<ForgetMessageOutcome> {
  const author = await deps.forgets.authorOf(ref);
  if (author === undefined) return { status: "not_found" };
  if (author !== actor && (await adminSource(deps, ref.teamId, actor)) === null) {
    await deps.auditLog.record({
      teamId: ref.teamId,
      actor,
      action: `${FORGET_MESSAGE_ACTION}.refused`,
      subject: `${ref.channelId}:${ref.ts}`,
      details: { reason: "not_author_or_admin" },
    });
    return { status: "not_allowed" };
  }
  const report = await purgeMessage(deps, ref, author, actor, FORGET_MESSAGE_ACTION);
  return { status: "forgotten", report, author };
}

/**
 * A message deleted in Slack: besides the row the events feature already emptied, the raw
 * payloads (the original, its edits, the deletion's `previous_message`) and every derived copy.
 */
export async function forgetDeletedMessage(
  deps: ForgetDeps,
  ref: MessageRef,
): Promise<ForgetReport> {
  const author = await deps.forgets.authorOf(ref);
  return purgeMessage(deps, ref, author ?? null, "system", SLACK_DELETED_ACTION);
}

/**
 * The sweep after a message is forgotten: the same purge again, once whatever was in flight has
 * settled. The job that ran the forget (a deletion's, or a late delivery's of the message or an
 * edit) was running then, so it could not be removed, and it is kept for a day holding the
 * payload; a Slack retry of a deletion is logged again but never run (its job id is known).
 */
export async function sweepMessage(
  deps: ForgetDeps,
  data: { teamId: string; channelId: string; ts: string; action: string; eventIds?: string[] },
): Promise<ForgetReport> {
  const ref = { teamId: data.teamId, channelId: data.channelId, ts: data.ts };
  const author = await deps.forgets.authorOf(ref);
  return purgeMessage(deps, ref, author ?? null, "system", `${data.action}.sweep`, {
    sweepLater: false,
    earlierEventIds: data.eventIds ?? [],
  });
}

async function purgeMessage(
  deps: ForgetDeps,
  ref: MessageRef,
  author: string | null,
  actor: string,
  action: string,
  options: { sweepLater: boolean; earlierEventIds: readonly string[] } = {
    sweepLater: true,
    earlierEventIds: [],
  },
): Promise<ForgetReport> {
  const purged = await deps.forgets.purgeMessage(ref, { actor, action });
  // This purge's payloads, and (in a sweep) the first purge's, whose jobs may have been running.
  const eventIds = [...new Set([...purged.eventIds, ...options.earlierEventIds])];
  const copies = await clearCopies(deps, ref.teamId, {
    channelIds: [ref.channelId, ...purged.channelIds],
    // The author's cached profile may list a fact drawn from it.
    cacheKeys: author ? [`profile:${ref.teamId}:${author}`] : [],
    jobMatches: (job) => jobOfMessage(job.data, ref.teamId, ref.channelId, ref.ts),
    // Only message jobs carry payloads, and a redacted payload's job has a known id: a deletion
    // must not walk a day of finished jobs (the message queue keeps them 24 h).
    messageJobIds: eventIds.map((eventId) => messageJobId(ref.teamId, eventId)),
  });
  await rewriteSummaries(
    deps,
    ref.teamId,
    purged.summaryPeriods,
    `forget.${ref.channelId}.${ref.ts}`,
  );
  if (options.sweepLater) {
    const key = String(deps.now());
    const sweep = { kind: "message-sweep" as const, ...ref, action, key, eventIds };
    await enqueuePrivacyJob(deps, sweep, deps.forgetSweepDelayMs ?? DEFAULT_SWEEP_DELAY_MS);
  }
  return { rows: purged.counts, copies, summariesRewritten: purged.summaryPeriods.length };
}
