/**
 * The mood's part in one reply (features/reply/reply.ts): read and move the conversation's mood before the
 * prompt is built, add the link to an earlier answer (and the footer) after the model's words,
 * and put the mood's reaction on the posted reply.
 */

import type { DirectoryChannel } from "../../ports/directory";
import type { ShortTermMessage } from "../../ports/short-term-memory";
import type { BotIdentity } from "../../ports/slack-gateway";
import { type IncomingMessage, withoutPupMention } from "../../shared/incoming-message";
import { parseToneRules } from "./context";
import type { PersonalityDeps } from "./deps";
import { earlierAnswerLine, moodForMessage, type ReplyMood } from "./mood-signals";
import { allowedMood, moodStyle } from "./persona";

/** What of a reply request the mood reads. */
export interface MoodRequest {
  message: IncomingMessage;
  channel: DirectoryChannel;
  identity: BotIdentity;
  eventId: string;
  queryVector?: number[];
  inPupThread?: boolean;
}

/**
 * The conversation's mood after this message (features/personality/mood-signals.ts). A mood that cannot be read or
 * stored costs the mood, never the answer: pup answers in the persona's neutral voice.
 */
export async function replyMood(
  deps: PersonalityDeps,
  request: MoodRequest,
  conversation: readonly ShortTermMessage[],
): Promise<ReplyMood> {
  const { message, identity, channel } = request;
  try {
    return await moodForMessage(deps, {
      message,
      channel,
      asked: withoutPupMention(message.text, identity.userId),
      ...(request.queryVector ? { vector: request.queryVector } : {}),
      botUserId: identity.userId,
      inPupThread: request.inPupThread ?? false,
      eventId: request.eventId,
      conversation,
    });
  } catch (error) {
    deps.logger.warn(
      { err: error, teamId: message.teamId, channelId: message.channelId },
      "mood unavailable; answering in a neutral tone",
    );
    return {
      mood: "neutral",
      since: deps.now(),
      transitions: [],
      rules: parseToneRules(channel.toneRules),
    };
  }
}

/** What pup adds after the model's words: the link to its earlier answer, the mood footer. */
export function afterword(deps: PersonalityDeps, mood: ReplyMood): string {
  const parts: string[] = [];
  if (mood.earlierAnswer) {
    parts.push(earlierAnswerLine(mood.mood, mood.earlierAnswer.permalink));
  }
  if (deps.personality.indicator === "footer" && mood.mood !== "neutral") {
    parts.push(`_pup is feeling ${mood.mood}_`);
  }
  return parts.length > 0 ? `\n\n${parts.join("\n")}` : "";
}

/** The reaction showing the mood on the reply, when the operator chose reactions. */
export async function showMood(
  deps: PersonalityDeps,
  message: IncomingMessage,
  replyTs: string,
  mood: ReplyMood,
): Promise<void> {
  if (deps.personality.indicator !== "reaction") return;
  // A mood the channel forbids never shows (the machine does not enter one; this covers rules
  // changed since the mood was stored).
  const shown = allowedMood(mood.mood, mood.rules);
  const reaction = moodStyle(deps.personality.persona, shown).reaction;
  if (!reaction) return;
  try {
    await deps.slack.addReaction(message.teamId, message.channelId, replyTs, reaction);
  } catch (error) {
    // Polish: a reaction that cannot be added never costs the reply.
    deps.logger.warn({ err: error }, "optional Slack call failed");
  }
}
