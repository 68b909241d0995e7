/**
 * A dependency outage costs no job its attempts (the runner puts it back to wait instead), and
 * what did fail for good is listed by `bun run jobs -- failed` (ids and reasons, never the data)
 * and re-driven by `bun run jobs -- retry` in one command.
 */
import { afterEach, expect, test } from "bun:test";
import {
  createBullMqJobQueue,
  createBullMqJobRunner,
  createRedisClient,
} from "../../core/src/adapters/redis";
import { DependencyError } from "../../core/src/features/intake/dependency-call";
import { runBun } from "../integration/edge-deploy-processes";
import { uniqueName } from "../setup/isolation";
import { eventually } from "./cluster";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
});

function bullmq(prefix: string, outageDelayMs = 100) {
  const connection = createRedisClient(REDIS_URL, { connectionName: "pup-fault-test" });
  const queue = createBullMqJobQueue({ connection, prefix: `${prefix}:bull` });
  const runner = createBullMqJobRunner({ connection, prefix: `${prefix}:bull`, outageDelayMs });
  closers.push(
    async () => connection.disconnect(),
    () => queue.close(),
    () => runner.stop(500),
  );
  return { queue, runner };
}

test("a job meeting an outage longer than its attempts waits it out and completes", async () => {
  const { queue, runner } = bullmq(uniqueName(process.env.PUP_TEST_REDIS_PREFIX ?? "t"));
  let calls = 0;
  const attempts: number[] = [];
  await runner.start({
    summary: async (job) => {
      calls += 1;
      attempts.push(job.attempt);
      // The database is "down" for the first 6 tries: twice the job's 3 attempts.
      if (calls <= 6) throw new DependencyError("event log append failed");
    },
  });
  await queue.add("summary", "s", {}, { jobId: "outage", attempts: 3, backoffDelayMs: 10 });
  expect(await eventually(async () => calls >= 7, 10_000)).toBe(true);
  const depth = await queue.depth("summary");
  expect(depth.failed).toBe(0);
  // No attempt was spent on the outage: the run that succeeded is still the first attempt.
  expect(attempts.every((attempt) => attempt === 1)).toBe(true);
}, 20_000);

test("`jobs failed` lists failed jobs with reasons and no data; `jobs retry` re-drives them", async () => {
  const prefix = uniqueName(process.env.PUP_TEST_REDIS_PREFIX ?? "t");
  const { queue, runner } = bullmq(prefix);
  let healthy = false;
  const done: string[] = [];
  await runner.start({
    embedding: async (job) => {
      if (!healthy) throw new Error("the model said no");
      done.push(job.id);
    },
  });
  for (const id of ["a:1", "b:2", "c:3"]) {
    await queue.add(
      "embedding",
      "embed-message",
      { text: "secret words" },
      { jobId: id, attempts: 1 },
    );
  }
  expect(await eventually(async () => (await queue.depth("embedding")).failed === 3, 10_000)).toBe(
    true,
  );
  const env = { PATH: process.env.PATH ?? "", REDIS_URL, PUP_REDIS_PREFIX: prefix };
  const listed = await runBun(["run", "jobs", "failed", "--queue", "embedding"], env);
  expect(listed.exitCode).toBe(0);
  expect(listed.stdout).toContain("embedding: 3 failed");
  for (const id of ["a:1", "b:2", "c:3"]) expect(listed.stdout).toContain(id);
  expect(listed.stdout).toContain("the model said no");
  expect(listed.stdout).toContain("attempts=1");
  expect(listed.stdout).not.toContain("secret words");

  healthy = true;
  const retried = await runBun(["run", "jobs", "retry", "--queue", "embedding"], env);
  expect(retried.exitCode).toBe(0);
  expect(retried.stdout).toContain("embedding: 3 failed job(s) moved back to wait");
  expect(await eventually(async () => done.length === 3, 10_000)).toBe(true);
  expect((await queue.depth("embedding")).failed).toBe(0);

  const bad = await runBun(["run", "jobs", "failed", "--queue", "emails"], env);
  expect(bad.exitCode).toBe(1);
  expect(bad.stderr).toContain("unknown queue emails");
}, 60_000);
