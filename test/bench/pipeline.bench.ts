/**
 * End-to-end overhead from event in to post out (issue 4: p95 <= 50 ms at 50 events/s with the
 * model answering instantly), against a floor measured in the same run.
 *
 * pup: the e2e harness's pipeline (local Slack, local OpenAI answering at once with its echo
 * responder, core's HTTP app and the job handlers over real PostgreSQL and Redis/BullMQ, all in
 * this process). floor: a bare Bun.serve handler doing one INSERT and one BullMQ add, and a
 * BullMQ Worker posting one chat.postMessage to the same local Slack (pipeline/floor.ts).
 *
 * Each system gets app_mention events, each a distinct message in the local Slack addressed to
 * pup, as signed forwards to `POST /internal/slack`, open loop at a fixed rate, evenly spaced;
 * latency runs from each event's due time to the first moment the bot's message in that event's
 * thread shows text in the local Slack ("post out"; pipeline/open-loop.ts). The finished reply
 * (stream stopped) is reported too. An event is a failure when its forward is not answered 2xx
 * or no reply text appears within the drain timeout; failures are counted, not hidden: latency
 * percentiles cover the replied events only, so the verdict (`pupMeetsTarget`) is "no" whenever
 * pup had a failure, whatever its p95.
 * Per-stage times for pup come from core's logs (pipeline/stages.ts). CPU per event is given for
 * this Bun process (load, system under test and fakes alike) and for the PostgreSQL backends of
 * the run's database (pipeline/db-cpu.ts): at a rate a system cannot sustain, that is the why.
 *
 * BENCH_PIPELINE_RATE (default 50), BENCH_PIPELINE_SECONDS (10), BENCH_PIPELINE_WARMUP_SECONDS
 * (1) and BENCH_PIPELINE_CONCURRENCY (jobs at once per queue, both systems; default 8, the
 * harness's) change the run. About 35 s in all.
 */
import { cpus, loadavg } from "node:os";
import { Redis } from "ioredis";
import postgres from "postgres";
import { createDb } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import {
  GENERAL,
  type Pipeline,
  PUP,
  RANDOM,
  settle,
  startPipeline,
} from "../e2e/pipeline/harness";
import type { RecordedRequest } from "../fakes/openai";
import { adminDatabaseUrl, createScratchDatabase, uniqueName } from "../setup/isolation";
import { backendCpu, cpuSince } from "./pipeline/db-cpu";
import { mentionSource } from "./pipeline/events";
import { type Floor, startFloor } from "./pipeline/floor";
import { type OpenLoopPlan, type OpenLoopRun, runOpenLoop } from "./pipeline/open-loop";
import { STAGES, stageDurations } from "./pipeline/stages";
import type { BenchMetric, BenchReport } from "./report";
import { percentile } from "./stats";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PLAN: OpenLoopPlan = {
  rate: env("BENCH_PIPELINE_RATE", 50),
  seconds: env("BENCH_PIPELINE_SECONDS", 10),
  warmupSeconds: env("BENCH_PIPELINE_WARMUP_SECONDS", 1),
  drainTimeoutMs: 15_000,
};
const CONCURRENCY = env("BENCH_PIPELINE_CONCURRENCY", 8);
const TARGET_P95_MS = 50;
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
/** createDb's pool size, so the floor gets no more PostgreSQL connections than pup. */
const POOL = 10;
const DIMENSIONS = 512;

interface Summary {
  events: number;
  failures: number;
  non2xx: number;
  errors: number;
  noReply: number;
  duplicatePosts: number;
  sentPerSecond: number;
  repliesPerSecond: number;
  cpuMsPerEvent: number;
  dbCpuMsPerEvent: number;
  firstText: number[];
  finished: number[];
  accepted: number[];
}

