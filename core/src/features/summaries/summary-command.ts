/**
 * `/pup summary` and the assistant's "catch me up": a summary of the last 24 hours written from
 * what the caller may see (the recall rule: a conversation's own messages, and public channels
 * for members, or only those a guest belongs to). The model's tokens count against the caller's
 * daily budget.
 */
import { replySendKey } from "../../ports/bot-reply-log";
import { SlackCallError } from "../../ports/slack-errors";
import { withTokenMeter } from "../limits";
import { placeName, recallAudience } from "../memory";
import type { SummariesDeps } from "./deps";
import { DAY_MS, writeSummary } from "./summarize";

export interface SummaryInvocation {
  teamId: string;
  userId: string;
  channelId: string;
  args: string;
}

export const NOTHING_TO_SUMMARISE = "Nothing was said here in the last 24 hours.";

/** `/pup summary`: this conversation's last 24 hours, answered privately (the router sends it). */
export const summaryCommand = {
  name: "summary",
  usage: "/pup summary",
  summary: "what was said in this conversation in the last 24 hours",
  async run(deps: SummariesDeps, invocation: SummaryInvocation): Promise<string> {
    const { teamId, userId, channelId } = invocation;
    const { memberOf } = await recallAudience(deps, { teamId, userId });
    const until = deps.now();
    const written = await writeSummary(
      withTokenMeter(deps, { teamId, userId }),
      {
        teamId,
        fromChannelId: channelId,
        onlyChannelId: channelId,
        ...(memberOf ? { memberOf } : {}),
      },
      new Date(until - DAY_MS),
      new Date(until),
      "in this conversation in the last 24 hours",
    );
    if (!written) return NOTHING_TO_SUMMARISE;
    const channel = await deps.directory.getChannel(teamId, channelId);
    const place = channel ? placeName(channel) : "this conversation";
    return `*The last 24 hours in ${place}*\n${written.text}`;
  },
};

/**
 * Whether an assistant thread message asks to be caught up: the suggested prompt's text, or
 * any message starting "catch me up" (case and surrounding punctuation aside).
 */
export function isCatchMeUp(text: string): boolean {
  return /^\W*catch me up\b/i.test(text.trim());
}

export interface CatchMeUpRequest {
  teamId: string;
  userId: string;
  /** The assistant thread's conversation (a DM with pup) and the message asking. */
  channelId: string;
  ts: string;
  threadTs: string;
  userTeamId?: string;
  eventId: string;
}

/**
 * Answers "catch me up" in an assistant thread with the last 24 hours of every conversation the
 * asker may see from there (private ones only their own DM, ADR-022), once (claimed like a reply).
 */
export async function catchMeUp(deps: SummariesDeps, request: CatchMeUpRequest): Promise<void> {
  const { teamId, userId, channelId } = request;
  const sendKey = replySendKey(channelId, request.ts);
  const claimed = await deps.botReplies.claim({
    teamId,
    sendKey,
    channelId,
    threadTs: request.threadTs,
    triggerEventId: request.eventId,
  });
  if (!claimed) {
    deps.logger.info({ teamId, channelId, sendKey }, "catch-up already answered; not again");
    return;
  }
  let text: string;
  try {
    const { memberOf } = await recallAudience(deps, {
      teamId,
      userId,
      ...(request.userTeamId ? { userTeamId: request.userTeamId } : {}),
    });
    const until = deps.now();
    const written = await writeSummary(
      withTokenMeter(deps, { teamId, userId }),
      { teamId, fromChannelId: channelId, ...(memberOf ? { memberOf } : {}) },
      new Date(until - DAY_MS),
      new Date(until),
      "across the workspace in the last 24 hours",
    );
    text = written
      ? `*The last 24 hours*\n${written.text}`
      : "Nothing was said that you can see in the last 24 hours.";
  } catch (error) {
    await deps.botReplies.recordFailed(teamId, sendKey, `catch-up failed: ${String(error)}`);
    throw error;
  }
  const target = {
    teamId,
    channelId,
    threadTs: request.threadTs,
    recipientUserId: userId,
    sendKey,
  };
  let replyTs: string;
  try {
    replyTs = (await deps.slack.post(target, text))[0]?.ts ?? "posted";
  } catch (error) {
    if (!(error instanceof SlackCallError && error.ambiguous)) {
      await deps.botReplies.recordFailed(teamId, sendKey, String(error));
      throw error;
    }
    // It may be showing: a second post would be the duplicate the claim exists to prevent.
    deps.logger.warn({ teamId, channelId, sendKey, err: error }, "catch-up outcome unknown");
    replyTs = "unconfirmed";
  }
  await deps.botReplies.recordSent(teamId, sendKey, { replyTs, model: deps.model.model });
}
