import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { offlineEmbedding } from "../../adapters/offline/embedder";
import { foldPlural, isQuestion, questionShape } from "./question-shape";
import { cosineSimilarity, wordOverlap } from "./question-similarity";
import {
  compareQuestions,
  DEFAULT_REPEAT_SETTINGS,
  findRepeat,
  type QuestionRecord,
} from "./repeat-question";

// The project default (EMBEDDING_DIMENSIONS in core/src/config/sections.ts).
const DIMENSIONS = 512;

interface LabelledPair {
  a: string;
  b: string;
  same: boolean;
}

const FIXTURE = join(import.meta.dir, "../../../../test/fixtures/personality/question-pairs.jsonl");
const pairs: LabelledPair[] = readFileSync(FIXTURE, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as LabelledPair);

const withVector = (text: string): QuestionRecord => ({
  text,
  vector: offlineEmbedding(text, DIMENSIONS),
});
const wordsOnly = (text: string): QuestionRecord => ({ text, vector: null });

/** Precision, recall and F1 of the detector over the labelled pairs, plus what it got wrong. */
function evaluate(record: (text: string) => QuestionRecord) {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const wrong: string[] = [];
  for (const pair of pairs) {
    const score = compareQuestions(record(pair.a), record(pair.b));
    if (score.repeated && pair.same) truePositives += 1;
    else if (score.repeated) falsePositives += 1;
    else if (pair.same) falseNegatives += 1;
    if (score.repeated !== pair.same) {
      const cosine = score.cosine === null ? "-" : score.cosine.toFixed(2);
      wrong.push(
        `${pair.same ? "missed" : "false alarm"}: "${pair.a}" / "${pair.b}" ` +
          `(cosine ${cosine}, overlap ${score.overlap.toFixed(2)})`,
      );
    }
  }
  const precision = truePositives / Math.max(1, truePositives + falsePositives);
  const recall = truePositives / Math.max(1, truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, wrong };
}

function report(label: string, result: ReturnType<typeof evaluate>): void {
  console.log(
    `${label}: ${pairs.length} pairs, precision ${result.precision.toFixed(3)}, ` +
      `recall ${result.recall.toFixed(3)}, F1 ${result.f1.toFixed(3)}`,
  );
  for (const line of result.wrong) console.log(`  ${line}`);
}

describe("repeated questions on the labelled pairs", () => {
  test("the set is large and balanced enough to mean something", () => {
    expect(pairs.length).toBeGreaterThanOrEqual(80);
    const same = pairs.filter((pair) => pair.same).length;
    expect(same / pairs.length).toBeGreaterThan(0.4);
    expect(same / pairs.length).toBeLessThan(0.6);
  });

  test("with offline embeddings: precision >= 0.9, recall >= 0.8", () => {
    const result = evaluate(withVector);
    report(`offline embedder (${DIMENSIONS} dimensions) + words`, result);
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
    expect(result.recall).toBeGreaterThanOrEqual(0.8);
  });

  test("with words alone (no vectors): precision >= 0.9, recall >= 0.8", () => {
    const result = evaluate(wordsOnly);
    report("words only", result);
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
    expect(result.recall).toBeGreaterThanOrEqual(0.8);
  });
});

describe("isQuestion", () => {
  const labelled: [string, boolean][] = [
    ["what's the wifi password", true],
    ["<@U0DEMOPUP1> where is the staging db", true],
    ["is the deploy freeze still on", true],
    ["remind me the zoom link for all hands", true],
    ["tell me the on-call phone number", true],
    ["do you know who owns billing", true],
    ["any idea where the brand assets live", true],
    ["hey pup, again: who is on call tonight", true],
    ["staging db hostname?", true],
    ["can I expense a monitor", true],
    ["thanks!", false],
    ["hi <@U0DEMOPUP1>", false],
    ["good morning team", false],
    ["the deploy is done", false],
    ["will do, thanks", false],
    ["would be great to ship this today", false],
    ["what a day", false],
    ["shipping the fix now <https://example.com/pr/1|pr 1>", false],
    ["", false],
    ["   ", false],
  ];
  for (const [text, expected] of labelled) {
    test(`${JSON.stringify(text)} -> ${expected}`, () => {
      expect(isQuestion(text)).toBe(expected);
    });
  }

  test("a question mark inside a link's address does not make a question", () => {
    expect(isQuestion("see <https://example.com/search?q=db|the results>")).toBe(false);
  });
});

