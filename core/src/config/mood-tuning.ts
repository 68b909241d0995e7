/**
 * `PUP_MOOD_TUNING`: an operator's changes to how quickly pup's mood moves and settles, as
 * comma-separated `name=value` pairs, e.g. `positiveToFriendly=2,sarcasticDecay=45m`. Counts are
 * whole numbers; windows and decays are durations (`90s`, `30m`, `2h`, `1d`). Anything left out
 * keeps its default (core/src/features/personality/mood-settings.ts).
 */
import type { ValueParser } from "./fields";

const COUNTS = {
  positiveToFriendly: [1, 100],
  positiveToCalm: [1, 100],
  repeatsToSarcastic: [1, 100],
  engagementToEnthusiastic: [1, 100],
  // The reply reads the latest 21 turns of a conversation: more could never be counted.
  busyMessages: [1, 20],
} as const;

const DURATIONS = {
  positiveWindow: "positiveWindowMs",
  repeatWindow: "repeatWindowMs",
  engagementWindow: "engagementWindowMs",
  sarcasticDecay: "sarcasticDecayMs",
  friendlyDecay: "friendlyDecayMs",
  enthusiasticDecay: "enthusiasticDecayMs",
} as const;

type CountName = keyof typeof COUNTS;
type DurationField = (typeof DURATIONS)[keyof typeof DURATIONS];

/** The tuned values, in the mood machine's and the engagement rule's own field names. */
export type MoodTuning = Partial<Record<CountName | DurationField, number>>;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_DURATION_MS = 30 * UNIT_MS.d;

function duration(value: string): number | undefined {
  const match = /^(\d+)(s|m|h|d)$/.exec(value);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms >= 1000 && ms <= MAX_DURATION_MS ? ms : undefined;
}

export const moodTuning: ValueParser<MoodTuning> = {
  expects: "name=value pairs, e.g. positiveToFriendly=2,sarcasticDecay=45m",
  parse(raw) {
    const tuning: MoodTuning = {};
    const problems: string[] = [];
    for (const pair of raw
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const [name = "", value = "", ...extra] = pair.split("=").map((part) => part.trim());
      if (extra.length > 0 || value === "") {
        problems.push(`"${pair}" is not name=value`);
      } else if (name in COUNTS) {
        const [min, max] = COUNTS[name as CountName];
        const n = Number(value);
        if (/^\d+$/.test(value) && n >= min && n <= max) tuning[name as CountName] = n;
        else problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
      } else if (name in DURATIONS) {
        const ms = duration(value);
        if (ms !== undefined) tuning[DURATIONS[name as keyof typeof DURATIONS]] = ms;
        else
          problems.push(
            `${name} must be a duration from 1s to 30d (90s, 30m, 2h, 1d), got "${value}"`,
          );
      } else {
        const known = [...Object.keys(COUNTS), ...Object.keys(DURATIONS)].join(", ");
        problems.push(`unknown name "${name}" (known: ${known})`);
      }
    }
    return problems.length > 0
      ? { ok: false, problem: problems.join("; ") }
      : { ok: true, value: tuning };
  },
};
