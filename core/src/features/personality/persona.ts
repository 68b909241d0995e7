/**
 * Who pup is: the persona's shape (traits and rules that hold in every mood, per-mood styles that
 * change only the tone), the default tones, and which style a mood gets. Reading a persona file
 * is persona-file-format.ts; the text buildPrompt receives is persona-prompt.ts.
 */
import type { Mood } from "../../ports/slack-vocabulary";

export const MOODS: readonly Mood[] = ["neutral", "friendly", "sarcastic", "enthusiastic"];

/** How one mood colours pup's replies. */
export interface MoodStyle {
  /** Prompt text describing the tone. */
  style: string;
  /** Lines the offline responder may open a reply with (and examples of tone for a model). */
  openers: readonly string[];
  /** Slack emoji name added as a reaction to a reply in this mood; null for none. */
  reaction: string | null;
}

export interface Persona {
  name: string;
  /** What holds in every mood. */
  traits: readonly string[];
  /** How pup talks. */
  voice: string;
  do: readonly string[];
  dont: readonly string[];
  /** `favourites` are emoji names without colons (`dog`, not `:dog:`). */
  emoji: { max: number; favourites: readonly string[] };
  /** Per-mood overrides; a missing field falls back to {@link DEFAULT_MOOD_STYLES}. */
  moods: Partial<Record<Mood, Partial<MoodStyle>>>;
}

/** Size limits: they keep the persona a few hundred tokens of every prompt. */
export const PERSONA_LIMITS = {
  nameChars: 40,
  traits: 10,
  ruleChars: 200,
  rules: 10,
  voiceChars: 400,
  styleChars: 400,
  openers: 8,
  openerChars: 120,
  emojiMax: 5,
  favourites: 8,
  emojiNameChars: 64,
} as const;

/** Tones for any persona; a persona file overrides them per mood. */
export const DEFAULT_MOOD_STYLES: Readonly<Record<Mood, MoodStyle>> = Object.freeze({
  neutral: {
    style: "Even and matter-of-fact: answer plainly, without fuss.",
    openers: [],
    reaction: null,
  },
  friendly: {
    style: "Warm and glad to help: a kind word is welcome, but the answer comes first.",
    openers: ["Happy to help!", "Good question!", "Sure thing!"],
    reaction: "slightly_smiling_face",
  },
  sarcastic: {
    style:
      "Dry and teasing, like someone asked one time too many. Never insulting and never " +
      "unhelpful: you still give the full answer.",
    openers: ["Ah, this again.", "Sure, one more time.", "Let me pretend this is new to me."],
    reaction: "smirk",
  },
  enthusiastic: {
    style: "Bright and eager: real excitement, an exclamation mark or two, and still brief.",
    openers: ["Ooh, I love this one!", "Yes! Got it!", "Oh, this is a good one!"],
    reaction: "star-struck",
  },
});

/** The persona's style for `mood`: its overrides over {@link DEFAULT_MOOD_STYLES}. */
export function moodStyle(persona: Persona, mood: Mood): MoodStyle {
  return { ...DEFAULT_MOOD_STYLES[mood], ...persona.moods[mood] };
}

/** The mood pup shows under the channel's rules: a forbidden mood shows as neutral. */
export function allowedMood(mood: Mood, rules?: { forbidden: readonly Mood[] }): Mood {
  const forbidden = rules?.forbidden ?? [];
  return forbidden.includes(mood) && !forbidden.includes("neutral") ? "neutral" : mood;
}
