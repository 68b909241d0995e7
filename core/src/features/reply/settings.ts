// How replies are written: how much memory and conversation they see, how long they may take, and
// what may leave in them (the output filter's policy and the canary planted in the prompt).

import type { OutputPolicy } from "./output-filter";
import { SLACK_LINK_HOSTS } from "./output-links";

export interface ReplySettings {
  /** Recalled long-term memories offered to the prompt (before the token budget). */
  recallLimit: number;
  /** Recent channel or thread messages offered as the live conversation. */
  contextMessages: number;
  /** Tokens of recalled memory in the prompt. */
  memoryTokens: number;
  /** Longest a reply may take to generate before pup gives up on it. */
  generationTimeoutMs: number;
  /**
   * How long a reply's claim is left to the job that made it: a claim still open after this is
   * taken to be a crash, and a retry asks Slack whether the answer was posted before answering
   * (claim-recovery.ts). Above the generation timeout plus streaming; the message queue's
   * retries span it (features/intake/message-job.ts).
   */
  claimLeaseMs: number;
  /** pup apologises for not being able to think at most once per conversation per this long. */
  apologyWindowSeconds: number;
  /** Reply tokens asked of the model. */
  maxReplyTokens: number;
  /** Facts about the author offered to the prompt. */
  authorFacts: number;
  /**
   * Planted in the system prompt; the output filter removes it (it is among `output.secrets`).
   * Empty: none planted (the composition root makes one per process).
   */
  canary: string;
  /** What may be posted: the same policy the filtered gateway applies to everything. */
  output: OutputPolicy;
}

export const DEFAULT_REPLY_SETTINGS: ReplySettings = {
  recallLimit: 12,
  contextMessages: 20,
  memoryTokens: 2000,
  generationTimeoutMs: 45_000,
  claimLeaseMs: 180_000,
  apologyWindowSeconds: 600,
  maxReplyTokens: 600,
  authorFacts: 8,
  canary: "",
  output: { allowedHosts: SLACK_LINK_HOSTS, secrets: [] },
};
