/**
 * "Forget me" (ADR-034): the person is marked forgotten first, so nothing of theirs that is
 * still on its way (a Slack retry, a payload in the edge's queues, a job in flight) is stored
 * again; then the database purge (one transaction with its audit row), then every copy outside
 * the database, then rewrites of the summaries that drew on them. A sweep repeats the purge
 * once whatever was in flight has settled. If they speak again later, pup starts afresh.
 */
import { rewriteSummaries } from "../summaries";
import { type CopiesCleared, clearCopies, userCacheKeys } from "./copies";
import type { ForgetDeps } from "./deps";
import { DEFAULT_SWEEP_DELAY_MS } from "./deps";
import { jobOfUser } from "./job-data";
import { enqueuePrivacyJob } from "./privacy-contract";

export const FORGET_ME_ACTION = "privacy.forget_me";
export const FORGET_ME_SWEEP_ACTION = "privacy.forget_me.sweep";

export interface ForgetReport {
  /** Rows removed or emptied per table. */
  rows: Record<string, number>;
  copies: CopiesCleared;
  summariesRewritten: number;
}

export interface ForgetUserRequest {
  teamId: string;
  userId: string;
  /** Who asked: the user themself, or `system`. */
  actor: string;
}

/** Forgets everything `userId` said in the workspace and everything derived from it. */
export async function forgetUser(
  deps: ForgetDeps,
  request: ForgetUserRequest,
): Promise<ForgetReport> {
  const { teamId, userId } = request;
  const at = new Date(deps.now());
  await deps.forgets.markForgotten(teamId, userId, at);
  const report = await purgeUser(deps, request, FORGET_ME_ACTION);
  await enqueuePrivacyJob(
    deps,
    { kind: "forget-sweep", teamId, userId, key: String(at.getTime()) },
    deps.forgetSweepDelayMs ?? DEFAULT_SWEEP_DELAY_MS,
  );
  deps.logger.info(
    { teamId, rows: report.rows, copies: report.copies, summaries: report.summariesRewritten },
    "forget me: done; a sweep follows",
  );
  return report;
}

/** The sweep: the same purge again, for what was in flight during the first one. */
export async function sweepUser(
  deps: ForgetDeps,
  request: Omit<ForgetUserRequest, "actor">,
): Promise<ForgetReport> {
  const report = await purgeUser(deps, { ...request, actor: "system" }, FORGET_ME_SWEEP_ACTION);
  deps.logger.info({ teamId: request.teamId, rows: report.rows }, "forget me: sweep done");
  return report;
}

async function purgeUser(
  deps: ForgetDeps,
  request: ForgetUserRequest,
  action: string,
): Promise<ForgetReport> {
  const { teamId, userId, actor } = request;
  const purged = await deps.forgets.purgeUser(teamId, userId, { actor, action });
  const copies = await clearCopies(deps, teamId, {
    channelIds: purged.channelIds,
    authorId: userId,
    cacheKeys: userCacheKeys(teamId, userId),
    jobMatches: (job) => jobOfUser(job.data, teamId, userId),
  });
  // The summaries are gone already; their rewrites read what is left (the key keeps a retried
  // forget from queueing the same rewrites twice).
  await rewriteSummaries(deps, teamId, purged.summaryPeriods, `forget.${userId}.${deps.now()}`);
  return { rows: purged.counts, copies, summariesRewritten: purged.summaryPeriods.length };
}
