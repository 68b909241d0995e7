// The LoCoMo parser: session dates, evidence ids in their odd forms, turns in session order with
// captions, questions kept or skipped, and errors that say where a malformed file goes wrong.
import { describe, expect, test } from "bun:test";
import { normaliseEvidence, parseLocomo, parseSessionDate } from "./locomo";
import { SCORED_QUESTIONS, SYNTHETIC_LOCOMO } from "./synthetic-locomo";

const utc = (...parts: [number, number, number, number, number]) => new Date(Date.UTC(...parts));
const copy = <T>(value: T): T => structuredClone(value);

describe("parseSessionDate", () => {
  test("reads LoCoMo's session dates as UTC", () => {
    expect(parseSessionDate("1:56 pm on 8 May, 2023")).toEqual(utc(2023, 4, 8, 13, 56));
    expect(parseSessionDate("10:30 am on 12 April, 2022")).toEqual(utc(2022, 3, 12, 10, 30));
    expect(parseSessionDate("9:05 AM on 3 july 2021")).toEqual(utc(2021, 6, 3, 9, 5));
  });

  test("12 am is midnight and 12 pm is noon", () => {
    expect(parseSessionDate("12:07 am on 1 January, 2024")).toEqual(utc(2024, 0, 1, 0, 7));
    expect(parseSessionDate("12:40 pm on 31 December, 2023")).toEqual(utc(2023, 11, 31, 12, 40));
  });

  test("is undefined when the text does not read as a date", () => {
    expect(parseSessionDate("yesterday afternoon")).toBeUndefined();
    expect(parseSessionDate("1:56 pm on 8 Smarch, 2023")).toBeUndefined();
    expect(parseSessionDate("")).toBeUndefined();
  });
});

describe("normaliseEvidence", () => {
  test("splits on ';' and spaces and repairs the odd id forms", () => {
    expect(normaliseEvidence("D1:3")).toEqual(["D1:3"]);
    expect(normaliseEvidence("D:11:26")).toEqual(["D11:26"]);
    expect(normaliseEvidence("D3:05")).toEqual(["D3:5"]);
    expect(normaliseEvidence("D1:03; D2:1")).toEqual(["D1:3", "D2:1"]);
    expect(normaliseEvidence(" D4:2  D4:10;D5:1 ")).toEqual(["D4:2", "D4:10", "D5:1"]);
    expect(normaliseEvidence("d7:08")).toEqual(["D7:8"]);
  });

  test("keeps what is not an id as it is (the parser drops it later) and ignores blanks", () => {
    expect(normaliseEvidence("see above")).toEqual(["see", "above"]);
    expect(normaliseEvidence(" ; ")).toEqual([]);
  });
});

describe("parseLocomo", () => {
  const [garden, lab] = parseLocomo(copy(SYNTHETIC_LOCOMO));

  test("keeps turns in session order, with captions appended and session times", () => {
    expect(garden?.id).toBe("synthetic-garden");
    expect(garden?.speakers).toEqual(["Ada", "Bruno"]);
    expect(garden?.turns.map((turn) => turn.id)).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `D1:${i + 1}`),
      ...Array.from({ length: 8 }, (_, i) => `D2:${i + 1}`),
    ]);
    expect(garden?.turns.map((turn) => turn.order)).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
    expect(garden?.turns[5]).toMatchObject({
      speaker: "Bruno",
      text: "My sister and I went hiking in the Dolomites last month. [image: a snowy mountain ridge under a blue sky]",
    });
    expect(garden?.turns[4]?.text).toBe("Yes, every Thursday with a teacher called Mireille.");

    const times = garden?.turns.map((turn) => turn.postedAt.getTime()) ?? [];
    expect(times[0]).toBe(utc(2022, 2, 3, 14, 5).getTime());
    expect(times[8]).toBe(utc(2022, 3, 12, 10, 30).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);

    // Session 2 comes first in the lab conversation's object; the session number decides.
    expect(lab?.turns[0]).toMatchObject({ id: "D1:1", speaker: "Chen" });
    expect(lab?.turns[8]).toMatchObject({ id: "D2:1", speaker: "Dana" });
    expect(lab?.turns[8]?.postedAt).toEqual(utc(2023, 7, 2, 16, 40));
  });

  test("normalises evidence, drops unknown ids, and skips questions left without any", () => {
    expect(garden?.questions).toEqual([
      { question: "Where did Bruno go hiking with his sister?", category: 3, evidence: ["D1:6"] },
      { question: "When did Ada play her first recital piece?", category: 2, evidence: ["D2:1"] },
      {
        question: "Which instrument does Ada play in recitals, and who teaches her?",
        category: 1,
        evidence: ["D1:3", "D2:1", "D1:5"],
      },
      // Category 5 is kept here; the evaluation leaves it out of the scores.
      { question: "What did Ada name her greyhound?", category: 5, evidence: ["D2:4"] },
      { question: "What is the name of Bruno's dog?", category: 4, evidence: ["D2:4"] },
    ]);
    expect(lab?.questions.map((q) => q.evidence)).toEqual([["D1:6", "D2:1"], ["D2:4"]]);

    const scored = [garden, lab].flatMap((c) => c?.questions ?? []).filter((q) => q.category < 5);
    const byCategory: Record<string, number> = {};
    for (const q of scored) byCategory[q.category] = (byCategory[q.category] ?? 0) + 1;
    expect(byCategory).toEqual({ ...SCORED_QUESTIONS });
  });

  test("orders sessions by number, and a session without a date follows the last by a day", () => {
    const file = [
      {
        sample_id: "numbers",
        conversation: {
          session_10: [{ speaker: "A", dia_id: "D10:1", text: "tenth" }],
          session_9_date_time: "8:00 am on 1 May, 2020",
          session_9: [{ speaker: "B", dia_id: "D9:01", text: "ninth" }],
          session_10_date_time: "whenever",
        },
        qa: [{ question: "q", evidence: ["D10:1", "D9:1"], category: 1 }],
      },
    ];
    const [parsed] = parseLocomo(file);
    expect(parsed?.turns.map((t) => [t.id, t.text])).toEqual([
      ["D9:1", "ninth"],
      ["D10:1", "tenth"],
    ]);
    expect(parsed?.turns[1]?.postedAt).toEqual(utc(2020, 4, 2, 8, 0));
    expect(parsed?.questions[0]?.evidence).toEqual(["D10:1", "D9:1"]);
  });

  test("a malformed file fails with the path of what is wrong", () => {
    const wrong = (json: unknown) => () => parseLocomo(json);
    expect(wrong({ sample_id: "x" })).toThrow(/^not a LoCoMo-format file: at \(root\)/);
    expect(wrong([{ conversation: {}, qa: [] }])).toThrow(
      /^not a LoCoMo-format file: at 0\.sample_id/,
    );

    const badCategory = copy(SYNTHETIC_LOCOMO);
    Object.assign(badCategory[1]?.qa[1] ?? {}, { category: "one" });
    expect(wrong(badCategory)).toThrow(/^not a LoCoMo-format file: at 1\.qa\.1\.category/);

    const badSession = copy(SYNTHETIC_LOCOMO);
    Object.assign(badSession[0]?.conversation ?? {}, { session_2: [{ speaker: "Ada" }] });
    expect(wrong(badSession)).toThrow(
      "not a LoCoMo-format file: synthetic-garden session_2 is not a list of turns",
    );
  });
});
