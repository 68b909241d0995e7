/**
 * Who pup is, read from a persona file: traits and rules that hold in every mood, and per-mood
 * styles that change only the tone. Pure: the file is read by an adapter
 * (core/src/adapters/persona-file.ts); this module checks its content and turns it into the
 * system-prompt text that buildPrompt receives.
 */
import * as v from "valibot";
import type { Mood } from "../../ports/slack-vocabulary";
import { PupError } from "../../shared/errors";

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

/** Starts the prompt line listing a mood's openers as a JSON array (the offline model reads it). */
export const OPENERS_LINE_PREFIX =
  "Openers that suit this mood (use one now and then, not always): ";

/** One problem in a persona file: where (`traits[2]`, `emoji.max`) and what. */
export interface PersonaProblem {
  path: string;
  message: string;
}

/** A persona file is unreadable or invalid; the message has one line per problem. */
export class PersonaError extends PupError {
  override readonly name: string = "PersonaError";
  readonly problems: readonly PersonaProblem[];

  constructor(label: string, problems: readonly PersonaProblem[]) {
    const lines = problems.map(
      (p) => `${label}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`,
    );
    super(lines.join("\n"), { code: "persona_invalid", retryable: false });
    this.problems = problems;
  }
}

/** Trimmed, with runs of whitespace (line breaks included) made one space. */
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function line(maxChars: number) {
  return v.pipe(
    v.string((issue) => `expected text, got ${issue.received}`),
    v.transform(oneLine),
    v.nonEmpty("must not be blank"),
    v.maxLength(
      maxChars,
      (issue) => `expected at most ${maxChars} characters, got ${issue.received}`,
    ),
  );
}

function list<T extends v.GenericSchema<unknown, string>>(item: T, min: number, max: number) {
  const what = min > 0 ? "a non-empty list" : "a list";
  return v.pipe(
    v.array(item, `expected ${what}`),
    v.minLength(min, `expected ${what}`),
    v.maxLength(max, (issue) => `expected at most ${max} items, got ${issue.received}`),
  );
}

/** `dog`, `:dog:`, `star-struck`, `+1`: stored without colons, as Slack's reactions API wants. */
const emojiName = v.pipe(
  v.string("expected a Slack emoji name"),
  v.transform((raw) => raw.trim().replace(/^:(.*):$/, "$1")),
  v.regex(
    new RegExp(`^[a-z0-9+'_-]{1,${PERSONA_LIMITS.emojiNameChars}}$`),
    (issue) =>
      `expected a Slack emoji name like "dog" or ":dog:", got ${JSON.stringify(issue.input)}`,
  ),
);

/** A strict object whose issues say "missing" or "unknown field" in plain words. */
function record<E extends v.ObjectEntries>(
  what: string,
  entries: E,
  hints: Record<string, string>,
) {
  const fields = Object.keys(entries);
  return v.strictObject(entries, (issue) => {
    if (issue.expected === "never") return `unknown field (expected one of ${fields.join(", ")})`;
    if (issue.received === "undefined" && issue.path) {
      const key = String(issue.path.at(-1)?.key);
      return `missing${hints[key] ? ` (expected ${hints[key]})` : ""}`;
    }
    return `expected ${what}`;
  });
}

const emojiMaxMessage = (issue: v.BaseIssue<unknown>) =>
  `expected a whole number from 0 to ${PERSONA_LIMITS.emojiMax}, got ${issue.received}`;

const moodOverride = record(
  "an object with style, openers and reaction",
  {
    style: v.optional(line(PERSONA_LIMITS.styleChars)),
    openers: v.optional(list(line(PERSONA_LIMITS.openerChars), 0, PERSONA_LIMITS.openers)),
    reaction: v.optional(v.nullable(emojiName)),
  },
  {},
);

const personaSchema = record(
  "a JSON object",
  {
    name: v.pipe(
      line(PERSONA_LIMITS.nameChars),
      // Blank is reported by line(); this only judges the characters of a non-blank name.
      v.regex(/^([\p{L}\p{N}][\p{L}\p{N} ._'-]*)?$/u, "expected letters, digits, spaces or ._'-"),
    ),
    traits: list(line(PERSONA_LIMITS.ruleChars), 1, PERSONA_LIMITS.traits),
    voice: line(PERSONA_LIMITS.voiceChars),
    do: list(line(PERSONA_LIMITS.ruleChars), 0, PERSONA_LIMITS.rules),
    dont: list(line(PERSONA_LIMITS.ruleChars), 0, PERSONA_LIMITS.rules),
    emoji: record(
      "an object with max and favourites",
      {
        max: v.pipe(
          v.number(emojiMaxMessage),
          v.integer(emojiMaxMessage),
          v.minValue(0, emojiMaxMessage),
          v.maxValue(PERSONA_LIMITS.emojiMax, emojiMaxMessage),
        ),
        favourites: v.optional(list(emojiName, 0, PERSONA_LIMITS.favourites), []),
      },
      { max: `a whole number from 0 to ${PERSONA_LIMITS.emojiMax}` },
    ),
    moods: v.optional(
      record(
        "an object keyed by mood",
        {
          neutral: v.optional(moodOverride),
          friendly: v.optional(moodOverride),
          sarcastic: v.optional(moodOverride),
          enthusiastic: v.optional(moodOverride),
        },
        {},
      ),
      {},
    ),
  },
  {
    name: "a short name",
    traits: "a non-empty list",
    voice: "text",
    do: "a list",
    dont: "a list",
    emoji: "an object with max and favourites",
  },
);

/** `moods.sarcastic.openers[0]`: object keys dotted, list positions in brackets. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let path = "";
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === "number") path += `[${key}]`;
    else path += path === "" ? String(key) : `.${String(key)}`;
  }
  return path;
}

/**
 * Checks a parsed persona file (any JSON value) and returns the persona.
 * @param label names the file in messages, e.g. `persona file core/persona/pup.json`.
 * @throws {PersonaError} listing every problem with its path.
 */
export function parsePersona(json: unknown, label = "persona file"): Persona {
  // valibot's object schemas accept arrays (they are objects); a list here is a mistake.
  if (Array.isArray(json)) {
    throw new PersonaError(label, [{ path: "", message: "expected a JSON object, got a list" }]);
  }
  const result = v.safeParse(personaSchema, json);
  if (!result.success) {
    throw new PersonaError(
      label,
      result.issues.map((issue) => ({ path: pathOf(issue), message: issue.message })),
    );
  }
  const { moods, ...rest } = result.output;
  const overrides: Persona["moods"] = {};
  for (const mood of MOODS) {
    const override = moods[mood];
    if (!override) continue;
    // Keep only the fields the file set, so the merge in moodStyle can tell them apart.
    overrides[mood] = Object.fromEntries(
      Object.entries(override).filter(([, value]) => value !== undefined),
    );
  }
  return { ...rest, moods: overrides };
}

/** The persona's style for `mood`: its overrides over {@link DEFAULT_MOOD_STYLES}. */
export function moodStyle(persona: Persona, mood: Mood): MoodStyle {
  return { ...DEFAULT_MOOD_STYLES[mood], ...persona.moods[mood] };
}

/** The mood pup shows under the channel's rules: a forbidden mood shows as neutral. */
export function allowedMood(mood: Mood, rules?: { forbidden: readonly Mood[] }): Mood {
  const forbidden = rules?.forbidden ?? [];
  return forbidden.includes(mood) && !forbidden.includes("neutral") ? "neutral" : mood;
}

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
