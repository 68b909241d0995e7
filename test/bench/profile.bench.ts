import { Redis } from "ioredis";
import { profileJob, profileQueue } from "../../core/src/features/profiles";
import { jobHandlers } from "../../core/src/start/queues";
import { createCoreServices } from "../../core/src/start/services";
import { createDb } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { type FakeSlack, startFakeSlack } from "../fakes/slack";
import { createScratchDatabase, uniqueName } from "../setup/isolation";
import { capturingLogger, modelConfig } from "../setup/pup-under-test";
import { deleteKeys, noopThroughput } from "./queue-baseline";
import type { BenchReport } from "./report";

const JOBS = Number(process.env.BENCH_PROFILE_JOBS ?? 400);
const MESSAGES = Number(process.env.BENCH_PROFILE_MESSAGES ?? 10);
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const TEAM = "T0BENCH001";
const CHANNEL = "C0BENCH001";
const SAYINGS = [
  "I live in Lisbon",
  "morning all, standup in 5",
  "I'm the designer on this team",
  "can someone review my PR?",
  "I moved to Berlin",
  "my favourite food is ramen",
  "lunch?",
  "please keep answers short",
  "I live in Berlin",
  "the build is green again",
];

export default async function bench(): Promise<BenchReport> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = uniqueName("pup-bench-profile");
  const scratch = await createScratchDatabase("pup_bench_profile");
  let slack: FakeSlack | undefined;
  let services: Awaited<ReturnType<typeof createCoreServices>> | undefined;
  try {
    const handle = createDb({ databaseUrl: scratch.url, dataDir: "", embeddingDimensions: 512 });
    await migrateDatabase(handle, { embeddingDimensions: 512 }).finally(() => handle.close());
    slack = startFakeSlack({});
    const { logger, logs } = capturingLogger();
    services = await createCoreServices(
      {
        llm: modelConfig(undefined),
        embedding: { dimensions: 512 },
        database: { url: scratch.url, dataDir: "" },
        redis: { url: REDIS_URL, prefix },
        slack: { botToken: slack.token, apiUrl: slack.url },
      },
      { logger, migrate: false, profiles: { extractor: "offline" } },
    );
    const { deps } = services;
    await deps.directory.upsertWorkspace({ teamId: TEAM });
    await deps.directory.upsertChannel({
      teamId: TEAM,
      channelId: CHANNEL,
      visibility: "public_channel",
    });
    const t0 = Date.now() - 3_600_000;
    for (let u = 0; u < JOBS; u++) {
      for (let m = 0; m < MESSAGES; m++) {
        await deps.messages.upsert({
          teamId: TEAM,
          channelId: CHANNEL,
          ts: `${Math.floor(t0 / 1000) + u * MESSAGES + m}.000100`,
          userId: `U${u}`,
          text: SAYINGS[m % SAYINGS.length] ?? "",
          visibility: "public_channel",
          postedAt: new Date(t0 + (u * MESSAGES + m) * 1000),
        });
      }
    }
    for (let u = 0; u < JOBS; u++) {
      const data = { teamId: TEAM, userId: `U${u}`, windowStart: 0 };
      await deps.queue.add("profile", "update-profile", data, { jobId: profileJob.jobId(data) });
    }
    const start = performance.now();
    await services.runner.start(jobHandlers(deps, ["profile"]), {
      perQueue: { profile: profileQueue.concurrency },
    });
    for (;;) {
      const depth = await deps.queue.depth("profile");
      if (depth.waiting + depth.active + depth.delayed === 0) break;
      await Bun.sleep(5);
    }
    const profileSeconds = (performance.now() - start) / 1000;
    const facts = await deps.profiles.facts(TEAM, "U0", { includeSuperseded: true });
    const failed = (await deps.queue.depth("profile")).failed;
    if (facts.length === 0 || failed > 0) {
      throw new Error(
        `bench: profile jobs stored no fact or failed (${failed}): ${JSON.stringify(logs.filter((l) => JSON.stringify(l).includes("fail")).slice(0, 2))}`,
      );
    }
    const noop = await noopThroughput(redis, `${prefix}:noop`, JOBS, profileQueue.concurrency);
    return {
      suite: "profile queue vs BullMQ no-op jobs (same Redis, same run)",
      baseline: "bullmq no-op",
      systems: ["bullmq no-op", "profile"],
      metrics: [
        {
          name: "throughput",
          unit: "jobs/s",
          better: "higher",
          values: { "bullmq no-op": noop, profile: JOBS / profileSeconds },
        },
        {
          name: "messages read",
          unit: "messages/s",
          better: "higher",
          values: { "bullmq no-op": Number.NaN, profile: (JOBS * MESSAGES) / profileSeconds },
        },
      ],
      parameters: {
        jobs: JOBS,
        messagesPerPerson: MESSAGES,
        concurrency: profileQueue.concurrency,
        factsOfFirstPerson: facts.length,
      },
    };
  } finally {
    await services?.close(2000);
    await slack?.stop();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await scratch.drop();
  }
}
