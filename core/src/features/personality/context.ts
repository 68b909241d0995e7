/**
 * The context analyzer's last step: what one message (or one reaction to pup) says about how
 * people treat pup, as signals for the mood machine. Pure: the caller measures sentiment, looks
 * for an earlier asking and counts recent messages; this decides what they mean.
 */
import type { Mood } from "../../ports/slack-vocabulary";
import type { MoodSettings, MoodSignal, MoodSignalKind } from "./mood-machine";

/** What the analyzer found about a message addressed to pup. */
export interface MessageContext {
  /** The message's sentiment; `thanks` when it thanks or praises. */
  sentiment: { label: "positive" | "negative" | "neutral"; thanks: boolean };
  /** The same user asked the same thing before and pup answered it. */
  repeated: boolean;
  /** A reply in a thread pup has already answered in. */
  inPupThread: boolean;
  /** People's messages in this conversation within the engagement window, this one included. */
  recentMessages: number;
}

export interface EngagementSettings {
  /** A conversation with this many people's messages in the window counts as lively. */
  busyMessages: number;
}

export const DEFAULT_ENGAGEMENT_SETTINGS: Readonly<EngagementSettings> = Object.freeze({
  busyMessages: 6,
});

/**
 * One message, one signal, by precedence: asking again outweighs politeness ("thanks, but
 * where is the wiki again?" is still a repeat), warmth outweighs liveliness, and a message that
 * is none of these is ordinary talk (which is what calms an enthusiastic pup).
 */
export function messageSignals(
  context: MessageContext,
  at: number,
  messageTs: string,
  settings: EngagementSettings = DEFAULT_ENGAGEMENT_SETTINGS,
): MoodSignal[] {
  let kind: MoodSignalKind;
  if (context.repeated) kind = "repeated_question";
  else if (context.sentiment.thanks || context.sentiment.label === "positive") kind = "positive";
  else if (context.sentiment.label === "negative") kind = "negative";
  else if (context.inPupThread || context.recentMessages >= settings.busyMessages) {
    kind = "engagement";
  } else kind = "normal";
  return [{ kind, at, messageTs }];
}

/**
 * A person's reaction to one of pup's messages: always engagement (someone read it and cared);
 * a warm one (a heart, a thumbs up) is a positive interaction first, a cold one negative.
 */
export function reactionSignals(
  label: "positive" | "negative" | "neutral",
  at: number,
  messageTs: string,
): MoodSignal[] {
  const signals: MoodSignal[] = [];
  if (label === "positive") signals.push({ kind: "positive", at, messageTs });
  if (label === "negative") signals.push({ kind: "negative", at, messageTs });
  signals.push({ kind: "engagement", at, messageTs });
  return signals;
}

const MOODS: readonly Mood[] = ["neutral", "friendly", "sarcastic", "enthusiastic"];

/** A channel's tone rules as admins set them (`channels.tone_rules`). */
export interface ToneRules {
  /** Moods pup never enters in this channel. */
  forbidden: Mood[];
}

/** Reads stored tone rules, ignoring anything that is not a known mood (never throws). */
export function parseToneRules(value: unknown): ToneRules {
  const forbidden = (value as { forbidden?: unknown } | null)?.forbidden;
  if (!Array.isArray(forbidden)) return { forbidden: [] };
  // Neutral is where every mood settles: it cannot be forbidden.
  return { forbidden: MOODS.filter((mood) => mood !== "neutral" && forbidden.includes(mood)) };
}

/** The machine's settings in a channel: the operator's thresholds plus the channel's rules. */
export function channelMoodSettings(base: MoodSettings, rules: ToneRules): MoodSettings {
  const forbidden = [...new Set([...base.forbidden, ...rules.forbidden])];
  return { ...base, forbidden };
}