function summarize(run: OpenLoopRun, dbCpuMs: number): Summary {
  const measured = run.samples.filter((s) => s.measured);
  const summary: Summary = {
    events: measured.length,
    failures: 0,
    non2xx: 0,
    errors: 0,
    noReply: 0,
    duplicatePosts: 0,
    sentPerSecond: Number.NaN,
    repliesPerSecond: Number.NaN,
    cpuMsPerEvent: run.cpuMsPerEvent,
    dbCpuMsPerEvent: dbCpuMs / Math.max(1, run.samples.length),
    firstText: [],
    finished: [],
    accepted: [],
  };
  let lastReply = run.measuredFrom;
  for (const sample of measured) {
    const badStatus = sample.status !== undefined && (sample.status < 200 || sample.status > 299);
    if (badStatus) summary.non2xx += 1;
    if (sample.error !== undefined) summary.errors += 1;
    if (sample.firstTextAt === undefined) summary.noReply += 1;
    if (badStatus || sample.error !== undefined || sample.firstTextAt === undefined) {
      summary.failures += 1;
    }
    summary.duplicatePosts += Math.max(0, sample.posts - 1);
    if (sample.ackAt !== undefined && sample.error === undefined) {
      summary.accepted.push(sample.ackAt - sample.due);
    }
    if (sample.firstTextAt !== undefined) {
      summary.firstText.push(sample.firstTextAt - sample.due);
      lastReply = Math.max(lastReply, sample.firstTextAt);
    }
    if (sample.completedAt !== undefined) summary.finished.push(sample.completedAt - sample.due);
  }
  const interval = 1000 / PLAN.rate;
  summary.sentPerSecond = (measured.length * 1000) / (run.lastSentAt - run.measuredFrom + interval);
  summary.repliesPerSecond = (summary.firstText.length * 1000) / (lastReply - run.measuredFrom);
  return summary;
}

/** The index in a pup event's text ("question pup-12?"), read from the chat request's last turn. */
function pupIndexOfChat(request: RecordedRequest): number | undefined {
  const body = request.body as { messages?: { content?: unknown }[] } | undefined;
  const last = body?.messages?.at(-1)?.content;
  const match = /question pup-(\d+)\?/.exec(typeof last === "string" ? last : JSON.stringify(last));
  return match ? Number(match[1]) : undefined;
}

const round = (value: number) => Math.round(value * 100) / 100;

