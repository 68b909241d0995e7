// The reply claim lease and the message queue's retries must fit together: a job that finds a
// claim held (claim-recovery.ts) retries with backoff, and must still be retrying when the
// lease ends, or a crashed claim would again be lost.
import { describe, expect, test } from "bun:test";
import { MESSAGE_JOB_ATTEMPTS, MESSAGE_QUEUE_OPTIONS, messageJob } from "../intake/message-job";
import { REPLY_CLAIM_LEASE_MS } from "../observability/stuck-claims";
import { DEFAULT_REPLY_SETTINGS } from "./settings";

describe("reply claim lease", () => {
  test("the message job's retries outlast the lease; the metric uses the same lease", () => {
    expect(messageJob.options?.attempts).toBe(MESSAGE_JOB_ATTEMPTS);
    // Attempt n starts (2^(n-1) - 1) base delays after the first (BullMQ's exponential backoff).
    const spanMs = (2 ** (MESSAGE_JOB_ATTEMPTS - 1) - 1) * MESSAGE_QUEUE_OPTIONS.backoffDelayMs;
    expect(spanMs).toBeGreaterThan(2 * DEFAULT_REPLY_SETTINGS.claimLeaseMs);
    expect(DEFAULT_REPLY_SETTINGS.claimLeaseMs).toBeGreaterThan(
      DEFAULT_REPLY_SETTINGS.generationTimeoutMs * 2,
    );
    expect(REPLY_CLAIM_LEASE_MS).toBe(DEFAULT_REPLY_SETTINGS.claimLeaseMs);
  });
});
