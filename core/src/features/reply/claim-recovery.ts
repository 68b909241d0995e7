/**
 * Taking the reply's claim, and recovering one left behind (issue 14, point 12). A claim still
 * `claimed` means another job is answering, or that one died between claiming and recording.
 * Within the lease we cannot tell which, so the job tries again later (a live duplicate has
 * recorded `sent` by then). Past the lease we ask Slack whether pup's answer under this send key
 * is in the thread: if so it is recorded, never posted again; if not, the claim is taken over
 * (one winner) and answered. When Slack cannot be asked, nothing is posted blind.
 */
import { REPLY_METADATA_EVENT_TYPE, type ReplyClaim } from "../../ports/bot-reply-log";
import type { BotIdentity, ThreadMessage } from "../../ports/slack-gateway";
import { PupError } from "../../shared/errors";
import type { ReplyDeps } from "./deps";

export type ClaimRecoveryDeps = Pick<ReplyDeps, "botReplies" | "slack" | "logger" | "now"> & {
  reply: { claimLeaseMs: number };
};

/** The reply's claim is held by someone else for now: thrown so the queue tries the job later. */
export class ReplyClaimHeldError extends PupError {
  override readonly name = "ReplyClaimHeldError";
  constructor(sendKey: string, why: string) {
    super(`the reply claim ${sendKey} is held (${why}); trying again later`, {
      code: "reply_claim_held",
      retryable: true,
      // Every mention arrives twice (message and app_mention): the twin's wait is routine.
      expected: true,
    });
  }
}

/**
 * True: the caller holds the claim and must answer. False: answered already (nothing to do).
 * Throws {@link ReplyClaimHeldError} (retryable) when it cannot be decided yet.
 */
export async function claimReply(
  deps: ClaimRecoveryDeps,
  claim: ReplyClaim & { threadTs: string },
  trigger: { ts: string; identity: BotIdentity },
): Promise<boolean> {
  if (await deps.botReplies.claim(claim)) return true;
  const { teamId, sendKey, channelId } = claim;
  const held = await deps.botReplies.find(teamId, sendKey);
  if (held?.status === "sent") return false;
  // `failed` here: released between our claim and our read; the next try claims it.
  if (held?.status !== "claimed") throw new ReplyClaimHeldError(sendKey, "just released");
  const leaseEnd = new Date(deps.now() - deps.reply.claimLeaseMs);
  if (held.claimedAt >= leaseEnd) throw new ReplyClaimHeldError(sendKey, "being answered");

  let thread: ThreadMessage[];
  try {
    thread = await deps.slack.threadMessages(teamId, channelId, claim.threadTs, trigger.ts);
  } catch (error) {
    deps.logger.warn(
      { err: error, teamId, channelId, sendKey },
      "cannot ask Slack about a stuck claim",
    );
    throw new ReplyClaimHeldError(sendKey, "Slack cannot say whether it was answered");
  }
  const posted = answerIn(thread, sendKey, trigger.identity);
  const log = { teamId, channelId, sendKey, claimedAt: held.claimedAt.toISOString() };
  if (posted) {
    await deps.botReplies.recordSent(teamId, sendKey, { replyTs: posted.ts });
    deps.logger.warn(
      { ...log, replyTs: posted.ts, marked: posted.metadata !== null },
      "stuck reply claim: the answer is in Slack; recorded, not posted again",
    );
    return false;
  }
  if (!(await deps.botReplies.takeOver(teamId, sendKey, leaseEnd))) {
    const now = await deps.botReplies.find(teamId, sendKey);
    if (now?.status === "sent") return false;
    throw new ReplyClaimHeldError(sendKey, "taken over by another retry");
  }
  deps.logger.warn(log, "stuck reply claim: not answered in Slack; answering now");
  return true;
}

/**
 * pup's answer under `sendKey` in the thread, if Slack shows one: a message of pup's marked
 * with the key, or one of pup's without any reply mark (a stream cut off before its stop, which
 * is where the mark goes): that may be this answer, and pup prefers silence to a second one.
 * pup's messages marked with another key answer other messages and do not count.
 */
function answerIn(
  thread: ThreadMessage[],
  sendKey: string,
  identity: BotIdentity,
): ThreadMessage | undefined {
  const pups = thread.filter((m) => m.userId === identity.userId || m.botId === identity.botId);
  return pups.find((m) => {
    if (m.metadata?.eventType !== REPLY_METADATA_EVENT_TYPE) return true;
    return m.metadata.payload.send_key === sendKey;
  });
}
