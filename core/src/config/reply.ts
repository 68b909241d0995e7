/**
 * How long a reply may take and how long its claim is left to the job that made it (ADR-032).
 * Every process that replies (core without Redis, workers, the demo) reads the same section, and
 * the claim lease also sets when `pup_reply_claims_stuck` counts a claim as stuck.
 */
import { integerBetween, withDefault } from "./fields";

export interface ReplyTimingConfig {
  /** Longest a reply may take to generate before pup gives up on it. */
  generationTimeoutMs: number;
  /** A claim still open after this is taken to be a crash (features/reply/claim-recovery.ts). */
  claimLeaseMs: number;
}

/** The reply feature's own defaults (features/reply/settings.ts); a test keeps them equal. */
export const DEFAULT_REPLY_TIMING: ReplyTimingConfig = {
  generationTimeoutMs: 45_000,
  claimLeaseMs: 180_000,
};

/**
 * The longest lease the message queue's retries outlast twice over (10 attempts with backoff
 * from 1 s span 511 s, features/intake/message-job.ts): a job that finds a crashed claim must
 * still be retrying when its lease ends, or that mention is never answered.
 */
export const MAX_REPLY_CLAIM_LEASE_MS = 250_000;

export const replyTimingEntries = {
  PUP_REPLY_TIMEOUT_MS: withDefault(
    integerBetween(1_000, 120_000),
    DEFAULT_REPLY_TIMING.generationTimeoutMs,
  ),
  PUP_REPLY_CLAIM_LEASE_MS: withDefault(
    integerBetween(2_000, MAX_REPLY_CLAIM_LEASE_MS),
    DEFAULT_REPLY_TIMING.claimLeaseMs,
  ),
};

export const REPLY_LEASE_TOO_SHORT =
  "must be longer than PUP_REPLY_TIMEOUT_MS (a reply still being written would be taken " +
  "for a crash and answered twice)";

/** The lease must outlive the generation: a claim whose reply is still streaming is no crash. */
export function replyLeaseFits(input: {
  PUP_REPLY_TIMEOUT_MS: number;
  PUP_REPLY_CLAIM_LEASE_MS: number;
}): boolean {
  return input.PUP_REPLY_CLAIM_LEASE_MS > input.PUP_REPLY_TIMEOUT_MS;
}

export function toReplyTimingConfig(input: {
  PUP_REPLY_TIMEOUT_MS: number;
  PUP_REPLY_CLAIM_LEASE_MS: number;
}): ReplyTimingConfig {
  return {
    generationTimeoutMs: input.PUP_REPLY_TIMEOUT_MS,
    claimLeaseMs: input.PUP_REPLY_CLAIM_LEASE_MS,
  };
}
