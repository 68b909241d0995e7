/**
 * pup's mood as a pure state machine: signals read from a conversation move it between moods and
 * quiet lets it settle back. The clock is whatever time the caller passes in and the state is
 * plain JSON, so the same history always yields the same mood and the state can be stored
 * between messages. Time decay is applied lazily, when the next signal arrives or when asked.
 */
import type { Mood } from "../../ports/slack-vocabulary";
import { DECAY_RULES, formatDuration, SIGNAL_RULES } from "./mood-rules";
import { DEFAULT_MOOD_SETTINGS, type MoodSettings } from "./mood-settings";
import {
  emptyRecent,
  enter,
  isCounted,
  type MoodSignal,
  type MoodState,
  type MoodStep,
  type MoodTransition,
  remember,
} from "./mood-state";

export { formatDuration } from "./mood-rules";
export { DEFAULT_MOOD_SETTINGS, type MoodSettings } from "./mood-settings";
export {
  initialMoodState,
  type MoodSignal,
  type MoodSignalKind,
  type MoodState,
  type MoodStep,
  type MoodTransition,
  restoreMoodState,
} from "./mood-state";
export type { Mood };

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
