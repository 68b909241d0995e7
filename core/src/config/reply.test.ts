import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { MESSAGE_JOB_ATTEMPTS, MESSAGE_QUEUE_OPTIONS } from "../features/intake/message-job";
import { DEFAULT_REPLY_SETTINGS } from "../features/reply";
import { ConfigError } from "../shared/errors";
import { loadConfig } from "./load";
import {
  DEFAULT_REPLY_TIMING,
  MAX_REPLY_CLAIM_LEASE_MS,
  REPLY_LEASE_TOO_SHORT,
  replyLeaseFits,
  replyTimingEntries,
  toReplyTimingConfig,
} from "./reply";

const schema = v.pipe(
  v.object(replyTimingEntries),
  v.forward(
    v.partialCheck(
      [["PUP_REPLY_TIMEOUT_MS"], ["PUP_REPLY_CLAIM_LEASE_MS"]],
      replyLeaseFits,
      REPLY_LEASE_TOO_SHORT,
    ),
    ["PUP_REPLY_CLAIM_LEASE_MS"],
  ),
  v.transform(toReplyTimingConfig),
);

function problems(env: Record<string, string>) {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("reply timing config", () => {
  test("defaults are the reply feature's; each variable overrides its value", () => {
    expect(loadConfig(schema, {})).toEqual(DEFAULT_REPLY_TIMING);
    expect(DEFAULT_REPLY_TIMING.generationTimeoutMs).toBe(
      DEFAULT_REPLY_SETTINGS.generationTimeoutMs,
    );
    expect(DEFAULT_REPLY_TIMING.claimLeaseMs).toBe(DEFAULT_REPLY_SETTINGS.claimLeaseMs);
    expect(
      loadConfig(schema, { PUP_REPLY_TIMEOUT_MS: "2000", PUP_REPLY_CLAIM_LEASE_MS: "5000" }),
    ).toEqual({ generationTimeoutMs: 2000, claimLeaseMs: 5000 });
  });

  test("a lease not longer than the generation timeout stops the start, naming the lease", () => {
    const found = problems({ PUP_REPLY_CLAIM_LEASE_MS: "30000" });
    expect(found).toEqual([
      { variable: "PUP_REPLY_CLAIM_LEASE_MS", message: REPLY_LEASE_TOO_SHORT },
    ]);
    expect(
      problems({ PUP_REPLY_TIMEOUT_MS: "5000", PUP_REPLY_CLAIM_LEASE_MS: "5000" }),
    ).toHaveLength(1);
  });

  test("out of range or not a number is refused", () => {
    const found = problems({ PUP_REPLY_CLAIM_LEASE_MS: "999999", PUP_REPLY_TIMEOUT_MS: "soon" });
    expect(found.map((problem) => problem.variable).sort()).toEqual([
      "PUP_REPLY_CLAIM_LEASE_MS",
      "PUP_REPLY_TIMEOUT_MS",
    ]);
  });

  test("the longest lease allowed is still outlasted twice by the message job's retries", () => {
    // Attempt n starts (2^(n-1) - 1) base delays after the first (BullMQ's exponential backoff).
    const spanMs = (2 ** (MESSAGE_JOB_ATTEMPTS - 1) - 1) * MESSAGE_QUEUE_OPTIONS.backoffDelayMs;
    expect(spanMs).toBeGreaterThan(2 * MAX_REPLY_CLAIM_LEASE_MS);
  });
});
