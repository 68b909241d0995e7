// Port: pup's replies. Claiming a send key before posting is what keeps a retried job, or a
// duplicate Slack delivery, from posting the same answer twice.
import type { BotReplyStatus, Mood } from "./slack-vocabulary";

export interface ReplyClaim {
  teamId: string;
  /** Deterministic per answer, e.g. derived from the triggering event id. */
  sendKey: string;
  channelId: string;
  threadTs?: string | null;
  triggerEventId?: string | null;
}

export interface ReplyOutcome {
  replyTs: string;
  model?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  latencyMs?: number | null;
  mood?: Mood | null;
}

export interface BotReply extends Required<ReplyClaim>, Required<Omit<ReplyOutcome, "replyTs">> {
  id: number;
  replyTs: string | null;
  status: BotReplyStatus;
  error: string | null;
  claimedAt: Date;
  finishedAt: Date | null;
}

export interface BotReplyLog {
  /**
   * True exactly once per team and send key: the caller may post. A key whose attempt was
   * recorded as failed (known not posted) can be claimed again.
   */
  claim(claim: ReplyClaim): Promise<boolean>;
  recordSent(teamId: string, sendKey: string, outcome: ReplyOutcome): Promise<void>;
  recordFailed(teamId: string, sendKey: string, error: string): Promise<void>;
  find(teamId: string, sendKey: string): Promise<BotReply | undefined>;
  /** Whether pup has answered (or is answering) in this thread: one indexed lookup. */
  repliedInThread(teamId: string, channelId: string, threadTs: string): Promise<boolean>;
  /**
   * Claims still neither sent nor failed that were made before `claimedBefore`: the process
   * that made them most likely died between claiming and recording, so their answer may never
   * have been posted. Counted up to `limit` (a scrape must stay cheap), oldest first.
   */
  stuckClaims(claimedBefore: Date, limit: number): Promise<StuckClaim[]>;
  /**
   * Takes over a claim still `claimed` that was made before `claimedBefore` (its lease is over):
   * true for exactly one caller, whose claim it now is (`claimedAt` becomes now, so every other
   * caller sees a young claim again). False when it was recorded or taken over meanwhile.
   */
  takeOver(teamId: string, sendKey: string, claimedBefore: Date): Promise<boolean>;
}

/** A claim older than its lease, as {@link BotReplyLog.stuckClaims} lists it. */
export interface StuckClaim {
  teamId: string;
  sendKey: string;
  channelId: string;
  claimedAt: Date;
}
// The send key of pup's answer to one message, shared by replies and the repeat check.

/**
 * Slack message metadata marking a message as pup's answer under a send key: a retry after a
 * crash asks Slack (`conversations.replies`) whether the answer was posted before posting it.
 */
export const REPLY_METADATA_EVENT_TYPE = "pup_reply";

/** The send key of the answer to one message (both deliveries of a mention share it). */
export function replySendKey(channelId: string, ts: string): string {
  return `reply:${channelId}:${ts}`;
}
