import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { createInProcessJobs } from "../adapters/in-process";
import type { Job } from "../ports/job-queue";
import { PupError } from "./errors";
import {
  enqueueJob,
  type JobContract,
  JobDataError,
  jobHandler,
  jobIdOf,
  type QueueDefinition,
} from "./jobs";

interface Ping {
  team: string;
  at: Date;
}

const contract: JobContract<Ping> = {
  queue: "summary",
  schema: v.object({
    team: v.pipe(v.string(), v.minLength(1)),
    at: v.pipe(
      v.string(),
      v.isoTimestamp(),
      v.transform((s) => new Date(s)),
    ),
  }),
  jobName: (data) => `ping-${data.team}`,
  jobId: (data) => jobIdOf("ping", data.team),
  options: { attempts: 3 },
};

function recordingLogger() {
  const errors: { details: unknown; message: string | undefined }[] = [];
  const log = () => {};
  return {
    errors,
    logger: {
      debug: log,
      info: log,
      warn: log,
      error: (details: object | string, message?: string) => errors.push({ details, message }),
    },
  };
}

async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await Bun.sleep(5);
  }
}

describe("jobIdOf", () => {
  test("reads as its parts, with no ':' whatever the parts hold", () => {
    expect(jobIdOf("slack", "T1", "Ev1")).toBe("slack-T1-Ev1");
    expect(jobIdOf("embed", "T1", "C1", "1700000000.000100", 0)).toBe(
      "embed-T1-C1-1700000000.000100-0",
    );
    expect(jobIdOf("slack", "T1", "command:T1:1.2")).not.toContain(":");
  });

  test("different parts never make the same id", () => {
    expect(jobIdOf("x", "a-b", "c")).not.toBe(jobIdOf("x", "a", "b-c"));
    expect(jobIdOf("x", "a~2d~b")).not.toBe(jobIdOf("x", "a-b"));
  });
});

describe("enqueueJob", () => {
  test("adds under the contract's queue, name, id and attempts; the same job twice is one", async () => {
    const { queue, runner } = createInProcessJobs();
    const seen: Job[] = [];
    await runner.start({
      summary: async (job) => {
        seen.push(job);
      },
    });
    const data = { team: "T1", at: new Date("2026-12-01T10:00:00Z") };
    expect(await enqueueJob(queue, contract, data)).toEqual({ added: true });
    expect(await enqueueJob(queue, contract, data)).toEqual({ added: false });
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ id: "ping-T1", queue: "summary", name: "ping-T1" });
    await runner.stop(1000);
    await queue.close();
  });
});

describe("jobHandler", () => {
  test("hands the processor the data as the contract reads it", async () => {
    const got: Ping[] = [];
    const definition: QueueDefinition<{ got: Ping[] }, Ping> = {
      contract,
      concurrency: 1,
      processor: (deps) => async (data) => {
        deps.got.push(data);
      },
    };
    const handler = jobHandler(definition, { got }, recordingLogger().logger);
    await handler({
      id: "ping-T1",
      queue: "summary",
      name: "ping-T1",
      data: { team: "T1", at: "2026-12-01T10:00:00.000Z" },
      attempt: 1,
    });
    expect(got).toEqual([{ team: "T1", at: new Date("2026-12-01T10:00:00Z") }]);
  });

  test("malformed data fails for good, with a log line naming each problem", async () => {
    const { errors, logger } = recordingLogger();
    let processed = 0;
    const definition: QueueDefinition<object, Ping> = {
      contract,
      concurrency: 1,
      processor: () => async () => {
        processed += 1;
      },
    };
    const failures: { willRetry: boolean; error: unknown }[] = [];
    const { queue, runner } = createInProcessJobs({
      backoffDelayMs: 1,
      onFailure: (_job, error, willRetry) => failures.push({ error, willRetry }),
    });
    await runner.start({ summary: jobHandler(definition, {}, logger) });
    await queue.add(
      "summary",
      "ping",
      { team: "", at: "yesterday" },
      { jobId: "bad", attempts: 3 },
    );
    await until(async () => (await queue.depth("summary")).failed === 1);

    expect(processed).toBe(0);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.willRetry).toBe(false);
    const error = failures[0]?.error;
    expect(error).toBeInstanceOf(JobDataError);
    expect(error).toBeInstanceOf(PupError);
    expect((error as PupError).retryable).toBe(false);
    expect((error as PupError).code).toBe("job_data_invalid");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("does not match its queue's contract");
    const { problems } = (errors[0]?.details ?? { problems: [] }) as { problems: string[] };
    expect(problems.some((p) => p.startsWith("team:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("at:"))).toBe(true);
    await runner.stop(1000);
    await queue.close();
  });
});
