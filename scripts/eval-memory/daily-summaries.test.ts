// pup's daily summaries in the evaluation: one summary per conversation-day written and stored by
// the summaries feature, recalled before the messages, and scored by the turns it cites.
import { expect, test } from "bun:test";
import { dailySummaries } from "./daily-summaries";
import { runEvaluation } from "./run";
import type { SyntheticConversation } from "./synthetic-locomo";

const turns = (session: number, lines: [string, string][]) =>
  lines.map(([speaker, text], i) => ({ speaker, dia_id: `D${session}:${i + 1}`, text }));

/**
 * Two days. The question names Ada's sister; the answer ("the dinosaur hall amazed everyone")
 * shares no word with it, so the first message recall offers is the one naming the sister, while
 * the second day's summary stands for the whole day, the answer included.
 */
const FIXTURE: SyntheticConversation[] = [
  {
    sample_id: "synthetic-museum",
    conversation: {
      speaker_a: "Ada",
      speaker_b: "Bruno",
      session_1_date_time: "9:00 am on 1 May, 2023",
      session_1: turns(1, [
        ["Ada", "Rain again all week, the garden is flooded."],
        ["Bruno", "Our basement pump finally broke down."],
      ]),
      session_2_date_time: "6:00 pm on 9 May, 2023",
      session_2: turns(2, [
        ["Ada", "My sister visited on Saturday with her three kids."],
        ["Bruno", "Where did you take them?"],
        ["Ada", "The dinosaur hall amazed everyone, especially Leo."],
      ]),
    },
    qa: [
      {
        question: "What did Ada's sister and her family enjoy?",
        answer: "The dinosaur hall",
        evidence: ["D2:3"],
        category: 2,
      },
    ],
  },
];

const databaseUrl = () => {
  const url = process.env.PUP_TEST_DATABASE_URL;
  if (!url) throw new Error("PUP_TEST_DATABASE_URL is unset: is the preload running?");
  return url;
};

test("a summary line counts by the turns of its day, in one slot", async () => {
  const report = await runEvaluation(FIXTURE, {
    ks: [1, 5],
    databaseUrl: databaseUrl(),
    derived: dailySummaries(),
  });
  // Messages alone: the turn naming the sister comes first, the answer is not in slot 1.
  expect(report.json.systems.pup.categories["2"]?.["1"]).toBe(0);
  // With summaries: the second day's summary comes first and cites all three of its turns
  // (not the first day's two), the answer among them.
  expect(report.derived?.name).toBe("summaries");
  expect(report.derived?.scores.categories["2"]?.["1"]).toBe(1);
  expect(report.derived?.perQuestion["1"]).toEqual({ items: 1, sources: 3 });
  // The contract's JSON keeps its two systems: the derived row is the report's, beside them.
  expect(Object.keys(report.json.systems).sort()).toEqual(["bm25", "pup"]);
}, 60_000);

test("derive writes one summary per conversation-day with that day's messages as sources", async () => {
  const report = await runEvaluation(FIXTURE, {
    ks: [5],
    databaseUrl: databaseUrl(),
    derived: {
      ...dailySummaries(),
      // The same hook, asked for every summary whatever the question, by a question naming both
      // days' words: it offers at most pup's SUMMARY_LINES (two) lines.
      recall: (input) =>
        dailySummaries().recall({ ...input, question: "garden sister", messages: [] }),
    },
  });
  // Two summaries, one per day: 2 + 3 sources, the newest first.
  expect(report.derived?.perQuestion["5"]).toEqual({ items: 2, sources: 5 });
}, 60_000);
