/**
 * What forgetting costs (issue 16, ADR-034), each part against a baseline measured beside it in
 * the same run, on real PostgreSQL (a scratch database) and real Redis (a prefix of its own):
 *
 * 1. One message forgotten (every Slack deletion) in Redis: the message queue holding
 *    BENCH_FORGET_JOBS finished jobs (default 20,000), `queue.purge("message", pred, { ids })`
 *    with the message's two job ids (what core does) against the walk over every job (what it
 *    did before). BENCH_FORGET_JOB_RUNS purges each way (default 20).
 * 2. "Forget me" in the database: a workspace of BENCH_FORGET_MESSAGES messages (default
 *    50,000) by 10 people; purgeUser for one person against deleting their messages and
 *    slack_events rows alone. BENCH_FORGET_DB_RUNS rounds (default 5), fewer once
 *    BENCH_FORGET_DB_BUDGET_S (default 90) is spent. Then one message forgotten in the database
 *    (purgeMessage against emptying the row and deleting its payload), BENCH_FORGET_DB_RUNS each.
 * 3. The event log append with its forgotten and tombstone checks against a plain INSERT ... ON
 *    CONFLICT DO NOTHING of the same row: BENCH_FORGET_APPENDS appends each (default 5,000).
 *
 * In the table the baseline column is each part's "before" or "plain" way, `pup` what core runs.
 */
import { Redis } from "ioredis";
import postgres from "postgres";
import { createDb } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createScratchDatabase, uniqueName } from "../setup/isolation";
import { measureAppends } from "./forget/appends";
import { measureMessagePurge, measurePersonPurge } from "./forget/database";
import { jobPurgeSummary, measureJobPurge } from "./forget/jobs";
import { PEOPLE, seedWorkspace } from "./forget/workspace";
import { deleteKeys } from "./queue-baseline";
import type { BenchMetric, BenchReport } from "./report";
import { percentile } from "./stats";

const JOBS = Number(process.env.BENCH_FORGET_JOBS ?? 20_000);
const JOB_RUNS = Number(process.env.BENCH_FORGET_JOB_RUNS ?? 20);
const MESSAGES = Number(process.env.BENCH_FORGET_MESSAGES ?? 50_000);
const DB_RUNS = Number(process.env.BENCH_FORGET_DB_RUNS ?? 5);
const DB_BUDGET_S = Number(process.env.BENCH_FORGET_DB_BUDGET_S ?? 90);
const APPENDS = Number(process.env.BENCH_FORGET_APPENDS ?? 5_000);
const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";

const BASELINE = "baseline";
const PUP = "pup";

function metric(name: string, unit: string, baseline: number, pup: number): BenchMetric {
  return { name, unit, better: "lower", values: { [BASELINE]: baseline, [PUP]: pup } };
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

export default async function forgetBench(): Promise<BenchReport> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `pup-bench:${uniqueName("forget")}`;
  const scratch = await createScratchDatabase("pup_bench_forget");
  const handle = createDb({ databaseUrl: scratch.url, dataDir: "", embeddingDimensions: 512 });
  const admin = postgres(scratch.url, { max: 1, onnotice: () => {} });
  const took: Record<string, number> = {};
  try {
    let since = performance.now();
    // Two jobs per message: its payload and its edit's.
    const jobs = await measureJobPurge(redis, prefix, Math.ceil(JOBS / 2), JOB_RUNS);
    took.jobsSeconds = seconds(since);

    since = performance.now();
    await migrateDatabase(handle, { embeddingDimensions: 512 });
    const seeded = await seedWorkspace(admin, MESSAGES);
    took.seedSeconds = seconds(since);
    since = performance.now();
    const people = await measurePersonPurge(handle.db, admin, seeded, DB_RUNS, DB_BUDGET_S * 1000);
    took.forgetMeSeconds = seconds(since);
    since = performance.now();
    const message = await measureMessagePurge(handle.db, DB_RUNS);
    took.forgetMessageSeconds = seconds(since);

    since = performance.now();
    const appends = await measureAppends(handle.db, APPENDS);
    took.appendSeconds = seconds(since);

    const purge = jobPurgeSummary(jobs);
    const median = (samples: number[]) => percentile(samples, 50);
    return {
      suite: "forget: one message's jobs, one person's rows, the checked event log append",
      baseline: BASELINE,
      systems: [BASELINE, PUP],
      metrics: [
        metric(
          "1. message jobs purge p50 (walk all | by ids)",
          "ms",
          purge.p50.walking,
          purge.p50.byIds,
        ),
        metric(
          "1. message jobs purge p95 (walk all | by ids)",
          "ms",
          purge.p95.walking,
          purge.p95.byIds,
        ),
        metric(
          "2. forget me median (2 deletes | purgeUser)",
          "ms",
          median(people.plain),
          median(people.purgeUser),
        ),
        metric(
          "2. user_stats refresh alone (in purgeUser)",
          "ms",
          Number.NaN,
          median(people.statsRefresh),
        ),
        metric(
          "2b. one message in the database (2 statements | purgeMessage)",
          "ms",
          median(message.plain),
          median(message.purgeMessage),
        ),
        metric(
          "3. event log append p50 (insert | checked)",
          "µs",
          percentile(appends.plain, 50),
          percentile(appends.checked, 50),
        ),
        metric(
          "3. event log append p99 (insert | checked)",
          "µs",
          percentile(appends.plain, 99),
          percentile(appends.checked, 99),
        ),
      ],
      parameters: {
        jobs: jobs.jobs,
        jobRuns: jobs.runs,
        messages: MESSAGES,
        people: PEOPLE,
        personMessages: people.plainMessages[0] ?? 0,
        slackEvents: seeded.slack_events ?? 0,
        summaries: seeded.conversation_summaries ?? 0,
        facts: seeded.user_profile_facts ?? 0,
        dbRuns: people.runs,
        restoreMs: Math.round(median(people.restore)),
        purgedRows: Object.entries(people.lastCounts)
          .map(([table, n]) => `${table}:${n}`)
          .join(" "),
        appends: APPENDS,
        ...took,
      },
    };
  } finally {
    await admin.end({ timeout: 5 });
    await handle.close();
    await deleteKeys(redis, prefix).catch(() => {});
    redis.disconnect();
    await scratch.drop();
  }
}
