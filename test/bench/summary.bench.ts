import { Redis } from "ioredis";
import { DAY_MS, summaryJob, summaryQueue } from "../../core/src/features/summaries";
import { enqueueJob } from "../../core/src/shared/jobs";
import { jobHandlers } from "../../core/src/start/queues";
import { createCoreServices } from "../../core/src/start/services";
import { createDb } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { type FakeSlack, startFakeSlack } from "../fakes/slack";
import { createScratchDatabase, uniqueName } from "../setup/isolation";
import { capturingLogger, modelConfig } from "../setup/pup-under-test";
import { deleteKeys, noopThroughput } from "./queue-baseline";
import type { BenchReport } from "./report";

const JOBS = Number(process.env.BENCH_SUMMARY_JOBS ?? 200);
const MESSAGES = Number(process.env.BENCH_SUMMARY_MESSAGES ?? 40);
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const TEAM = "T0BENCHSUM";
const SAYINGS = [
  "the release train leaves on Wednesday",
  "ok",
  "I will write the changelog for billing v2",
  "QA found a blocker in the checkout flow",
  "thanks!",
  "design picked the blue palette for onboarding",
  "standup moved to 10:30 tomorrow",
  "can someone review PR 4821?",
];

export default async function bench(): Promise<BenchReport> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = uniqueName("pup-bench-summary");
  const scratch = await createScratchDatabase("pup_bench_summary");
  let slack: FakeSlack | undefined;
  let services: Awaited<ReturnType<typeof createCoreServices>> | undefined;
  try {
    const handle = createDb({ databaseUrl: scratch.url, dataDir: "", embeddingDimensions: 512 });
    await migrateDatabase(handle, { embeddingDimensions: 512 }).finally(() => handle.close());
    slack = startFakeSlack({});
    const { logger } = capturingLogger();
    services = await createCoreServices(
      {
        llm: modelConfig(undefined),
        embedding: { dimensions: 512 },
        database: { url: scratch.url, dataDir: "" },
        redis: { url: REDIS_URL, prefix },
        slack: { botToken: slack.token, apiUrl: slack.url },
      },
      { logger, migrate: false },
    );
    const { deps } = services;
    await deps.directory.upsertWorkspace({ teamId: TEAM });
    const periodEnd = Date.now();
    const t0 = periodEnd - 3_600_000;
    for (let c = 0; c < JOBS; c++) {
      const channelId = `C0BENCH${c}`;
      await deps.directory.upsertChannel({ teamId: TEAM, channelId, visibility: "public_channel" });
      for (let m = 0; m < MESSAGES; m++) {
        await deps.messages.upsert({
          teamId: TEAM,
          channelId,
          ts: `${Math.floor(t0 / 1000) + m}.${String(c).padStart(6, "0")}`,
          userId: `U${m % 5}`,
          text: SAYINGS[(c + m) % SAYINGS.length] ?? "",
          visibility: "public_channel",
          postedAt: new Date(t0 + m * 1000),
        });
      }
    }
    for (let c = 0; c < JOBS; c++) {
      await enqueueJob(deps.queue, summaryJob, {
        kind: "summarize",
        teamId: TEAM,
        channelId: `C0BENCH${c}`,
        periodStart: periodEnd - DAY_MS,
        periodEnd,
        key: "bench",
      });
    }
    const start = performance.now();
    await services.runner.start(jobHandlers(deps, ["summary"]), {
      perQueue: { summary: summaryQueue.concurrency },
    });
    for (;;) {
      const depth = await deps.queue.depth("summary");
      if (depth.waiting + depth.active === 0) break;
      await Bun.sleep(5);
    }
    const summarySeconds = (performance.now() - start) / 1000;
    const failed = (await deps.queue.depth("summary")).failed;
    const stored = await deps.derived.latestSummary(TEAM, "C0BENCH0");
    if (!stored || failed > 0) throw new Error(`bench: summaries not stored (${failed} failed)`);
    const noop = await noopThroughput(redis, `${prefix}:noop`, JOBS, summaryQueue.concurrency);
    return {
      suite: "summary queue vs BullMQ no-op jobs (same Redis, same run)",
      baseline: "bullmq no-op",
      systems: ["bullmq no-op", "summary"],
      metrics: [
        {
          name: "throughput",
          unit: "jobs/s",
          better: "higher",
          values: { "bullmq no-op": noop, summary: JOBS / summarySeconds },
        },
        {
          name: "messages summarised",
          unit: "messages/s",
          better: "higher",
          values: { "bullmq no-op": Number.NaN, summary: (JOBS * MESSAGES) / summarySeconds },
        },
      ],
      parameters: {
        jobs: JOBS,
        messagesPerConversation: MESSAGES,
        concurrency: summaryQueue.concurrency,
        model: "offline (extractive)",
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
