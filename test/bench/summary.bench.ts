/**
 * Summary queue throughput (issue 15 point 3) against BullMQ's no-op job throughput on the same
 * Redis in the same run. summary: pup's `summary` queue through its real runner (BullMQ) and
 * processor over a scratch PostgreSQL with the offline (extractive) summariser, each job one
 * conversation's day of messages: read with the visibility rule, named, quoted into the prompt,
 * summarised, stored with its sources. no-op: a BullMQ Worker whose processor returns at once,
 * same concurrency. Both get all their jobs first, then are timed from start to the last job.
 * The model's own time is left out on purpose (offline): it is the provider's, not pup's.
 * BENCH_SUMMARY_JOBS (conversations, default 200), BENCH_SUMMARY_MESSAGES (per conversation, 40).
 */
import { Queue, Worker } from "bullmq";
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

async function noopThroughput(redis: Redis, prefix: string, concurrency: number) {
  const queue = new Queue("noop", { connection: redis.duplicate(), prefix });
  await queue.addBulk(Array.from({ length: JOBS }, (_, i) => ({ name: "noop", data: { i } })));
  let done = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const worker = new Worker("noop", async () => {}, {
      connection: redis.duplicate({ maxRetriesPerRequest: null }),
      prefix,
      concurrency,
    });
    worker.on("completed", () => {
      done += 1;
      if (done === JOBS) void worker.close().then(() => resolve());
    });
  });
  const seconds = (performance.now() - start) / 1000;
  await queue.obliterate({ force: true });
  await queue.close();
  return JOBS / seconds;
}

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
    const noop = await noopThroughput(redis, `${prefix}:noop`, summaryQueue.concurrency);
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
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
    redis.disconnect();
    await scratch.drop();
  }
}
