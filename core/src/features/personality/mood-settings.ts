// How quickly pup's mood moves and settles, per channel: the thresholds and decay times the
// mood machine reads, with defaults chosen for a team chat (see each field).
import type { Mood } from "../../ports/slack-vocabulary";

/** Thresholds and decay times; per channel, so tone rules can differ between channels. */
export interface MoodSettings {
  /** Positive interactions within `positiveWindowMs` that make a neutral pup friendly. */
  positiveToFriendly: number;
  /** Positive interactions within `positiveWindowMs` that calm a sarcastic pup to neutral. */
  positiveToCalm: number;
  positiveWindowMs: number;
  /** Repeated questions within `repeatWindowMs` that make a neutral pup sarcastic. */
  repeatsToSarcastic: number;
  repeatWindowMs: number;
  /** Engaged replies within `engagementWindowMs` that make a friendly pup enthusiastic. */
  engagementToEnthusiastic: number;
  engagementWindowMs: number;
  /** Time without a repeated question after which sarcasm fades to neutral. */
  sarcasticDecayMs: number;
  /** Time without any signal after which friendliness fades to neutral. */
  friendlyDecayMs: number;
  /** Time without any signal after which enthusiasm fades to friendly. */
  enthusiasticDecayMs: number;
  /** Moods never entered here (e.g. no sarcasm in an incident channel). */
  forbidden: readonly Mood[];
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const DEFAULT_MOOD_SETTINGS: Readonly<MoodSettings> = Object.freeze({
  positiveToFriendly: 1,
  positiveToCalm: 1,
  positiveWindowMs: 10 * MINUTE,
  // Asking again once is normal (the answer was missed); a third time within the hour is not.
  repeatsToSarcastic: 2,
  repeatWindowMs: HOUR,
  engagementToEnthusiastic: 3,
  engagementWindowMs: 10 * MINUTE,
  sarcasticDecayMs: 30 * MINUTE,
  friendlyDecayMs: 24 * HOUR,
  enthusiasticDecayMs: 2 * HOUR,
  forbidden: [],
});
