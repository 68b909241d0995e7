// JobQueue.purge, on the in-process queue (demo) and on BullMQ (real Redis): "forget me" removes
// every resting job (waiting, delayed, completed, failed) its predicate picks, data and all, and
// leaves every other job, above all another person's, and every running job alone.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { PurgeCandidate } from "../../core/src/ports/job-queue";
import { PupError } from "../../core/src/shared/errors";
import { type QueueHarness, queueSystems, waitFor } from "./queue-harness";

const byUser = (userId: string) => (job: PurgeCandidate) =>
  (job.data as { user?: string } | null)?.user === userId;

for (const [system, open] of queueSystems) {
  describe(`job queue purge (${system})`, () => {
    let harness: QueueHarness;

    beforeEach(async () => {
      harness = await open();
    });

    afterEach(async () => {
      await harness.dispose();
    });

    test("removes the picked jobs in every resting state and no one else's", async () => {
      const { queue, runner } = harness;
      // Finished jobs first: two completed, two failed for good.
      const finished: string[] = [];
      await runner.start({
        privacy: async (job) => {
          finished.push(job.id);
          if ((job.data as { fail: boolean }).fail) {
            throw new PupError("no", { code: "test_failure", retryable: false });
          }
        },
      });
      for (const [id, user, fail] of [
        ["done-1", "U1", false],
        ["done-2", "U2", false],
        ["fail-1", "U1", true],
        ["fail-2", "U2", true],
      ] as const) {
        await queue.add("privacy", "p", { user, fail }, { jobId: id, attempts: 1 });
      }
      await waitFor(async () => (await queue.depth("privacy")).failed === 2, "two failures");
      await waitFor(() => finished.length === 4, "four jobs run");
      await runner.stop(1000);
      // Then resting ones nothing runs any more: waiting and delayed.
      await queue.add("privacy", "p", { user: "U1" }, { jobId: "wait-1" });
      await queue.add("privacy", "p", { user: "U2" }, { jobId: "wait-2" });
      await queue.add("privacy", "p", { user: "U1" }, { jobId: "late-1", delayMs: 60_000 });
      await queue.add("privacy", "p", { user: "U2" }, { jobId: "late-2", delayMs: 60_000 });
      // Another queue's job of the same person is that queue's purge's business.
      await queue.add("summary", "s", { user: "U1" }, { jobId: "other-queue" });

      const seen: PurgeCandidate[] = [];
      const picks = byUser("U1");
      const removed = await queue.purge("privacy", (job) => {
        seen.push(job);
        return picks(job);
      });
      expect(removed).toBe(4);
      const states = Object.fromEntries(seen.map((job) => [job.id, job.state]));
      expect(states).toEqual({
        "done-1": "completed",
        "done-2": "completed",
        "fail-1": "failed",
        "fail-2": "failed",
        "wait-1": "waiting",
        "wait-2": "waiting",
        "late-1": "delayed",
        "late-2": "delayed",
      });
      expect(seen.find((job) => job.id === "wait-2")).toMatchObject({
        name: "p",
        data: { user: "U2" },
      });
      expect(await queue.depth("privacy")).toEqual({
        waiting: 1,
        active: 0,
        delayed: 1,
        failed: 1,
      });
      expect((await queue.depth("summary")).waiting).toBe(1);
      // The removed jobs are gone for good (their ids are free again); the others are known.
      for (const id of ["done-1", "fail-1", "wait-1", "late-1"]) {
        expect(await queue.add("privacy", "p", {}, { jobId: id })).toEqual({ added: true });
      }
      for (const id of ["done-2", "fail-2", "wait-2", "late-2"]) {
        expect(await queue.add("privacy", "p", {}, { jobId: id })).toEqual({ added: false });
      }
    });

    test("a running job is never touched; once finished it can be purged", async () => {
      const { queue, runner } = harness;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = false;
      let completed = false;
      await runner.start({
        message: async () => {
          started = true;
          await gate;
          completed = true;
        },
      });
      await queue.add("message", "m", { user: "U1" }, { jobId: "running" });
      await waitFor(() => started, "the job to start");
      expect(await queue.purge("message", () => true)).toBe(0);
      expect((await queue.depth("message")).active).toBe(1);
      release();
      await waitFor(() => completed, "the job to finish");
      await waitFor(async () => (await queue.depth("message")).active === 0, "active to clear");
      expect(await queue.purge("message", byUser("U1"))).toBe(1);
      expect(await queue.add("message", "m", {}, { jobId: "running" })).toEqual({ added: true });
    });

    test("walks past one page: every picked job of a long backlog goes", async () => {
      const { queue } = harness;
      const total = 450;
      for (let i = 0; i < total; i++) {
        const user = i % 2 === 0 ? "U1" : "U2";
        await queue.add("embedding", "e", { user, i }, { jobId: `e-${i}` });
      }
      expect(await queue.purge("embedding", byUser("U1"))).toBe(total / 2);
      expect((await queue.depth("embedding")).waiting).toBe(total / 2);
      expect(await queue.purge("embedding", byUser("U1"))).toBe(0);
    });

    test("with ids, only those jobs are looked at, in whatever state they rest", async () => {
      const { queue, runner } = harness;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = false;
      await runner.start({
        message: async (job) => {
          if (job.id !== "busy:1") return;
          started = true;
          await gate;
        },
      });
      await queue.add("message", "m", { user: "U1" }, { jobId: "done:1" });
      await waitFor(async () => (await queue.depth("message")).waiting === 0, "done:1 to run");
      await queue.add("message", "m", { user: "U1" }, { jobId: "busy:1" });
      await waitFor(() => started, "busy:1 to start");
      await queue.add("message", "m", { user: "U1" }, { jobId: "later:1", delayMs: 60_000 });
      await queue.add("message", "m", { user: "U1" }, { jobId: "unnamed", delayMs: 60_000 });
      const seen: string[] = [];
      const removed = await queue.purge(
        "message",
        (job) => {
          seen.push(`${job.id}/${job.state}`);
          return true;
        },
        { ids: ["done:1", "busy:1", "later:1", "never-added", "later:1"] },
      );
      // The running one is not shown (it stays its worker's), an unknown id is no error, the
      // job outside the ids is never read, and a repeated id counts once.
      expect(seen.sort()).toEqual(["done:1/completed", "later:1/delayed"]);
      expect(removed).toBe(2);
      expect(await queue.add("message", "m", {}, { jobId: "done:1", delayMs: 60_000 })).toEqual({
        added: true,
      });
      expect(await queue.add("message", "m", {}, { jobId: "unnamed" })).toEqual({ added: false });
      release();
    });

    test("ids are shown as they were given (':' and '%' included)", async () => {
      await harness.queue.add("cleanup", "c", { user: "U1" }, { jobId: "forget:T1:U1%x" });
      const ids: string[] = [];
      await harness.queue.purge("cleanup", (job) => {
        ids.push(job.id);
        return false;
      });
      expect(ids).toEqual(["forget:T1:U1%x"]);
    });
  });
}
