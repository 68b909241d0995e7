/**
 * The mood machine's rules: which signals move which mood where (and after how many), and which
 * moods settle back after a quiet spell. Each rule carries the short, human reason the mood
 * history shows; those reasons name durations in whole units (formatDuration).
 */
import type { Mood } from "../../ports/slack-vocabulary";
import { HOUR, MINUTE, type MoodSettings } from "./mood-settings";
import type { MoodSignalKind } from "./mood-state";

export interface SignalRule {
  from: Mood;
  on: MoodSignalKind;
  to: Mood;
  needed: (s: MoodSettings) => number;
  reason: (count: number, s: MoodSettings) => string;
}

const thanked = (n: number) => (n === 1 ? "thanked" : `thanked ${n} times`);

export const SIGNAL_RULES: readonly SignalRule[] = [
  // Drawn in the design: thanks or praise warm a neutral pup.
  {
    from: "neutral",
    on: "positive",
    to: "friendly",
    needed: (s) => s.positiveToFriendly,
    reason: thanked,
  },
  // Drawn: being asked the same thing again wears its patience thin.
  {
    from: "neutral",
    on: "repeated_question",
    to: "sarcastic",
    needed: (s) => s.repeatsToSarcastic,
    reason: (n) =>
      n === 1 ? "asked the same question twice" : `asked the same question ${n + 1} times`,
  },
  // Drawn: a lively exchange lifts a friendly pup.
  {
    from: "friendly",
    on: "engagement",
    to: "enthusiastic",
    needed: (s) => s.engagementToEnthusiastic,
    reason: (n, s) => `${n} engaged replies within ${formatDuration(s.engagementWindowMs)}`,
  },
  // Drawn: ordinary talk brings an excited pup back down.
  {
    from: "enthusiastic",
    on: "normal",
    to: "friendly",
    needed: () => 1,
    reason: () => "back to ordinary talk",
  },
  // Added: staying snide after being thanked would read as rude, so thanks calm sarcasm.
  {
    from: "sarcastic",
    on: "positive",
    to: "neutral",
    needed: (s) => s.positiveToCalm,
    reason: thanked,
  },
];

export interface DecayRule {
  to: Mood;
  afterMs: (s: MoodSettings) => number;
  reason: (duration: string) => string;
  /** Signals that restart the decay clock; any signal when absent. */
  refreshedBy?: readonly MoodSignalKind[];
}

export const DECAY_RULES: Partial<Record<Mood, DecayRule>> = {
  // Drawn: sarcasm fades once people stop repeating themselves; ordinary chatter does not feed it.
  sarcastic: {
    to: "neutral",
    afterMs: (s) => s.sarcasticDecayMs,
    reason: (d) => `no repeated question for ${d}`,
    refreshedBy: ["repeated_question"],
  },
  // Added: excitement does not outlast a long silence; it settles to friendly first.
  enthusiastic: {
    to: "friendly",
    afterMs: (s) => s.enthusiasticDecayMs,
    reason: (d) => `quiet for ${d}`,
  },
  // Added: after a long silence pup greets people as it would anyone, not as old friends.
  friendly: { to: "neutral", afterMs: (s) => s.friendlyDecayMs, reason: (d) => `quiet for ${d}` },
};

/** "30 minutes", "1 hour", "24 hours": whole units read better in a history than raw ms. */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [
    [HOUR, "hour"],
    [MINUTE, "minute"],
    [1000, "second"],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${ms} ms`;
}
