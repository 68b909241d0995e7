/**
 * The context analyzer at work: for a message pup is about to answer, how is pup being treated
 * (sentiment, a question asked again, a lively conversation), what does that do to its mood, and
 * where is its earlier answer when the question is a repeat. Reactions to pup's own messages
 * count as engagement too. Mood styles, the persona and the channel's tone rules then shape the
 * reply (features/reply/reply.ts).
 */

import { replySendKey } from "../../ports/bot-reply-log";
import type { DirectoryChannel } from "../../ports/directory";
import type { ShortTermMessage } from "../../ports/short-term-memory";
import type { Mood } from "../../ports/slack-vocabulary";
import { type IncomingMessage, withoutPupMention } from "../../shared/incoming-message";
import {
  channelMoodSettings,
  messageSignals,
  parseToneRules,
  reactionSignals,
  type ToneRules,
} from "./context";
import type { PersonalityDeps } from "./deps";
import { currentMood, type MoodDeps, type MoodOutcome, type MoodScope, moveMood } from "./mood";
import { isQuestion } from "./question-shape";
import { compareQuestions } from "./repeat-question";
import { analyzeSentiment, reactionSentiment } from "./sentiment";

/** pup's earlier answer to the question being asked again. */
export interface EarlierAnswer {
  /** The earlier asking. */
  questionTs: string;
  /** pup's reply to it, and its link. */
  replyTs: string;
  permalink: string;
}

export interface ReplyMood extends MoodOutcome {
  rules: ToneRules;
  earlierAnswer?: EarlierAnswer;
}

/** Earlier messages of the same user looked at for a repeat (the newest this many). */
const REPEAT_CANDIDATES = 20;

export function moodScope(deps: Pick<PersonalityDeps, "personality">, channel: DirectoryChannel) {
  const rules = parseToneRules(channel.toneRules);
  const scope: MoodScope = {
    teamId: channel.teamId,
    channelId: channel.channelId,
    settings: channelMoodSettings(deps.personality.mood, rules),
  };
  return { scope, rules };
}

/**
 * pup's mood in a conversation now, for showing it (the demo page's badge): "neutral" for a
 * conversation pup has not seen yet, else the stored mood with any decay due applied.
 */
export async function moodOfConversation(
  deps: MoodDeps & Pick<PersonalityDeps, "directory" | "personality">,
  teamId: string,
  channelId: string,
): Promise<Mood> {
  const channel = await deps.directory.getChannel(teamId, channelId);
  if (!channel) return "neutral";
  return (await currentMood(deps, moodScope(deps, channel).scope)).mood;
}

/**
 * Reads what `message` says about how pup is treated, moves the conversation's mood and returns
 * it, with pup's earlier answer when this is a question the same person asked before.
 * `asked` is the text without pup's mention; `vector` its embedding when known.
 */
export async function moodForMessage(
  deps: PersonalityDeps,
  input: {
    message: IncomingMessage;
    channel: DirectoryChannel;
    asked: string;
    vector?: number[];
    botUserId: string;
    inPupThread: boolean;
    eventId: string;
    /** The live conversation (thread or channel) as the reply reads it, oldest first. */
    conversation: readonly ShortTermMessage[];
  },
): Promise<ReplyMood> {
  const { message } = input;
  const { scope, rules } = moodScope(deps, input.channel);
  const earlierAnswer = isQuestion(input.asked) ? await findEarlierAnswer(deps, input) : undefined;
  const recentMessages = countRecentMessages(
    input.conversation,
    message,
    input.botUserId,
    scope.settings.engagementWindowMs,
  );
  const sentiment = analyzeSentiment(input.asked);
  const signals = messageSignals(
    {
      sentiment,
      repeated: earlierAnswer !== undefined,
      inPupThread: input.inPupThread,
      recentMessages,
    },
    message.postedAt.getTime(),
    message.ts,
    deps.personality.engagement,
  );
  const outcome = await moveMood(deps, scope, signals, {
    eventId: input.eventId,
    userId: message.userId,
  });
  return { ...outcome, rules, ...(earlierAnswer ? { earlierAnswer } : {}) };
}

