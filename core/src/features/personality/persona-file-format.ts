/**
 * The persona file's format: checks the content of a parsed persona file (the file is read by an
 * adapter, core/src/adapters/fs/persona-file.ts) and turns it into a {@link Persona}, or a
 * {@link PersonaError} naming every problem with its path.
 */
import * as v from "valibot";
import { PupError } from "../../shared/errors";
import { MOODS, PERSONA_LIMITS, type Persona } from "./persona";

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
