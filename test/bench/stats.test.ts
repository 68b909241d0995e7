import { describe, expect, test } from "bun:test";
import { formatReport, ratio } from "./report";
import { percentile } from "./stats";

describe("percentile", () => {
  test("nearest rank over unsorted samples", () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
  });
  test("no samples gives NaN", () => {
    expect(percentile([], 95)).toBeNaN();
  });
});

describe("bench report", () => {
  const report = {
    suite: "db",
    baseline: "postgres",
    systems: ["postgres", "pglite"],
    parameters: { rows: 10 },
    metrics: [
      {
        name: "insert",
        unit: "rows/s",
        better: "higher" as const,
        values: { postgres: 200, pglite: 50 },
      },
    ],
  };
  test("ratios are against the baseline of the same run", () => {
    expect(ratio(report.metrics[0]!, "postgres", "pglite")).toBe(0.25);
    expect(
      ratio({ ...report.metrics[0]!, values: { postgres: 0, pglite: 1 } }, "postgres", "pglite"),
    ).toBeNaN();
  });
  test("table names every system and the ratio column", () => {
    const text = formatReport(report);
    expect(text).toContain("pglite/postgres");
    expect(text).toContain("0.25x");
    expect(text).toContain("rows=10");
  });
});
