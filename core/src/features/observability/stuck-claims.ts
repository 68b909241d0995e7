/**
 * Reply claims that never completed: a claim is made before pup posts and recorded as sent or
 * failed after; one still `claimed` long after (the lease) means the process died in between,
 * and its job's retry recovers it once the lease is over (ADR-011, issue 14). Each scrape of
 * /metrics counts them into `pup_reply_claims_stuck` and logs the oldest, so an operator sees
 * one no retry has recovered (ADR-026).
 */
import type { StuckClaim } from "../../ports/bot-reply-log";
import type { Logger } from "../../ports/logger";
import type { CoreMetrics } from "./metrics";

/**
 * How long a claim may stay open by default: the reply setting `claimLeaseMs` (3 minutes, above
 * the generation timeout and streaming). Past it a retried job recovers the claim
 * (features/reply/claim-recovery.ts); one counted here is past its lease and not yet recovered.
 */
export const REPLY_CLAIM_LEASE_MS = 3 * 60 * 1000;
/** Most claims one scrape reads; the gauge says "at least this many" beyond it. */
export const STUCK_CLAIMS_SCAN_LIMIT = 1000;

export interface StuckClaimsSource {
  stuckClaims(claimedBefore: Date, limit: number): Promise<StuckClaim[]>;
}

/** Counts claims older than the lease into the gauge; logs the oldest when there are any. */
export async function refreshStuckClaims(
  metrics: CoreMetrics,
  source: StuckClaimsSource,
  options: { now: number; leaseMs?: number; logger?: Logger },
): Promise<number> {
  const leaseMs = options.leaseMs ?? REPLY_CLAIM_LEASE_MS;
  const stuck = await source.stuckClaims(new Date(options.now - leaseMs), STUCK_CLAIMS_SCAN_LIMIT);
  metrics.replyClaimsStuck.set({}, stuck.length);
  const [oldest] = stuck;
  if (oldest) {
    options.logger?.warn(
      {
        stuck: stuck.length,
        teamId: oldest.teamId,
        channelId: oldest.channelId,
        sendKey: oldest.sendKey,
        claimedAt: oldest.claimedAt.toISOString(),
      },
      "reply claims never completed: their answers may not have been posted",
    );
  }
  return stuck.length;
}
