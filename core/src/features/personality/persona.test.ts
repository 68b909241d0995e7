import { describe, expect, test } from "bun:test";
import pupFile from "../../../persona/pup.json";
import type { Mood } from "../../ports/slack-vocabulary";
import { buildPrompt, MOOD_LINE_PREFIX } from "../reply/build-prompt";
import { DEFAULT_MOOD_STYLES, MOODS, moodStyle, PERSONA_LIMITS } from "./persona";
import { PersonaError, parsePersona } from "./persona-file-format";
import { composeSystemPersona, OPENERS_LINE_PREFIX } from "./persona-prompt";

const valid = () => structuredClone(pupFile) as Record<string, unknown>;

/** The problem lines parsePersona reports for `json`. */
function problems(json: unknown): string[] {
  try {
    parsePersona(json);
  } catch (error) {
    if (error instanceof PersonaError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected a PersonaError");
}

describe("the committed persona file", () => {
  test("parses, with emoji shortcodes stored as names", () => {
    const persona = parsePersona(pupFile);
    expect(persona.name).toBe("pup");
    expect(persona.traits.length).toBeGreaterThanOrEqual(4);
    expect(persona.traits.join(" ")).toContain("private");
    expect(persona.emoji).toEqual({ max: 1, favourites: ["dog", "paw_prints", "bone"] });
    expect(persona.moods.sarcastic?.openers?.length).toBeGreaterThan(0);
  });

  test("the default styles give every mood a style, and a reaction outside neutral", () => {
    for (const mood of MOODS) expect(DEFAULT_MOOD_STYLES[mood].style.length).toBeGreaterThan(10);
    expect(DEFAULT_MOOD_STYLES.neutral).toMatchObject({ openers: [], reaction: null });
    expect(DEFAULT_MOOD_STYLES.sarcastic.reaction).toBe("smirk");
  });
});

describe("invalid persona files", () => {
  // Each case changes one field of the committed file (undefined removes it).
  const cases: [string, Record<string, unknown>, string][] = [
    ["empty traits", { traits: [] }, "traits: expected a non-empty list"],
    ["missing traits", { traits: undefined }, "traits: missing (expected a non-empty list)"],
    ["blank name", { name: "  " }, "name: must not be blank"],
    ["odd name", { name: "pup<script>" }, "name: expected letters, digits, spaces or ._'-"],
    ["long name", { name: "p".repeat(41) }, "name: expected at most 40 characters, got 41"],
    ["voice a number", { voice: 3 }, "voice: expected text, got 3"],
    ["do not a list", { do: "be nice" }, "do: expected a list"],
    ["blank dont rule", { dont: ["fine", " "] }, "dont[1]: must not be blank"],
    ["too many rules", { do: Array(11).fill("rule") }, "do: expected at most 10 items, got 11"],
    [
      "long trait",
      { traits: ["x".repeat(201)] },
      "traits[0]: expected at most 200 characters, got 201",
    ],
    ["emoji max 6", { emoji: { max: 6 } }, "emoji.max: expected a whole number from 0 to 5, got 6"],
    [
      "emoji max 1.5",
      { emoji: { max: 1.5 } },
      "emoji.max: expected a whole number from 0 to 5, got 1.5",
    ],
    [
      "bad favourite",
      { emoji: { max: 1, favourites: ["Dog face"] } },
      'emoji.favourites[0]: expected a Slack emoji name like "dog" or ":dog:", got "Dog face"',
    ],
    [
      "missing emoji",
      { emoji: undefined },
      "emoji: missing (expected an object with max and favourites)",
    ],
    [
      "unknown field",
      { trait: ["typo"] },
      "trait: unknown field (expected one of name, traits, voice, do, dont, emoji, moods)",
    ],
    [
      "unknown mood",
      { moods: { grumpy: {} } },
      "moods.grumpy: unknown field (expected one of neutral, friendly, sarcastic, enthusiastic)",
    ],
    [
      "blank mood style",
      { moods: { friendly: { style: "" } } },
      "moods.friendly.style: must not be blank",
    ],
    [
      "long opener",
      { moods: { friendly: { openers: ["o".repeat(121)] } } },
      "moods.friendly.openers[0]: expected at most 120 characters, got 121",
    ],
    [
      "bad reaction",
      { moods: { sarcastic: { reaction: "smirk face" } } },
      'moods.sarcastic.reaction: expected a Slack emoji name like "dog" or ":dog:", got "smirk face"',
    ],
  ];
  for (const [name, patch, expected] of cases) {
    test(`${name}: ${expected}`, () => {
      const json = { ...valid(), ...patch };
      for (const [key, value] of Object.entries(patch)) if (value === undefined) delete json[key];
      expect(problems(json)).toEqual([`persona file: ${expected}`]);
    });
  }

  test("every problem is reported at once, and a non-object is refused plainly", () => {
    const json = valid();
    json.traits = [];
    json.voice = "";
    (json.emoji as Record<string, unknown>).max = -1;
    expect(problems(json)).toEqual([
      "persona file: traits: expected a non-empty list",
      "persona file: voice: must not be blank",
      "persona file: emoji.max: expected a whole number from 0 to 5, got -1",
    ]);
    expect(problems(null)).toEqual(["persona file: expected a JSON object"]);
    expect(problems([])).toEqual(["persona file: expected a JSON object, got a list"]);
  });

  test("the error carries each problem's path and uses the given label", () => {
    try {
      parsePersona({ ...valid(), name: "" }, "persona file team.json");
      throw new Error("expected a PersonaError");
    } catch (error) {
      expect(error).toBeInstanceOf(PersonaError);
      expect((error as PersonaError).code).toBe("persona_invalid");
      expect((error as PersonaError).problems).toEqual([
        { path: "name", message: "must not be blank" },
      ]);
      expect((error as Error).message).toBe("persona file team.json: name: must not be blank");
    }
  });

  test("text is trimmed and line breaks become spaces, within the limits", () => {
    const persona = parsePersona({ ...valid(), voice: "  Short.\n  Plain.  " });
    expect(persona.voice).toBe("Short. Plain.");
    expect(PERSONA_LIMITS.emojiMax).toBe(5);
  });
});

describe("mood styles", () => {
  test("overrides replace only the fields they set; null silences a reaction", () => {
    const persona = parsePersona({
      ...valid(),
      moods: {
        sarcastic: { openers: ["Again?"] },
        friendly: { reaction: null, style: "Sunny." },
        enthusiastic: { reaction: ":tada:" },
      },
    });
    expect(moodStyle(persona, "sarcastic")).toEqual({
      ...DEFAULT_MOOD_STYLES.sarcastic,
      openers: ["Again?"],
    });
    expect(moodStyle(persona, "friendly")).toEqual({
      style: "Sunny.",
      openers: DEFAULT_MOOD_STYLES.friendly.openers,
      reaction: null,
    });
    expect(moodStyle(persona, "enthusiastic").reaction).toBe("tada");
    expect(moodStyle(persona, "neutral")).toEqual(DEFAULT_MOOD_STYLES.neutral);
  });
});

describe("composeSystemPersona", () => {
  const persona = parsePersona(pupFile);

  test("every mood keeps the traits, voice and rules; only the mood style changes", () => {
    const composed = MOODS.map((mood) => composeSystemPersona(persona, mood));
    for (const { persona: text } of composed) {
      for (const trait of persona.traits) expect(text).toContain(`- ${trait}`);
      for (const rule of [...persona.do, ...persona.dont]) expect(text).toContain(rule);
      expect(text).toContain(persona.voice);
      expect(text).toContain("at most one emoji per reply");
      expect(text).toContain(":dog:");
      expect(text).toBe(composed[0]?.persona ?? "");
    }
    expect(new Set(composed.map((c) => c.moodStyle)).size).toBe(MOODS.length);
    expect(composed.map((c) => c.mood)).toEqual([...MOODS]);
    const sarcastic = composeSystemPersona(persona, "sarcastic").moodStyle;
    expect(sarcastic).toContain(DEFAULT_MOOD_STYLES.sarcastic.style);
    expect(sarcastic).toContain(
      `${OPENERS_LINE_PREFIX}${JSON.stringify(persona.moods.sarcastic?.openers)}`,
    );
    expect(composeSystemPersona(persona, "neutral").moodStyle).not.toContain(OPENERS_LINE_PREFIX);
  });

  test("no emoji at all when the persona allows none", () => {
    const text = composeSystemPersona(
      parsePersona({ ...valid(), emoji: { max: 0, favourites: [":dog:"] } }),
      "friendly",
    ).persona;
    expect(text).toContain("Emoji: none, ever.");
    expect(text).not.toContain(":dog:");
  });

  test("forbidden tones get a line; a forbidden mood is shown as neutral", () => {
    const rules = { forbidden: ["sarcastic", "enthusiastic"] as Mood[] };
    const friendly = composeSystemPersona(persona, "friendly", rules);
    expect(friendly.mood).toBe("friendly");
    expect(friendly.moodStyle).toContain(
      "In this channel these tones are off-limits, whatever happens: sarcastic, enthusiastic.",
    );
    expect(composeSystemPersona(persona, "friendly").moodStyle).not.toContain("off-limits");
    const sarcastic = composeSystemPersona(persona, "sarcastic", rules);
    expect(sarcastic.mood).toBe("neutral");
    expect(sarcastic.moodStyle).toStartWith(DEFAULT_MOOD_STYLES.neutral.style);
    expect(sarcastic.moodStyle).toContain("off-limits");
  });

  test("a persona that silences a mood's openers says so with an empty list", () => {
    const quiet = parsePersona({ ...valid(), moods: { friendly: { openers: [] } } });
    expect(composeSystemPersona(quiet, "friendly").moodStyle).toContain(`${OPENERS_LINE_PREFIX}[]`);
  });

  test("buildPrompt takes the composed texts as they are", () => {
    const composed = composeSystemPersona(persona, "enthusiastic");
    const system =
      buildPrompt({
        ...composed,
        memories: [],
        conversation: [],
        message: { speaker: "Ana", text: "hi", place: "#general" },
      })[0]?.content ?? "";
    expect(system).toStartWith(composed.persona);
    expect(system).toContain(`${MOOD_LINE_PREFIX}enthusiastic. ${composed.moodStyle}`);
  });
});
