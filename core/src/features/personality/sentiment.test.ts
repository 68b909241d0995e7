import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import SentimentAnalyzer from "sentiment";
import { analyzeSentiment, reactionSentiment, type SentimentLabel } from "./sentiment";

const FIXTURE = join(import.meta.dir, "../../../../test/fixtures/personality/sentiment.jsonl");
const LABELS: SentimentLabel[] = ["positive", "negative", "neutral"];

interface Labelled {
  text: string;
  label: SentimentLabel;
  thanks: boolean;
}

async function loadSet(): Promise<Labelled[]> {
  const lines = (await Bun.file(FIXTURE).text()).split("\n").filter((line) => line.trim() !== "");
  return lines.map((line) => JSON.parse(line) as Labelled);
}

describe("the labelled Slack set", () => {
  test("is well formed, large enough and roughly balanced", async () => {
    const set = await loadSet();
    expect(set.length).toBeGreaterThanOrEqual(120);
    for (const row of set) {
      expect(typeof row.text).toBe("string");
      expect(LABELS).toContain(row.label);
      expect(typeof row.thanks).toBe("boolean");
    }
    for (const label of LABELS) {
      const share = set.filter((row) => row.label === label).length / set.length;
      expect(share).toBeGreaterThan(0.25);
    }
  });

  test("labels at least 90% right overall and 85% of each label, thanks 95%", async () => {
    const set = await loadSet();
    // confusion[truth][predicted]
    const confusion = Object.fromEntries(
      LABELS.map((truth) => [truth, Object.fromEntries(LABELS.map((p) => [p, 0]))]),
    ) as Record<SentimentLabel, Record<SentimentLabel, number>>;
    let labelHits = 0;
    let thanksHits = 0;
    const misses: string[] = [];
    for (const row of set) {
      const result = analyzeSentiment(row.text);
      confusion[row.label][result.label] += 1;
      if (result.label === row.label) labelHits += 1;
      else misses.push(`  ${row.label} read as ${result.label}: ${JSON.stringify(row.text)}`);
      if (result.thanks === row.thanks) thanksHits += 1;
      else
        misses.push(`  thanks ${row.thanks} read as ${result.thanks}: ${JSON.stringify(row.text)}`);
    }
    const accuracy = labelHits / set.length;
    const thanksAccuracy = thanksHits / set.length;
    const recall = (label: SentimentLabel) =>
      confusion[label][label] / LABELS.reduce((sum, p) => sum + confusion[label][p], 0);
    const table = [
      `truth \\ predicted  ${LABELS.map((l) => l.padStart(8)).join(" ")}   recall`,
      ...LABELS.map(
        (truth) =>
          `${truth.padEnd(18)} ${LABELS.map((p) => String(confusion[truth][p]).padStart(8)).join(" ")}   ${recall(truth).toFixed(3)}`,
      ),
    ];
    console.log(
      [
        `sentiment: ${set.length} messages, accuracy ${accuracy.toFixed(3)}, thanks accuracy ${thanksAccuracy.toFixed(3)}`,
        ...table,
        ...(misses.length > 0 ? ["misses:", ...misses] : []),
      ].join("\n"),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    for (const label of LABELS) expect(recall(label)).toBeGreaterThanOrEqual(0.85);
    expect(thanksAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe("analyzeSentiment", () => {
  test("thanking pup is positive with thanks, however it is said", () => {
    for (const text of [
      "<@U0DEMOPUP1> thanks!",
      "ty",
      "thx pup",
      "Thank you!",
      "cheers <@U0DEMOPUP1>",
      "appreciate it",
      "good boy",
      "you’re the best",
      ":pray:",
      "kudos pup",
    ]) {
      expect({ text, ...analyzeSentiment(text) }).toMatchObject({
        text,
        label: "positive",
        thanks: true,
      });
    }
  });

  test("refusals and sarcasm are not thanks", () => {
    expect(analyzeSentiment("no thanks, I'll do it myself").thanks).toBe(false);
    expect(analyzeSentiment("thanks for nothing")).toMatchObject({
      label: "negative",
      thanks: false,
    });
  });

  test("a thanks outweighs a mild complaint but not a strong one", () => {
    expect(analyzeSentiment("thanks, though it was a bit slow").label).toBe("positive");
    expect(analyzeSentiment("thanks, but this answer is terrible and wrong").label).toBe(
      "negative",
    );
  });

  test("mentions, channel names, link labels and code carry no sentiment", () => {
    expect(analyzeSentiment("<@U0DEMOPUP1>").label).toBe("neutral");
    expect(analyzeSentiment("drafts go in <#C0123ABCD|awful-ideas>").label).toBe("neutral");
    expect(
      analyzeSentiment("read <https://example.com/pm|the terrible outage post-mortem>"),
    ).toEqual({ label: "neutral", score: 0, thanks: false });
    expect(analyzeSentiment("`assert.fail()` is called twice").label).toBe("neutral");
    expect(analyzeSentiment("```\nFATAL error: crash, killed, failed\n```").label).toBe("neutral");
    expect(analyzeSentiment("see https://example.com/worst-bug-ever").label).toBe("neutral");
    // The same words outside markup do count, so the stripping is what made them neutral.
    expect(analyzeSentiment("the terrible outage").label).toBe("negative");
  });

  test("Slack emoji shortcodes, Unicode emoji and emoticons are scored", () => {
    expect(analyzeSentiment(":tada:").label).toBe("positive");
    expect(analyzeSentiment(":+1::skin-tone-3:").label).toBe("positive");
    expect(analyzeSentiment(":heart:").label).toBe("positive");
    expect(analyzeSentiment(":rage:").label).toBe("negative");
    expect(analyzeSentiment(":-1: no").label).toBe("negative");
    expect(analyzeSentiment(":sob:").label).toBe("negative");
    expect(analyzeSentiment(":custom-party-blob:").label).toBe("neutral");
    expect(analyzeSentiment("🎉🎉").label).toBe("positive");
    expect(analyzeSentiment("shipped!❤️").label).toBe("positive");
    expect(analyzeSentiment("shipped :)").label).toBe("positive");
    expect(analyzeSentiment("build failed again :(").label).toBe("negative");
    expect(analyzeSentiment("&lt;3").label).toBe("positive");
    // Clock times and URLs are not emoji or emoticons.
    expect(analyzeSentiment("standup moved to 10:30:00 tomorrow").label).toBe("neutral");
  });

  test("chat slang is scored", () => {
    expect(analyzeSentiment("lgtm").label).toBe("positive");
    expect(analyzeSentiment("ugh").label).toBe("negative");
    expect(analyzeSentiment("meh").label).toBe("negative");
    expect(analyzeSentiment("wtf is this").label).toBe("negative");
  });

  test("negation flips a word within its clause only", () => {
    expect(analyzeSentiment("this is helpful").label).toBe("positive");
    expect(analyzeSentiment("this is not helpful").label).toBe("negative");
    expect(analyzeSentiment("not bad").label).toBe("positive");
    expect(analyzeSentiment("no worries").label).toBe("positive");
    expect(analyzeSentiment("it doesn't work").label).toBe("negative");
    expect(analyzeSentiment("not now. great work").label).toBe("positive");
  });

  test("questions and requests without sentiment words are neutral", () => {
    for (const text of [
      "what time is the retro?",
      "<@U0DEMOPUP1> can you help me find the runbook?",
      "please add me to the release channel",
      "what's the weather like in Berlin?",
    ]) {
      expect({ text, label: analyzeSentiment(text).label }).toEqual({ text, label: "neutral" });
    }
  });

  test("empty and blank text is neutral with a zero score", () => {
    expect(analyzeSentiment("")).toEqual({ label: "neutral", score: 0, thanks: false });
    expect(analyzeSentiment(" \n\t ")).toEqual({ label: "neutral", score: 0, thanks: false });
  });

  test("the score is a comparative: signed like the label, smaller for longer messages", () => {
    const short = analyzeSentiment("great");
    const long = analyzeSentiment("great, the report for the third quarter is in the shared drive");
    expect(short.score).toBeGreaterThan(long.score);
    expect(long.score).toBeGreaterThan(0);
    expect(analyzeSentiment("awful").score).toBeLessThan(0);
  });

  test("huge or pathological text does not throw", () => {
    const inputs = [
      "great ".repeat(50_000),
      "`".repeat(100_000),
      "<".repeat(100_000),
      ":".repeat(100_000),
      `${"```".repeat(20_000)}x`,
      ":a".repeat(50_000),
    ];
    for (const text of inputs) {
      const result = analyzeSentiment(text);
      expect(LABELS).toContain(result.label);
      expect(Number.isFinite(result.score)).toBe(true);
    }
    expect(analyzeSentiment("great ".repeat(50_000)).label).toBe("positive");
  });

  test("pup's words do not leak into the library's shared English table", () => {
    analyzeSentiment("lgtm ty");
    expect(new SentimentAnalyzer().analyze("lgtm ty").score).toBe(0);
  });
});

describe("reactionSentiment", () => {
  test("reads reaction names, with or without colons and skin tones", () => {
    for (const name of ["+1", "heart", "tada", "pray", "thumbsup::skin-tone-2", ":clap:"]) {
      expect({ name, label: reactionSentiment(name) }).toEqual({ name, label: "positive" });
    }
    for (const name of ["-1", "thumbsdown", "rage", "-1::skin-tone-5", "disappointed"]) {
      expect({ name, label: reactionSentiment(name) }).toEqual({ name, label: "negative" });
    }
    for (const name of ["eyes", "white_circle", "custom-party-blob", ""]) {
      expect({ name, label: reactionSentiment(name) }).toEqual({ name, label: "neutral" });
    }
  });
});
