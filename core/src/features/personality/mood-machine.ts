/**
 * pup's mood as a pure state machine: signals read from a conversation move it between moods and
 * quiet lets it settle back. The clock is whatever time the caller passes in and the state is
 * plain JSON, so the same history always yields the same mood and the state can be stored
 * between messages. Time decay is applied lazily, when the next signal arrives or when asked.
 */
import type { Mood } from "../../ports/slack-vocabulary";
import { DEFAULT_MOOD_SETTINGS, HOUR, MINUTE, type MoodSettings } from "./mood-settings";

export { DEFAULT_MOOD_SETTINGS, type MoodSettings } from "./mood-settings";
export type { Mood };

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

type CountedKind = "positive" | "repeated_question" | "engagement";

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

interface SignalRule {
  from: Mood;
  on: MoodSignalKind;
  to: Mood;
  needed: (s: MoodSettings) => number;
  reason: (count: number, s: MoodSettings) => string;
}

const thanked = (n: number) => (n === 1 ? "thanked" : `thanked ${n} times`);

const SIGNAL_RULES: readonly SignalRule[] = [
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

interface DecayRule {
  to: Mood;
  afterMs: (s: MoodSettings) => number;
  reason: (duration: string) => string;
  /** Signals that restart the decay clock; any signal when absent. */
  refreshedBy?: readonly MoodSignalKind[];
}

const DECAY_RULES: Partial<Record<Mood, DecayRule>> = {
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

const emptyRecent = (): Record<CountedKind, number[]> => ({
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

/** Applies every time decay due by `now`, each at the moment it fell due. */
export function decay(
  state: MoodState,
  now: number,
  settings: MoodSettings = DEFAULT_MOOD_SETTINGS,
): MoodStep {
  const transitions: MoodTransition[] = [];
  const suppressed: MoodTransition[] = [];
  let current = state;
  // The channel's rules may have changed since this state was stored: leave a forbidden mood.
  if (settings.forbidden.includes(current.mood) && !settings.forbidden.includes("neutral")) {
    transitions.push({ from: current.mood, to: "neutral", reason: "not allowed here", at: now });
    current = enter("neutral", now);
  }
  // Decay rules form chains without cycles (enthusiastic -> friendly -> neutral), so this ends.
  for (let rule = DECAY_RULES[current.mood]; rule; rule = DECAY_RULES[current.mood]) {
    const afterMs = rule.afterMs(settings);
    const due = current.decayFrom + afterMs;
    if (now < due) break;
    const change = {
      from: current.mood,
      to: rule.to,
      reason: rule.reason(formatDuration(afterMs)),
      at: due,
    };
    if (settings.forbidden.includes(rule.to)) {
      // Restart the clock so the suppression is recorded once per decay period, not every call.
      suppressed.push(change);
      current = { ...current, decayFrom: due };
      break;
    }
    transitions.push(change);
    current = enter(rule.to, due);
  }
  return { state: current, transitions, suppressed };
}

/** Settles any decay due by the signal's time, then applies the signal. */
export function step(
  state: MoodState,
  signal: MoodSignal,
  settings: MoodSettings = DEFAULT_MOOD_SETTINGS,
): MoodStep {
  // Retried or reordered deliveries must not move the clocks backwards.
  const at = Math.max(signal.at, state.decayFrom);
  const settled = decay(state, at, settings);
  const { transitions, suppressed } = settled;
  const refreshing = DECAY_RULES[settled.state.mood]?.refreshedBy;
  let current: MoodState = {
    ...settled.state,
    recent: remember(settled.state.recent, signal.kind, at, settings),
    decayFrom: !refreshing || refreshing.includes(signal.kind) ? at : settled.state.decayFrom,
  };
  const rule = SIGNAL_RULES.find((r) => r.from === current.mood && r.on === signal.kind);
  if (rule) {
    const count = isCounted(signal.kind) ? current.recent[signal.kind].length : 1;
    if (count >= rule.needed(settings)) {
      const change: MoodTransition = {
        from: current.mood,
        to: rule.to,
        reason: rule.reason(count, settings),
        at,
      };
      if (signal.messageTs !== undefined) change.messageTs = signal.messageTs;
      if (settings.forbidden.includes(rule.to)) {
        // The attempt uses up its streak, so the next suppression needs a fresh one.
        suppressed.push(change);
        current = { ...current, recent: emptyRecent() };
      } else {
        transitions.push(change);
        current = enter(rule.to, at);
      }
    }
  }
  return { state: current, transitions, suppressed };
}

function enter(mood: Mood, at: number): MoodState {
  return { mood, since: at, decayFrom: at, recent: emptyRecent() };
}

function isCounted(kind: MoodSignalKind): kind is CountedKind {
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

function remember(
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
