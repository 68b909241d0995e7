/**
 * pup's reply to one message: claim the send key (so a duplicate delivery or a retried job never
 * posts twice), gather context, stream the model's answer into the thread, and record it. When
 * the model cannot answer, pup says so once per conversation in its own voice instead of hanging
 * or apologising on every message; the job itself does not fail (no retry storm).
 */

import { replySendKey } from "../../ports/bot-reply-log";
import type { TokenUsage } from "../../ports/language-model";
import type { PostedMessage, ReplyStream } from "../../ports/slack-gateway";
import { withoutPupMention } from "../../shared/incoming-message";
import { liveConversation, rememberShortTerm } from "../memory";
import { afterword, replyMood, showMood } from "../personality";
import type { ReplyDeps } from "./deps";
import type { ReplyRequest } from "./request";

export type { ReplyReason, ReplyRequest } from "./request";

import { claimReply } from "./claim-recovery";
import { giveUp, quietly } from "./give-up";
import { filterText } from "./output-filter";
import { promptFor } from "./prompt";

/** Answers one message once. Resolves when the reply is posted, skipped or given up on. */
export async function replyTo(deps: ReplyDeps, request: ReplyRequest): Promise<void> {
  const { message, identity } = request;
  const started = deps.now();
  const threadTs = message.threadTs ?? message.ts;
  const sendKey = replySendKey(message.channelId, message.ts);
  const claimed = await claimReply(
    deps,
    {
      teamId: message.teamId,
      sendKey,
      channelId: message.channelId,
      threadTs,
      triggerEventId: request.eventId,
    },
    { ts: message.ts, identity },
  );
  const log = { teamId: message.teamId, channelId: message.channelId, ts: message.ts, sendKey };
  if (!claimed) {
    deps.logger.info(log, "already answered (or being answered); not posting again");
    return;
  }
  const target = {
    teamId: message.teamId,
    channelId: message.channelId,
    threadTs,
    recipientUserId: message.userId,
    sendKey,
  };
  if (request.assistantThread) {
    await quietly(deps, () =>
      deps.slack.setAssistantStatus(message.teamId, message.channelId, threadTs, "is thinking…"),
    );
    if (message.threadTs !== null) {
      await quietly(deps, () =>
        deps.slack.setAssistantTitle(
          message.teamId,
          message.channelId,
          threadTs,
          withoutPupMention(message.text, identity.userId).slice(0, 60) || "Chat with pup",
        ),
      );
    }
  }

  // The thread, or the channel's recent messages: short-term memory, else PostgreSQL (the same).
  const conversation = await liveConversation(
    deps,
    { teamId: message.teamId, channelId: message.channelId, threadTs: message.threadTs },
    deps.reply.contextMessages + 1,
  );
  const mood = await replyMood(deps, request, conversation);
  const messages = await promptFor(deps, request, mood, conversation);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.reply.generationTimeoutMs);
  let stream: ReplyStream | undefined;
  let posted: PostedMessage[] = [];
  let usage: TokenUsage | null = null;
  let text = "";
  try {
    const answer = deps.model.stream({
      messages,
      maxTokens: deps.reply.maxReplyTokens,
      signal: controller.signal,
    });
    for await (const piece of answer) {
      if (piece === "") continue;
      stream ??= await deps.slack.openReply(target);
      text += piece;
      await stream.append(piece);
    }
    const result = await answer.result();
    usage = result.usage;
    if (!stream) {
      // An empty answer: say something rather than nothing.
      stream = await deps.slack.openReply(target);
      text = "…";
      await stream.append(text);
    }
    const extra = afterword(deps, mood);
    if (extra) {
      text += extra;
      await stream.append(extra);
    }
    posted = await stream.finish();
  } catch (error) {
    clearTimeout(timer);
    await giveUp(deps, request, { sendKey, threadTs, stream, error, partial: text });
    return;
  }
  clearTimeout(timer);

  const [first] = posted;
  if (!first) {
    await deps.botReplies.recordFailed(message.teamId, sendKey, "nothing was posted");
    return;
  }
  await deps.botReplies.recordSent(message.teamId, sendKey, {
    replyTs: first.ts,
    model: deps.model.model,
    promptTokens: usage?.promptTokens ?? null,
    completionTokens: usage?.completionTokens ?? null,
    latencyMs: deps.now() - started,
    mood: mood.mood,
  });
  // Remembered as Slack shows it: a canary or link the filter removed must not come back later.
  await rememberOwnReply(deps, request, threadTs, posted, filterText(text, deps.reply.output));
  await showMood(deps, message, first.ts, mood);
  deps.logger.info(
    {
      ...log,
      replyTs: first.ts,
      parts: posted.length,
      ms: deps.now() - started,
      reason: request.reason,
    },
    "replied",
  );
}

/** Stores pup's own reply so threads and later context include it (not recalled as a fact). */
async function rememberOwnReply(
  deps: ReplyDeps,
  request: ReplyRequest,
  threadTs: string,
  posted: PostedMessage[],
  text: string,
): Promise<void> {
  const [first] = posted;
  if (!first) return;
  const stored = await deps.messages.upsert({
    teamId: request.message.teamId,
    channelId: request.message.channelId,
    ts: first.ts,
    threadTs,
    userId: request.identity.userId,
    botId: request.identity.botId,
    text,
    visibility: request.channel.visibility,
    postedAt: new Date(deps.now()),
  });
  await rememberShortTerm(deps, request.message.teamId, request.message.channelId, [stored]);
}
