// Scoring recalled items: a message recalls itself, a derived memory (summary line, profile fact)
// recalls its source messages, and only the first k items count.
import { describe, expect, test } from "bun:test";
import { derivedShare, messageItems, type RecalledItem, recallAt } from "./score";

describe("recallAt", () => {
  const gold = ["D1:3", "D4:7"];

  test("messages: the share of the evidence among the first k", () => {
    const items = messageItems(["D1:3", "D2:1", "D4:7"]);
    expect(recallAt(1, items, gold)).toBe(0.5);
    expect(recallAt(2, items, gold)).toBe(0.5);
    expect(recallAt(3, items, gold)).toBe(1);
  });

  test("a derived item counts as recalling its sources, in one slot", () => {
    const summary: RecalledItem = { kind: "summary", sources: ["D4:6", "D4:7", "D4:8"] };
    const items = [summary, ...messageItems(["D1:3"])];
    expect(recallAt(1, items, gold)).toBe(0.5);
    expect(recallAt(2, items, gold)).toBe(1);
  });

  test("a turn recalled twice (as itself and as a source) counts once", () => {
    const fact: RecalledItem = { kind: "fact", sources: ["D1:3"] };
    expect(recallAt(2, [fact, ...messageItems(["D1:3"])], gold)).toBe(0.5);
  });

  test("a message that is no turn recalls nothing", () => {
    expect(recallAt(5, messageItems(["", ""]), gold)).toBe(0);
  });
});

test("derivedShare: derived items among the first k and the sources they stand for", () => {
  const items: RecalledItem[] = [
    { kind: "summary", sources: ["D1:1", "D1:2", "D1:3"] },
    ...messageItems(["D2:2"]),
    { kind: "fact", sources: ["D5:1"] },
  ];
  expect(derivedShare(2, items)).toEqual({ items: 1, sources: 3 });
  expect(derivedShare(3, items)).toEqual({ items: 2, sources: 4 });
});