export default async function pipelineBench(): Promise<BenchReport> {
  // Everything here shares the machine's cores with PostgreSQL, Redis and whatever else runs.
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const scratch = await createScratchDatabase("pup_bench_pipeline");
  const redisPrefix = `pup-bench:${uniqueName("pipeline")}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  let pipeline: Pipeline | undefined;
  let floor: Floor | undefined;
  const runs: Record<string, OpenLoopRun> = {};
  const dbCpuMs: Record<string, number> = {};
  const admin = postgres(adminDatabaseUrl(), { max: 1, onnotice: () => {} });
  /** One system's run, with the CPU its PostgreSQL backends used meanwhile. */
  const measure = async (system: string, run: () => Promise<OpenLoopRun>) => {
    const before = await backendCpu(admin, scratch.name);
    const done = await run();
    runs[system] = done;
    dbCpuMs[system] = cpuSince(before, await backendCpu(admin, scratch.name));
    return done;
  };
  let stages: ReturnType<typeof stageDurations> | undefined;
  let logLines = 0;
  try {
    const handle = createDb({
      databaseUrl: scratch.url,
      dataDir: "",
      embeddingDimensions: DIMENSIONS,
    });
    try {
      await migrateDatabase(handle, { embeddingDimensions: DIMENSIONS });
    } finally {
      await handle.close();
    }
    pipeline = await startPipeline({
      databaseUrl: scratch.url,
      redisPrefix: `${redisPrefix}pup`,
      concurrency: CONCURRENCY,
      // BENCH_PIPELINE_PROFILES=off: no profile jobs (their added CPU per message is the
      // difference); BENCH_PIPELINE_PROFILE_WINDOW_MS shortens the window so jobs run in the run.
      profiles: {
        enqueue: process.env.BENCH_PIPELINE_PROFILES !== "off",
        windowMs: Number(process.env.BENCH_PIPELINE_PROFILE_WINDOW_MS ?? 60_000),
      },
    });
    floor = await startFloor({
      databaseUrl: scratch.url,
      redis,
      prefix: `${redisPrefix}floor`,
      slackUrl: pipeline.slack.url,
      slackToken: pipeline.slack.token,
      concurrency: CONCURRENCY,
      pool: POOL,
    });

    // The floor first: while it runs nothing of pup's is busy (its workers only block on Redis).
    const { slack } = pipeline;
    const floorSource = mentionSource(pipeline, floor.url, RANDOM, "floor");
    const pupSource = mentionSource(pipeline, pipeline.coreUrl, GENERAL, "pup");
    await measure("floor", () => runOpenLoop(PLAN, slack, PUP, floorSource));
    const pupRun = await measure("pup", () => runOpenLoop(PLAN, slack, PUP, pupSource));
    // Let the embedding jobs finish so they do not outlive the services.
    await settle(pipeline, 20_000).catch((error: unknown) => {
      console.warn(`bench: pipeline did not settle: ${String(error)}`);
    });
    logLines = pipeline.logs.length;
    stages = stageDurations(pupRun, pipeline.logs, pipeline.openai.chatRequests(), pupIndexOfChat);
  } finally {
    await floor?.stop().catch(() => {});
    await pipeline?.stop().catch(() => {});
    await deleteKeys(redis, redisPrefix).catch(() => {});
    await admin.end({ timeout: 5 });
    redis.disconnect();
    await scratch.drop();
  }

  const summaries: Record<string, Summary> = {};
  for (const [system, run] of Object.entries(runs)) {
    summaries[system] = summarize(run, dbCpuMs[system] ?? Number.NaN);
  }
  const metric = (
    name: string,
    unit: string,
    better: BenchMetric["better"],
    value: (s: Summary) => number,
  ): BenchMetric => ({
    name,
    unit,
    better,
    values: Object.fromEntries(
      Object.entries(summaries).map(([system, s]) => [system, round(value(s))]),
    ),
  });
  const latency = (name: string, key: "firstText" | "finished" | "accepted", p: number) =>
    metric(`${name} p${p}`, "ms", "lower", (s) => percentile(s[key], p));
  const max = (values: number[]) => (values.length ? Math.max(...values) : Number.NaN);

  const stageMetrics: BenchMetric[] = [];
  for (const stage of STAGES) {
    const samples = stages?.stages[stage] ?? [];
    for (const p of [50, 95]) {
      stageMetrics.push({
        name: `pup stage p${p}: ${stage}`,
        unit: "ms",
        better: "lower",
        values: { pup: round(percentile(samples, p)) },
      });
    }
  }

  const pupP95 = percentile(summaries.pup?.firstText ?? [], 95);
  const pupFailures = summaries.pup?.failures ?? 0;
  const verdict = Number.isNaN(pupP95)
    ? "no data"
    : pupP95 <= TARGET_P95_MS && pupFailures === 0
      ? "yes"
      : "no";
  return {
    suite: `pipeline: event in -> post out at ${PLAN.rate} events/s, model instant (target pup p95 <= ${TARGET_P95_MS} ms)`,
    baseline: "floor",
    systems: ["floor", "pup"],
    parameters: {
      rate: PLAN.rate,
      seconds: PLAN.seconds,
      warmupSeconds: PLAN.warmupSeconds,
      concurrency: CONCURRENCY,
      pool: POOL,
      cores: cpus().length,
      loadAverageBefore: round(loadBefore),
      tracedPupEvents: stages?.traced ?? 0,
      pupLogLinesPerEvent: round(logLines / Math.max(1, runs.pup?.samples.length ?? 0)),
      pupMeetsTarget: verdict,
    },
    metrics: [
      latency("post out (first text)", "firstText", 50),
      latency("post out (first text)", "firstText", 95),
      latency("post out (first text)", "firstText", 99),
      metric("post out (first text) max", "ms", "lower", (s) => max(s.firstText)),
      latency("reply finished", "finished", 50),
      latency("reply finished", "finished", 95),
      latency("reply finished", "finished", 99),
      latency("forward answered", "accepted", 50),
      latency("forward answered", "accepted", 99),
      metric("events sent", "events/s", "higher", (s) => s.sentPerSecond),
      metric("replies", "replies/s", "higher", (s) => s.repliesPerSecond),
      metric("events measured", "count", "higher", (s) => s.events),
      metric("Bun process CPU per event (all in-process)", "ms", "lower", (s) => s.cpuMsPerEvent),
      metric("PostgreSQL backend CPU per event", "ms", "lower", (s) => s.dbCpuMsPerEvent),
      metric("failures (non-2xx, error or no reply)", "count", "lower", (s) => s.failures),
      metric("  of which no reply", "count", "lower", (s) => s.noReply),
      metric("duplicate posts", "count", "lower", (s) => s.duplicatePosts),
      ...stageMetrics,
    ],
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
}
