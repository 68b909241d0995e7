// What shapes pup's personality in a deployment: the persona (from its file), mood thresholds,
// the repeat and engagement rules, and how the mood shows on replies. Defaults live here.

import type { MoodTuning } from "../../config/mood-tuning";
import type { EngagementSettings } from "./context";
import { DEFAULT_ENGAGEMENT_SETTINGS } from "./context";
import { DEFAULT_MOOD_SETTINGS, type MoodSettings } from "./mood-machine";
import type { Persona } from "./persona";
import { DEFAULT_REPEAT_SETTINGS, type RepeatSettings } from "./repeat-question";

/** How pup shows its mood on a reply: a reaction, a small footer line, or not at all. */
export type MoodIndicator = "reaction" | "footer" | "off";

export interface PersonalitySettings {
  persona: Persona;
  /** The operator's thresholds and decay times; channels add their forbidden moods. */
  mood: MoodSettings;
  engagement: EngagementSettings;
  repeat: RepeatSettings;
  /** How far back an earlier asking of the same question is looked for. */
  repeatLookbackMs: number;
  indicator: MoodIndicator;
}

/** Everything but the persona (loaded from its file at start). */
export const DEFAULT_PERSONALITY_SETTINGS: Readonly<Omit<PersonalitySettings, "persona">> =
  Object.freeze({
    mood: DEFAULT_MOOD_SETTINGS,
    engagement: DEFAULT_ENGAGEMENT_SETTINGS,
    repeat: DEFAULT_REPEAT_SETTINGS,
    // A day: long enough to catch "what was the wifi password again?" after lunch.
    repeatLookbackMs: 24 * 60 * 60 * 1000,
    indicator: "reaction",
  });

/** The defaults with an operator's indicator and `PUP_MOOD_TUNING` applied. */
export function tunedPersonality(config: {
  indicator?: MoodIndicator | undefined;
  tuning?: MoodTuning | undefined;
}): Omit<PersonalitySettings, "persona"> {
  const { busyMessages, ...mood } = config.tuning ?? {};
  const defaults = DEFAULT_PERSONALITY_SETTINGS;
  return {
    ...defaults,
    mood: { ...defaults.mood, ...mood },
    engagement: { ...defaults.engagement, ...(busyMessages ? { busyMessages } : {}) },
    ...(config.indicator ? { indicator: config.indicator } : {}),
  };
}
