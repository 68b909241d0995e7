// JobQueue.schedule on both queues (in-process and BullMQ on real Redis): a repeating job runs
// again and again from its template, a daily schedule reports its next run at the local hour,
// and unschedule stops it.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Job } from "../../core/src/ports/job-queue";
import { nextDailyRun } from "../../core/src/shared/daily-schedule";
import { type QueueHarness, queueSystems, waitFor } from "./queue-harness";

for (const [system, open] of queueSystems) {
  describe(`job schedules (${system})`, () => {
    let harness: QueueHarness;

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.dispose();
    });

    test("a repeating job runs from its template until unscheduled", async () => {
      const seen: Job[] = [];
      await harness.runner.start({
        summary: async (job) => {
          seen.push(job);
        },
      });
      await harness.queue.schedule(
        "summary",
        "every-200ms",
        { everyMs: 200 },
        { name: "tick", data: { teamId: "T1" } },
      );
      await waitFor(() => seen.length >= 2, "two runs", 5_000);
      expect(seen.slice(0, 2).map((job) => [job.name, job.data])).toEqual([
        ["tick", { teamId: "T1" }],
        ["tick", { teamId: "T1" }],
      ]);
      expect(new Set(seen.map((job) => job.id)).size).toBe(seen.length);
      await harness.queue.unschedule("summary", "every-200ms");
      const runs = seen.length;
      await Bun.sleep(700);
      expect(seen.length).toBeLessThanOrEqual(runs + 1);
    });

    test("a daily schedule runs next at the local hour, and upserting replaces it", async () => {
      const before = Date.now();
      const first = await harness.queue.schedule(
        "summary",
        "daily-T1",
        { daily: { hour: 6, timeZone: "America/Los_Angeles" } },
        { name: "plan", data: {} },
      );
      expect(first.nextRunAt).toBe(
        nextDailyRun({ hour: 6, timeZone: "America/Los_Angeles" }, before),
      );
      const moved = await harness.queue.schedule(
        "summary",
        "daily-T1",
        { daily: { hour: 21, minute: 30, timeZone: "Asia/Kolkata" } },
        { name: "plan", data: {} },
      );
      expect(moved.nextRunAt).toBe(
        nextDailyRun({ hour: 21, minute: 30, timeZone: "Asia/Kolkata" }, before),
      );
      await harness.queue.unschedule("summary", "daily-T1");
    });
  });
}
