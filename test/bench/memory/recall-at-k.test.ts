import { describe, expect, test } from "bun:test";
import { overlap, recallAtK } from "./recall-at-k";

describe("recallAtK", () => {
  test("counts found rows no farther than the exact k-th distance", () => {
    const exact = [0.1, 0.2, 0.3, 0.4];
    expect(recallAtK([0.1, 0.2, 0.3], exact, 3)).toBe(1);
    expect(recallAtK([0.1, 0.2, 0.35], exact, 3)).toBeCloseTo(2 / 3);
    expect(recallAtK([0.5, 0.6, 0.7], exact, 3)).toBe(0);
  });

  test("a tied row the index picked instead of the scan's counts as a hit", () => {
    // Two messages with the same text sit at 0.3; either one is a correct third neighbour.
    expect(recallAtK([0.1, 0.2, 0.3 + 1e-9], [0.1, 0.2, 0.3, 0.3], 3)).toBe(1);
  });

  test("only the first k found rows count, and short answers lose what they miss", () => {
    expect(recallAtK([0.1, 0.9, 0.2], [0.1, 0.2, 0.3], 2)).toBe(0.5);
    expect(recallAtK([0.1], [0.1, 0.2], 2)).toBe(0.5);
  });

  test("when fewer than k rows are visible, the exact answer's length is the denominator", () => {
    expect(recallAtK([0.1, 0.2], [0.1, 0.2], 10)).toBe(1);
    expect(recallAtK([], [], 10)).toBe(1);
  });
});

describe("overlap", () => {
  test("the share of the exact items found, in any order", () => {
    expect(overlap(["b", "a", "x"], ["a", "b", "c", "d"])).toBe(0.5);
    expect(overlap([], [])).toBe(1);
    expect(overlap([], ["a"])).toBe(0);
  });
});
