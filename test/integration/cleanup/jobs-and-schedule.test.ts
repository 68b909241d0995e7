// Issue 15, point 5: the cleanup run clears finished and failed jobs past their age limits from
// the real BullMQ queues (Redis), and one daily scheduler exists however many workers start.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  CLEANUP_SCHEDULER_ID,
  cleanJobs,
  runCleanup,
  scheduleCleanup,
} from "../../../core/src/features/cleanup";
import { PupError } from "../../../core/src/shared/errors";
import { type CommandsWorld, startCommandsWorld } from "../commands/fixture";

let world: CommandsWorld;
beforeEach(async () => {
  world = await startCommandsWorld();
});
afterEach(async () => {
  await world.stop();
});

/** Three finished `summary` jobs: two completed, one failed for good. */
async function finishedJobs() {
  const { queue, runner } = world.services;
  await runner.start({
    summary: async (job) => {
      if ((job.data as { fail?: boolean }).fail) {
        throw new PupError("fails for good", { code: "test_failure", retryable: false });
      }
    },
  });
  for (const [id, fail] of [
    ["a", false],
    ["b", false],
    ["c", true],
  ] as const) {
    await queue.add("summary", "test-job", { fail }, { jobId: `clean-${id}`, attempts: 1 });
  }
  for (let i = 0; i < 100; i++) {
    const depth = await queue.depth("summary");
    if (depth.waiting + depth.active + depth.delayed === 0 && depth.failed === 1) return;
    await Bun.sleep(50);
  }
  throw new Error("the test jobs did not finish within 5 s");
}

describe("cleaning the queues", () => {
  test("jobs within their age limits stay; past them, completed and failed jobs go", async () => {
    await finishedJobs();
    const { queue } = world.services;
    // Just finished: younger than a day (completed) and a week (failed): nothing goes.
    expect((await cleanJobs(world.services.deps)).summary).toBe(0);
    expect((await queue.depth("summary")).failed).toBe(1);
    // Once they are old enough (ages of zero here), every one of them goes, by count.
    await Bun.sleep(5);
    const removed = await cleanJobs(world.services.deps, { completedMs: 0, failedMs: 0 });
    expect(removed.summary).toBe(3);
    expect((await queue.depth("summary")).failed).toBe(0);
    expect(await cleanJobs(world.services.deps, { completedMs: 0, failedMs: 0 })).toMatchObject({
      summary: 0,
    });
  });

  test("a full run reports the jobs it removed in its log line", async () => {
    await finishedJobs();
    await Bun.sleep(5);
    const deps = world.services.deps;
    const report = await runCleanup(
      { ...deps, workspaceSettings: { ...deps.workspaceSettings, listRetention: async () => [] } },
      { jobAges: { completedMs: 0, failedMs: 0 } },
    );
    expect(report.jobsRemoved.summary).toBe(3);
    const done = world.logs.find((l) => l.msg === "cleanup: run done");
    expect(done).toMatchObject({ workspaces: 0, jobsRemoved: { summary: 3 } });
  });
});

describe("the daily run", () => {
  test("scheduling it twice (two workers starting) leaves one scheduler with a next run", async () => {
    const { queue } = world.services;
    const first = await scheduleCleanup({ queue });
    const second = await scheduleCleanup({ queue });
    expect(first.nextRunAt).toBeNumber();
    expect(second.nextRunAt).toBe(first.nextRunAt);
    // The next run is at 03:00 UTC.
    expect(new Date(first.nextRunAt ?? 0).getUTCHours()).toBe(3);
    expect((await queue.depth("cleanup")).delayed).toBe(1);
    await queue.unschedule("cleanup", CLEANUP_SCHEDULER_ID);
  });
});
