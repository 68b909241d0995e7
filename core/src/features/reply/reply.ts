/**
 * pup's reply to one message: claim the send key (so a duplicate delivery or a retried job never
 * posts twice), gather context, stream the model's answer into the thread, and record it. When
 * the model cannot answer, pup says so once per conversation in its own voice instead of hanging
 * or apologising on every message; the job itself does not fail (no retry storm).
 */

import { replySendKey } from "../../ports/bot-reply-log";
import type { DirectoryChannel } from "../../ports/directory";
import { ModelUnavailableError, type TokenUsage } from "../../ports/language-model";
import type { ShortTermMessage } from "../../ports/short-term-memory";
import { SlackCallError } from "../../ports/slack-errors";
import type { BotIdentity, PostedMessage, ReplyStream } from "../../ports/slack-gateway";
import { type IncomingMessage, withoutPupMention } from "../../shared/incoming-message";
import {
  liveConversation,
  placeName,
  recallMemories,
  rememberShortTerm,
  speakerNames,
} from "../memory";
import {
  afterword,
  composeSystemPersona,
  REPEAT_HINT,
  type ReplyMood,
  replyMood,
  showMood,
} from "../personality";
import { MODEL_DOWN_APOLOGY } from "./apology";
import { buildPrompt, type ConversationTurn } from "./build-prompt";
import type { ReplyDeps } from "./deps";

/** Why pup answers a message (CONTRACT.md "When pup answers"). */
export type ReplyReason = "mention" | "direct_message" | "thread_with_pup" | "assistant_thread";

export interface ReplyRequest {
  message: IncomingMessage;
  channel: DirectoryChannel;
  identity: BotIdentity;
  reason: ReplyReason;
  assistantThread: boolean;
  eventId: string;
  /** The message's own embedding, when the caller already has it (asks recall). */
  queryVector?: number[];
  /** A reply in a thread pup already answered in (engagement, for the mood). */
  inPupThread?: boolean;
}

/** Answers one message once. Resolves when the reply is posted, skipped or given up on. */
export async function replyTo(deps: ReplyDeps, request: ReplyRequest): Promise<void> {
  const { message, identity } = request;
  const started = deps.now();
  const threadTs = message.threadTs ?? message.ts;
  const sendKey = replySendKey(message.channelId, message.ts);
  const claimed = await deps.botReplies.claim({
    teamId: message.teamId,
    sendKey,
    channelId: message.channelId,
    threadTs,
    triggerEventId: request.eventId,
  });
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
  await rememberOwnReply(deps, request, threadTs, posted, text);
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

async function promptFor(
  deps: ReplyDeps,
  request: ReplyRequest,
  mood: ReplyMood,
  conversation: readonly ShortTermMessage[],
) {
  const { message, identity, channel } = request;
  const asked = withoutPupMention(message.text, identity.userId);
  const earlier = conversation
    .filter((m) => m.ts !== message.ts)
    .slice(-deps.reply.contextMessages);
  const memories = await recallMemories(deps, {
    teamId: message.teamId,
    channelId: message.channelId,
    query: asked,
    exclude: new Set([message.ts, ...earlier.map((m) => m.ts)]),
    botUserId: identity.userId,
    ...(request.queryVector ? { vector: request.queryVector } : {}),
  });
  const names = await speakerNames(deps, message.teamId, [
    message.userId,
    ...earlier.map((m) => m.userId ?? ""),
  ]);
  const turns: ConversationTurn[] = earlier.map((m) => ({
    speaker: m.userId ? (names.get(m.userId) ?? m.userId) : "someone",
    fromPup: m.userId === identity.userId,
    text: withoutPupMention(m.text, identity.userId),
  }));
  const [aboutAuthor, summary] = await Promise.all([
    deps.derived.factsAbout(
      message.teamId,
      message.userId,
      message.channelId,
      deps.reply.authorFacts,
    ),
    deps.derived.latestSummary(message.teamId, message.channelId),
  ]);
  const composed = composeSystemPersona(deps.personality.persona, mood.mood, mood.rules);
  return buildPrompt({
    persona: composed.persona,
    mood: composed.mood,
    moodStyle: mood.earlierAnswer ? `${composed.moodStyle}\n${REPEAT_HINT}` : composed.moodStyle,
    memories,
    conversation: turns,
    aboutAuthor,
    ...(summary ? { summary } : {}),
    now: new Date(deps.now()),
    message: {
      speaker: names.get(message.userId) ?? message.userId,
      text: asked || "(just mentioned you)",
      place: placeName(channel),
    },
    budgets: { memoryTokens: deps.reply.memoryTokens },
  });
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

async function giveUp(
  deps: ReplyDeps,
  request: ReplyRequest,
  state: {
    sendKey: string;
    threadTs: string;
    stream: ReplyStream | undefined;
    error: unknown;
    partial: string;
  },
): Promise<void> {
  const { message } = request;
  const reason =
    state.error instanceof ModelUnavailableError
      ? state.error.reason
      : state.error instanceof Error && state.error.name === "AbortError"
        ? "timeout"
        : "error";
  const log = { teamId: message.teamId, channelId: message.channelId, ts: message.ts, reason };
  if (state.stream || isAmbiguous(state.error)) {
    // Part of the answer may already be in Slack: end it there and keep what was said. The
    // claim stays (neither sent nor failed), so no retry can post the answer a second time.
    deps.logger.warn({ ...log, err: state.error }, "reply cut short; not retried");
    await quietly(deps, () => state.stream?.abort(reason) ?? Promise.resolve());
    return;
  }
  if (!(state.error instanceof ModelUnavailableError) && reason === "error") {
    // Not the model, and known not to have posted (a storage or Slack failure before the
    // first message): release the key and let the job retry.
    await deps.botReplies.recordFailed(message.teamId, state.sendKey, String(state.error));
    throw state.error;
  }
  deps.logger.warn({ ...log, err: state.error }, "model unavailable");
  // One apology per conversation (the channel or DM), not per thread: an outage must not make
  // pup answer every mention with the same excuse.
  const conversation = `${message.teamId}:${message.channelId}`;
  const firstApology = await deps.cache.setIfAbsent(
    `apology:${conversation}`,
    "1",
    deps.reply.apologyWindowSeconds,
  );
  if (!firstApology) {
    await deps.botReplies.recordFailed(message.teamId, state.sendKey, `model ${reason}; quiet`);
    return;
  }
  const posted = await deps.slack.post(
    {
      teamId: message.teamId,
      channelId: message.channelId,
      threadTs: state.threadTs,
      recipientUserId: message.userId,
    },
    MODEL_DOWN_APOLOGY,
  );
  const [first] = posted;
  await deps.botReplies.recordSent(message.teamId, state.sendKey, {
    replyTs: first?.ts ?? "unknown",
    model: null,
    mood: "neutral",
  });
}

/** A Slack call whose request went out but whose answer never came back (it may have acted). */
function isAmbiguous(error: unknown): boolean {
  return error instanceof SlackCallError && error.ambiguous;
}

/** Polish (assistant status, titles) must never cost the answer itself. */
async function quietly(deps: ReplyDeps, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    deps.logger.warn({ err: error }, "optional Slack call failed");
  }
}
