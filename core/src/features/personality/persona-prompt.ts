/**
 * The persona as system-prompt text: who pup is (name, traits, voice, rules, emoji habit) and the
 * style of the mood it shows, for buildPrompt.
 */
import type { Mood } from "../../ports/slack-vocabulary";
import { allowedMood, DEFAULT_MOOD_STYLES, moodStyle, type Persona } from "./persona";

/** Starts the prompt line listing a mood's openers as a JSON array (the offline model reads it). */
export const OPENERS_LINE_PREFIX =
  "Openers that suit this mood (use one now and then, not always): ";

/** The persona and mood texts for buildPrompt (spread them into its input). */
export interface ComposedPersona {
  persona: string;
  /** The mood actually shown (see {@link allowedMood}). */
  mood: Mood;
  moodStyle: string;
}

function emojiHabit(emoji: Persona["emoji"]): string {
  if (emoji.max === 0) return "Emoji: none, ever.";
  const count = emoji.max === 1 ? "at most one emoji per reply" : `at most ${emoji.max} per reply`;
  const favourites = emoji.favourites.map((name) => `:${name}:`).join(" ");
  return `Emoji: ${count}, often none${favourites ? `; favourites ${favourites}` : ""}.`;
}

/**
 * The text buildPrompt gets for one reply: the persona (name, traits, voice, rules, emoji habit)
 * and the mood's style, plus a line naming the tones this channel forbids. Traits and rules are
 * the same in every mood; only `moodStyle` changes with it.
 */
export function composeSystemPersona(
  persona: Persona,
  mood: Mood,
  rules?: { forbidden: readonly Mood[] },
): ComposedPersona {
  const bullets = (items: readonly string[]) => items.map((item) => `- ${item}`);
  const text = [
    `You are ${persona.name}. In every mood, this is who you are:`,
    ...bullets(persona.traits),
    `How you talk: ${persona.voice}`,
    ...(persona.do.length > 0 ? ["Always:", ...bullets(persona.do)] : []),
    ...(persona.dont.length > 0 ? ["Never:", ...bullets(persona.dont)] : []),
    emojiHabit(persona.emoji),
    "Your mood changes your tone, never who you are or these rules.",
  ];

  const shown = allowedMood(mood, rules);
  const style = moodStyle(persona, shown);
  const styleLines = [style.style];
  const forbidden = rules?.forbidden ?? [];
  if (forbidden.length > 0) {
    styleLines.push(
      `In this channel these tones are off-limits, whatever happens: ${forbidden.join(", ")}.`,
    );
  }
  // Written even when empty if the default has openers, so the offline model knows the persona
  // silenced them rather than falling back to the defaults.
  if (style.openers.length > 0 || DEFAULT_MOOD_STYLES[shown].openers.length > 0) {
    styleLines.push(`${OPENERS_LINE_PREFIX}${JSON.stringify(style.openers)}`);
  }
  return { persona: text.join("\n"), mood: shown, moodStyle: styleLines.join("\n") };
}