/**
 * A person's reaction to one of pup's messages. Handled once per event (a retried job or a
 * duplicate delivery must not count twice).
 */
export async function moodForReaction(
  deps: PersonalityDeps,
  input: {
    channel: DirectoryChannel;
    reaction: string;
    itemTs: string;
    at: number;
    eventId: string;
  },
): Promise<MoodOutcome | undefined> {
  const first = await deps.cache.setIfAbsent(`mood-event:${input.eventId}`, "1", 24 * 60 * 60);
  if (!first) return undefined;
  const { scope } = moodScope(deps, input.channel);
  const signals = reactionSignals(reactionSentiment(input.reaction), input.at, input.itemTs);
  return moveMood(deps, scope, signals, { eventId: input.eventId });
}

/**
 * The earliest question of the same person in this conversation, within the lookback, that asks
 * what `asked` asks and that pup answered (a question put to the team rather than to pup does
 * not make pup impatient).
 */
async function findEarlierAnswer(
  deps: PersonalityDeps,
  input: {
    message: IncomingMessage;
    asked: string;
    vector?: number[];
    botUserId: string;
  },
): Promise<EarlierAnswer | undefined> {
  const { message } = input;
  const since = new Date(deps.now() - deps.personality.repeatLookbackMs);
  const earlier = await deps.messages.recentFromUser(
    message.teamId,
    message.channelId,
    message.userId,
    since,
    REPEAT_CANDIDATES,
  );
  const question = { text: input.asked, vector: input.vector ?? null };
  // Oldest first: the first answer is the one to point to.
  for (const candidate of earlier.reverse()) {
    if (candidate.ts === message.ts || Number(candidate.ts) > Number(message.ts)) continue;
    const text = withoutPupMention(candidate.text, input.botUserId);
    if (!isQuestion(text)) continue;
    const score = compareQuestions(
      question,
      { text, vector: candidate.embedding },
      deps.personality.repeat,
    );
    if (!score.repeated) continue;
    const reply = await deps.botReplies.find(
      message.teamId,
      replySendKey(message.channelId, candidate.ts),
    );
    if (reply?.status !== "sent" || !reply.replyTs) continue;
    return {
      questionTs: candidate.ts,
      replyTs: reply.replyTs,
      permalink: deps.slack.permalink(message.teamId, message.channelId, reply.replyTs),
    };
  }
  return undefined;
}

/**
 * People's messages in the message's conversation (thread or channel) within the window, this
 * one included: the recent turns the reply reads anyway (20 by default), so a very busy
 * channel counts as busy without another read.
 */
function countRecentMessages(
  recent: readonly ShortTermMessage[],
  message: IncomingMessage,
  botUserId: string,
  windowMs: number,
): number {
  const from = message.postedAt.getTime() - windowMs;
  const others = recent.filter(
    (m) =>
      m.ts !== message.ts &&
      m.userId !== null &&
      m.userId !== botUserId &&
      m.botId === null &&
      m.postedAt.getTime() >= from,
  ).length;
  return others + 1;
}

/** Told to the model when the question is a repeat; pup adds the link itself (afterword). */
export const REPEAT_HINT =
  "This person asked you the same question before and you answered it; a link to that " +
  "answer is added under your reply. Answer again, briefly, and you may tease them about it.";

/**
 * The line under a reply to a repeated question, pointing to pup's first answer. Written by
 * pup rather than left to the model, so the link is always there and always right.
 */
export function earlierAnswerLine(mood: Mood, permalink: string): string {
  const link = `<${permalink}|my first answer>`;
  return mood === "sarcastic"
    ? `(We've been here before: ${link}.)`
    : `(You asked this before: ${link}.)`;
}
