import { describe, expect, test } from "bun:test";
import { QUEUE_NAMES } from "../../ports/job-queue";
import { drain, jobCleanSteps, MOOD_TRANSITION_MAX_DAYS, retentionCutoffs } from "./policy";

const NOW = Date.UTC(2026, 0, 31, 12);
const daysBefore = (days: number) => new Date(NOW - days * 86_400_000);

describe("retentionCutoffs", () => {
  test("messages and payloads follow the retention; mood transitions stop at 90 days", () => {
    expect(retentionCutoffs(30, NOW)).toEqual({
      messages: daysBefore(30),
      events: daysBefore(30),
      moodTransitions: daysBefore(30),
    });
    expect(retentionCutoffs(365, NOW).moodTransitions).toEqual(
      daysBefore(MOOD_TRANSITION_MAX_DAYS),
    );
  });

  test("a retention that is not a whole number of days is refused, never guessed", () => {
    for (const days of [0, -1, 1.5, Number.NaN]) {
      expect(() => retentionCutoffs(days, NOW)).toThrow(RangeError);
    }
  });
});

test("every queue has a completed and a failed step", () => {
  expect(jobCleanSteps()).toHaveLength(QUEUE_NAMES.length * 2);
});

test("drain repeats a step until it removes fewer than its limit", async () => {
  const batches = [3, 3, 1, 0];
  let calls = 0;
  expect(await drain(async () => batches[calls++] ?? 0, 3)).toBe(7);
  expect(calls).toBe(3);
});
