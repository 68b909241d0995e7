/**
 * Sentiment of incoming messages (core/src/features/personality/sentiment.ts) over the labelled
 * Slack set, repeated: pup's classifier against the `sentiment` package's bare `analyze` (the
 * baseline: AFINN-165 alone, no Slack preprocessing) and a lower-case-and-split lookup in the
 * same AFINN table (the least any lexicon classifier can cost). Systems take turns batch by
 * batch, each batch being the whole set, so load on the machine hits all alike; the time per
 * message is a batch's time over its size. Accuracy on the set is reported beside the cost.
 * BENCH_CLASSIFICATIONS overrides the classifications per system (default 50,000).
 */
import { join } from "node:path";
import SentimentAnalyzer from "sentiment";
import english from "sentiment/languages/en/index.js";
import {
  analyzeSentiment,
  type SentimentLabel,
} from "../../core/src/features/personality/sentiment";
import type { BenchMetric, BenchReport } from "./report";
import { percentile } from "./stats";

const FIXTURE = join(import.meta.dir, "..", "fixtures", "personality", "sentiment.jsonl");
const CLASSIFICATIONS = Number(process.env.BENCH_CLASSIFICATIONS ?? 50_000);
const WARMUP_BATCHES = 40;

interface Labelled {
  text: string;
  label: SentimentLabel;
}

const bySign = (score: number): SentimentLabel =>
  score > 0 ? "positive" : score < 0 ? "negative" : "neutral";

export default async function bench(): Promise<BenchReport> {
  const set = (await Bun.file(FIXTURE).text())
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Labelled);
  const library = new SentimentAnalyzer();
  const labels = english.labels;
  const classify: Record<string, (text: string) => SentimentLabel> = {
    "sentiment bare": (text) => bySign(library.analyze(text).score),
    "split lookup": (text) => {
      let score = 0;
      for (const word of text.toLowerCase().split(/\s+/)) score += labels[word] ?? 0;
      return bySign(score);
    },
    pup: (text) => analyzeSentiment(text).label,
  };
  const systems = Object.keys(classify);

  const accuracy: Record<string, number> = {};
  for (const system of systems) {
    const fn = classify[system];
    if (!fn) continue;
    accuracy[system] = set.filter((row) => fn(row.text) === row.label).length / set.length;
  }

  const batches = Math.ceil(CLASSIFICATIONS / set.length);
  const perMessage: Record<string, number[]> = Object.fromEntries(systems.map((s) => [s, []]));
  // Results go into a sink so the engine cannot drop the calls as unused.
  let sink = 0;
  for (let round = -WARMUP_BATCHES; round < batches; round++) {
    for (let k = 0; k < systems.length; k++) {
      const system = systems[(round + WARMUP_BATCHES + k) % systems.length];
      const fn = system === undefined ? undefined : classify[system];
      if (system === undefined || fn === undefined) continue;
      const start = Bun.nanoseconds();
      for (const row of set) if (fn(row.text) === "positive") sink += 1;
      const micros = (Bun.nanoseconds() - start) / 1000 / set.length;
      if (round >= 0) perMessage[system]?.push(micros);
    }
  }
  if (sink === 0) throw new Error("bench: no message was classified positive");

  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const timing = (name: string, pick: (xs: number[]) => number): BenchMetric => ({
    name,
    unit: "µs/message",
    better: "lower",
    values: Object.fromEntries(systems.map((s) => [s, pick(perMessage[s] ?? [])])),
  });
  return {
    suite: "sentiment of incoming messages",
    baseline: "sentiment bare",
    systems,
    metrics: [
      timing("mean", mean),
      timing("batch p50", (xs) => percentile(xs, 50)),
      timing("batch p95", (xs) => percentile(xs, 95)),
      { name: "accuracy", unit: "share", better: "higher", values: accuracy },
    ],
    parameters: {
      messages: set.length,
      classificationsPerSystem: batches * set.length,
      warmupBatches: WARMUP_BATCHES,
      targetMicrosPerMessage: 100,
    },
  };
}
