// The JobQueue/JobRunner contract: the same cases on the in-process queue (demo) and on BullMQ
// (real Redis), so the demo behaves like production.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Job } from "../../core/src/ports/job-queue";
import { PupError } from "../../core/src/shared/errors";
import { type QueueHarness, queueSystems, TEST_BACKOFF_MS, waitFor } from "./queue-harness";

for (const [system, open] of queueSystems) {
  describe(`job queue contract (${system})`, () => {
    let harness: QueueHarness;

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.dispose();
    });

    test("a job runs once, with its name, data and attempt 1", async () => {
      const seen: Job[] = [];
      await harness.runner.start({
        message: async (job) => {
          seen.push(job);
        },
      });
      const result = await harness.queue.add(
        "message",
        "slack-event",
        { teamId: "T1" },
        {
          jobId: "slack-T1-Ev1",
        },
      );
      expect(result).toEqual({ added: true });
      await waitFor(() => seen.length === 1, "the job to run");
      await Bun.sleep(50);
      expect(seen).toEqual([
        {
          id: "slack-T1-Ev1",
          queue: "message",
          name: "slack-event",
          data: { teamId: "T1" },
          attempt: 1,
        },
      ]);
    });

    test("ids with ':' and '%' reach the handler unchanged", async () => {
      const ids: string[] = [];
      await harness.runner.start({ embedding: async (job) => void ids.push(job.id) });
      for (const jobId of ["command:T1:123.456", "a%3Ab", "0"]) {
        await harness.queue.add("embedding", "x", {}, { jobId });
      }
      await waitFor(() => ids.length === 3, "three jobs");
      expect(ids.sort()).toEqual(["0", "a%3Ab", "command:T1:123.456"]);
    });

    test("adding a known id is a no-op while waiting and after completion", async () => {
      expect(await harness.queue.add("message", "e", { n: 1 }, { jobId: "dup" })).toEqual({
        added: true,
      });
      expect(await harness.queue.add("message", "e", { n: 2 }, { jobId: "dup" })).toEqual({
        added: false,
      });
      expect((await harness.queue.depth("message")).waiting).toBe(1);

      const data: unknown[] = [];
      await harness.runner.start({ message: async (job) => void data.push(job.data) });
      await waitFor(() => data.length === 1, "the job to run");
      // Completed jobs stay known for a day: adding the id again still does nothing.
      await Bun.sleep(50);
      expect(await harness.queue.add("message", "e", { n: 3 }, { jobId: "dup" })).toEqual({
        added: false,
      });
      await Bun.sleep(150);
      expect(data).toEqual([{ n: 1 }]);
    });

    test("concurrent adds of one id: exactly one is added", async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          harness.queue.add("message", "e", { i }, { jobId: "racy" }),
        ),
      );
      expect(results.filter((r) => r.added)).toHaveLength(1);
      expect(await harness.queue.depth("message")).toEqual({
        waiting: 1,
        active: 0,
        delayed: 0,
        failed: 0,
      });
    });

    test("the same id in different queues is two jobs", async () => {
      expect((await harness.queue.add("summary", "s", {}, { jobId: "same" })).added).toBe(true);
      expect((await harness.queue.add("profile", "p", {}, { jobId: "same" })).added).toBe(true);
    });

    test("a throwing job is retried with backoff until its attempts run out, then fails", async () => {
      const attempts: { attempt: number; at: number }[] = [];
      await harness.runner.start({
        message: async (job) => {
          attempts.push({ attempt: job.attempt, at: Date.now() });
          throw new Error("boom");
        },
      });
      await harness.queue.add("message", "e", {}, { jobId: "flaky", attempts: 3 });
      await waitFor(async () => (await harness.queue.depth("message")).failed === 1, "failure");
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      // Exponential: at least the base delay before the 2nd attempt, twice that before the 3rd.
      const [first, second, third] = attempts.map((a) => a.at);
      expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(TEST_BACKOFF_MS - 2);
      expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(2 * TEST_BACKOFF_MS - 2);
      await Bun.sleep(100);
      expect(attempts).toHaveLength(3);
      expect(await harness.queue.depth("message")).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 1,
      });
    });

    test("a job that fails once and then succeeds completes on attempt 2", async () => {
      const seen: number[] = [];
      await harness.runner.start({
        message: async (job) => {
          seen.push(job.attempt);
          if (job.attempt === 1) throw new Error("transient");
        },
      });
      await harness.queue.add("message", "e", {}, { jobId: "second-time" });
      await waitFor(() => seen.length === 2, "the retry");
      await Bun.sleep(100);
      expect(seen).toEqual([1, 2]);
      expect(await harness.queue.depth("message")).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
      });
    });

    test("a non-retryable PupError fails the job at once", async () => {
      const seen: number[] = [];
      await harness.runner.start({
        message: async (job) => {
          seen.push(job.attempt);
          throw new PupError("the channel is gone", { code: "channel_not_found" });
        },
      });
      await harness.queue.add("message", "e", {}, { jobId: "hopeless" });
      await waitFor(async () => (await harness.queue.depth("message")).failed === 1, "failure");
      await Bun.sleep(100);
      expect(seen).toEqual([1]);
    });

    test("depth counts waiting, delayed and active jobs", async () => {
      await harness.queue.add("summary", "s", {}, { jobId: "w1" });
      await harness.queue.add("summary", "s", {}, { jobId: "w2" });
      await harness.queue.add("summary", "s", {}, { jobId: "d1", delayMs: 60_000 });
      expect(await harness.queue.depth("summary")).toEqual({
        waiting: 2,
        active: 0,
        delayed: 1,
        failed: 0,
      });
      expect(await harness.queue.depth("profile")).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
      });

      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = 0;
      await harness.runner.start({
        summary: async () => {
          started += 1;
          await gate;
        },
      });
      await waitFor(() => started === 1, "one job to start");
      expect(await harness.queue.depth("summary")).toEqual({
        waiting: 1,
        active: 1,
        delayed: 1,
        failed: 0,
      });
      release();
      await waitFor(() => started === 2, "the second job");
    });

    test("a delayed job does not run before its delay", async () => {
      let ranAt = 0;
      await harness.runner.start({
        cleanup: async () => {
          ranAt = Date.now();
        },
      });
      const addedAt = Date.now();
      await harness.queue.add("cleanup", "c", {}, { jobId: "later", delayMs: 400 });
      await Bun.sleep(200);
      expect(ranAt).toBe(0);
      await waitFor(() => ranAt > 0, "the delayed job");
      expect(ranAt - addedAt).toBeGreaterThanOrEqual(390);
    });

    test("concurrency runs that many jobs at once", async () => {
      let running = 0;
      let peak = 0;
      let done = 0;
      await harness.runner.start(
        {
          embedding: async () => {
            running += 1;
            peak = Math.max(peak, running);
            await Bun.sleep(100);
            running -= 1;
            done += 1;
          },
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 6; i++) await harness.queue.add("embedding", "e", {}, { jobId: `c${i}` });
      await waitFor(() => done === 6, "six jobs");
      expect(peak).toBe(3);
    });

    test("perQueue gives the queues it names their own concurrency", async () => {
      const running = { message: 0, embedding: 0 };
      const peak = { message: 0, embedding: 0 };
      let done = 0;
      const handler = (queue: "message" | "embedding") => async () => {
        running[queue] += 1;
        peak[queue] = Math.max(peak[queue], running[queue]);
        await Bun.sleep(100);
        running[queue] -= 1;
        done += 1;
      };
      await harness.runner.start(
        { message: handler("message"), embedding: handler("embedding") },
        { concurrency: 2, perQueue: { embedding: 5 } },
      );
      for (let i = 0; i < 10; i++)
        await harness.queue.add("embedding", "e", {}, { jobId: `p${i}` });
      for (let i = 0; i < 6; i++) await harness.queue.add("message", "m", {}, { jobId: `q${i}` });
      await waitFor(() => done === 16, "sixteen jobs");
      expect(peak).toEqual({ message: 2, embedding: 5 });
    });

    test("stop waits for a running job to finish", async () => {
      let started = false;
      let finished = false;
      await harness.runner.start({
        message: async () => {
          started = true;
          await Bun.sleep(300);
          finished = true;
        },
      });
      await harness.queue.add("message", "e", {}, { jobId: "drain-me" });
      await waitFor(() => started, "the job to start");
      await harness.runner.stop(5000);
      expect(finished).toBe(true);
    });

    test("stop gives up on a hanging job after the grace period", async () => {
      let started = false;
      await harness.runner.start({
        message: async () => {
          started = true;
          await Bun.sleep(3000);
        },
      });
      await harness.queue.add("message", "e", {}, { jobId: "hangs" });
      await waitFor(() => started, "the job to start");
      const before = Date.now();
      await harness.runner.stop(200);
      expect(Date.now() - before).toBeLessThan(1500);
    });

    test("after stop no new job starts", async () => {
      let runs = 0;
      await harness.runner.start({
        message: async () => {
          runs += 1;
        },
      });
      await harness.runner.stop(1000);
      await harness.queue.add("message", "e", {}, { jobId: "too-late" });
      await Bun.sleep(300);
      expect(runs).toBe(0);
      expect((await harness.queue.depth("message")).waiting).toBe(1);
    });
  });
}