describe("question shape and word overlap", () => {
  test("Slack markup is resolved: mentions dropped, links and channels read by their label", () => {
    const shape = questionShape("<@U0DEMOPUP1> where's the <#C123|release-notes> <http://x|doc>?");
    expect(shape.kind).toBe("place");
    expect([...shape.words].sort()).toEqual(["doc", "note", "release"]);
  });

  test("question words set the kind and are not content words", () => {
    expect(questionShape("what time is standup").kind).toBe("time");
    expect(questionShape("how many pto days").kind).toBe("amount");
    expect([...questionShape("how many pto days").words]).toEqual(["pto", "day"]);
    expect(questionShape("can you remind me when the demo is").kind).toBe("time");
    expect(questionShape("is the api down").kind).toBe("yes-no");
    expect(questionShape("can you share the roadmap").kind).toBeNull();
    expect(questionShape("what's the wifi password").kind).toBeNull();
  });

  test("plurals fold, short words and -ss words keep their s", () => {
    expect(foldPlural("reports")).toBe("report");
    expect(foldPlural("policies")).toBe("policy");
    expect(foldPlural("passes")).toBe("pass");
    expect(foldPlural("access")).toBe("access");
    expect(foldPlural("bus")).toBe("bus");
  });

  test("overlap counts the smaller set, tolerates one typo in long words, is 0 when empty", () => {
    expect(wordOverlap(new Set(["wifi", "password"]), new Set(["wifi", "password", "x"]))).toBe(1);
    expect(wordOverlap(new Set(["wifi", "pasword"]), new Set(["wifi", "password"]))).toBe(1);
    expect(wordOverlap(new Set(["db", "hostname"]), new Set(["db", "password"]))).toBe(0.5);
    expect(wordOverlap(new Set(), new Set(["db"]))).toBe(0);
  });
});

describe("compareQuestions", () => {
  test("same entity, different attribute is not a repeat; a rephrasing is", () => {
    const owner = compareQuestions(
      withVector("where is the staging db?"),
      withVector("who owns the staging db?"),
    );
    expect(owner.repeated).toBe(false);
    const wifi = compareQuestions(
      withVector("what's the wifi password"),
      withVector("remind me the wifi password?"),
    );
    expect(wifi.repeated).toBe(true);
    expect(wifi.cosine).not.toBeNull();
  });

  test("a missing or mismatched vector falls back to words, with cosine null", () => {
    const a = withVector("what's the wifi password");
    const b = wordsOnly("remind me the wifi password?");
    expect(compareQuestions(a, b)).toEqual({ cosine: null, overlap: 1, repeated: true });
    const short = { text: b.text, vector: [1, 0, 0] };
    expect(compareQuestions(a, short).cosine).toBeNull();
    expect(cosineSimilarity([0, 0], [1, 0])).toBeNull();
  });

  test("the cosine floor can veto a pair the words accept", () => {
    const a = { text: "what's the wifi password", vector: [1, 0] };
    const b = { text: "wifi password again?", vector: [0, 1] };
    expect(compareQuestions(a, b).repeated).toBe(false);
    expect(compareQuestions(a, b, { ...DEFAULT_REPEAT_SETTINGS, minCosine: -1 }).repeated).toBe(
      true,
    );
  });

  test("empty or stop-word-only text never repeats anything", () => {
    expect(compareQuestions(withVector(""), withVector("")).repeated).toBe(false);
    expect(compareQuestions(wordsOnly("what is it?"), wordsOnly("what is it?")).repeated).toBe(
      false,
    );
    expect(
      compareQuestions(wordsOnly("<@U0DEMOPUP1>"), wordsOnly("what's the wifi password")).overlap,
    ).toBe(0);
  });
});

describe("findRepeat", () => {
  const earlier = [
    { id: "1", ...withVector("who owns the staging db?") },
    { id: "2", ...withVector("what's the staging db hostname and port?") },
    { id: "3", ...withVector("what is the staging db hostname") },
    { id: "4", ...withVector("when is the holiday party?") },
  ];

  test("picks the closest earlier question that counts as a repeat", () => {
    const found = findRepeat(withVector("staging db hostname again?"), earlier);
    expect(found?.id).toBe("3");
    expect(found?.score.repeated).toBe(true);
    expect(found?.score.overlap).toBe(1);
  });

  test("null when nothing earlier is a repeat, or nothing came earlier", () => {
    expect(findRepeat(withVector("who maintains the staging db?"), earlier)).toBeNull();
    expect(findRepeat(withVector("what's the wifi password"), [])).toBeNull();
    expect(findRepeat(withVector(""), earlier)).toBeNull();
  });

  test("works on words alone when the vectors are missing", () => {
    const bare = earlier.map((question) => ({ ...question, vector: null }));
    expect(findRepeat(wordsOnly("what time is the holiday party"), bare)?.id).toBe("4");
  });
});
