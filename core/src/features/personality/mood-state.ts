/**
 * The mood machine's vocabulary and state: the signals a conversation gives, the plain-JSON state
 * it keeps between messages (the mood, its clocks, recent counted signals), the transitions it
 * reports, and how a stored state is read back. The rules are mood-rules.ts; stepping is
 * mood-machine.ts.
 */
import type { Mood } from "../../ports/slack-vocabulary";
import type { MoodSettings } from "./mood-settings";

export type MoodSignalKind =
  | "positive"
  | "negative"
  | "normal"
  | "repeated_question"
  | "engagement";

/** Something that happened in the conversation, at `at` (unix ms). */
export interface MoodSignal {
  kind: MoodSignalKind;
  at: number;
  /** The Slack message that caused it, carried into the transition for the history. */
  messageTs?: string;
}

export type CountedKind = "positive" | "repeated_question" | "engagement";

export interface MoodState {
  mood: Mood;
  /** When the current mood was entered. */
  since: number;
  /** Where the current mood's decay clock starts: entry, or the latest signal that refreshes it. */
  decayFrom: number;
  /** Times of recent signals that count towards a threshold; cleared on every transition. */
  recent: Record<CountedKind, number[]>;
}

export interface MoodTransition {
  from: Mood;
  to: Mood;
  /** Short and human, for the mood history ("thanked 3 times", "quiet for 24 hours"). */
  reason: string;
  at: number;
  messageTs?: string;
}

export interface MoodStep {
  state: MoodState;
  /** Oldest first; a signal can follow a decay, so one step may hold two. */
  transitions: MoodTransition[];
  /** Transitions that would have happened but led into a forbidden mood. */
  suppressed: MoodTransition[];
}

export const emptyRecent = (): Record<CountedKind, number[]> => ({
  positive: [],
  repeated_question: [],
  engagement: [],
});

export function initialMoodState(at: number): MoodState {
  return { mood: "neutral", since: at, decayFrom: at, recent: emptyRecent() };
}

const MOODS: readonly Mood[] = ["neutral", "friendly", "sarcastic", "enthusiastic"];

/**
 * A stored state read back (from PostgreSQL or a cache); undefined when it is not one this
 * machine wrote (another version's format, a hand edit), so the caller can start afresh.
 */
export function restoreMoodState(value: unknown): MoodState | undefined {
  const v = value as Partial<MoodState> | null;
  const times = (list: unknown) =>
    Array.isArray(list) && list.every((t) => Number.isFinite(t)) ? (list as number[]) : undefined;
  if (
    typeof v !== "object" ||
    v === null ||
    !MOODS.includes(v.mood as Mood) ||
    !Number.isFinite(v.since) ||
    !Number.isFinite(v.decayFrom)
  ) {
    return undefined;
  }
  const recent = emptyRecent();
  for (const kind of Object.keys(recent) as CountedKind[]) {
    const list = times((v.recent as Record<string, unknown> | undefined)?.[kind]);
    if (!list) return undefined;
    recent[kind] = [...list];
  }
  return {
    mood: v.mood as Mood,
    since: v.since as number,
    decayFrom: v.decayFrom as number,
    recent,
  };
}

export function enter(mood: Mood, at: number): MoodState {
  return { mood, since: at, decayFrom: at, recent: emptyRecent() };
}

export function isCounted(kind: MoodSignalKind): kind is CountedKind {
  return kind === "positive" || kind === "repeated_question" || kind === "engagement";
}

const WINDOW: Record<CountedKind, (s: MoodSettings) => number> = {
  positive: (s) => s.positiveWindowMs,
  repeated_question: (s) => s.repeatWindowMs,
  engagement: (s) => s.engagementWindowMs,
};

// Only the largest threshold's worth of times is kept, so the state stays small under floods.
const KEEP: Record<CountedKind, (s: MoodSettings) => number> = {
  positive: (s) => Math.max(s.positiveToFriendly, s.positiveToCalm),
  repeated_question: (s) => s.repeatsToSarcastic,
  engagement: (s) => s.engagementToEnthusiastic,
};

export function remember(
  recent: MoodState["recent"],
  kind: MoodSignalKind,
  at: number,
  settings: MoodSettings,
): MoodState["recent"] {
  const next = emptyRecent();
  for (const k of Object.keys(next) as CountedKind[]) {
    const times = recent[k].filter((t) => at - t < WINDOW[k](settings));
    if (k === kind) times.push(at);
    next[k] = times.slice(-Math.max(1, KEEP[k](settings)));
  }
  return next;
}
