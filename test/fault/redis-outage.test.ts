/**
 * Redis going away under running processes, on a private redis-server: stopped for 10 s mid-run
 * and restarted, every job completes and core's producers fail fast (under 1 s) meanwhile; and
 * SIGTERM ends a worker within 25 s with 50 jobs active, with Redis up and with it unreachable.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RunningPup } from "../../core/src/start/start-pup";
import {
  type Cluster,
  channelMessage,
  effects,
  eventually,
  forward,
  forwardUntilAccepted,
  startCluster,
  startCore,
  startWorker,
  type WorkerProcess,
} from "./cluster";
import { type PrivateRedis, startPrivateRedis } from "./private-redis";

const QUEUES = ["--queues", "message,embedding"];
let redis: PrivateRedis;
let cluster: Cluster;
let core: RunningPup;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  cluster = await startCluster({ redisUrl: redis.url });
  core = await startCore(cluster);
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill("SIGKILL");
  await core?.stop(1000);
  await cluster?.stop();
  await redis?.dispose();
});

describe("Redis outage", () => {
  test("stopped 10 s mid-run: producers fail fast, every job completes after", async () => {
    workers.push(await startWorker(cluster, {}, QUEUES));
    const before = Array.from({ length: 200 }, (_, i) => channelMessage(cluster, `before ${i}`));
    await Promise.all(before.map((m) => forwardUntilAccepted(core.url ?? "", m.envelope)));
    await redis.stop();
    const outageStarted = Date.now();
    const latencies: number[] = [];
    const during = Array.from({ length: 50 }, (_, i) => channelMessage(cluster, `during ${i}`));
    for (const message of during.slice(0, 20)) {
      const started = performance.now();
      const status = await forward(core.url ?? "", message.envelope);
      latencies.push(performance.now() - started);
      expect(status).not.toBe(200);
    }
    await Bun.sleep(Math.max(0, 10_000 - (Date.now() - outageStarted)));
    await redis.start();
    // What was refused during the outage is delivered again, as the edge does.
    await Promise.all(during.map((m) => forwardUntilAccepted(core.url ?? "", m.envelope)));
    const total = before.length + during.length;
    const done = await eventually(async () => (await effects(cluster)).embedded === total, 60_000);
    const seen = await effects(cluster);
    const worst = Math.max(...latencies);
    console.info(
      `redis outage 10 s: producer answers while down: max ${worst.toFixed(0)} ms, ` +
        `median ${latencies.sort((a, b) => a - b)[10]?.toFixed(0)} ms; ` +
        `stored ${seen.stored}/${total}, embedded ${seen.embedded}/${total}`,
    );
    expect(worst).toBeLessThan(1_000);
    expect(done).toBe(true);
    expect(seen.stored).toBe(total);
  }, 120_000);
});

describe("SIGTERM", () => {
  /** Starts a worker, gives it 50 jobs that each take a few seconds, and SIGTERMs it. */
  async function fiftyActiveThenStop(cutRedis: boolean): Promise<number> {
    // The model answers embeddings slowly, so 50 jobs are active at once.
    cluster.openai.injectFault("embeddings", { kind: "latency", ms: 4_000 }, { times: 100 });
    const worker = await startWorker(cluster, { EMBEDDING_JOB_CONCURRENCY: "50" }, [
      "--queues",
      "embedding",
    ]);
    workers.push(worker);
    const messages = Array.from({ length: 50 }, (_, i) => channelMessage(cluster, `slow ${i}`));
    await Promise.all(messages.map((m) => forwardUntilAccepted(core.url ?? "", m.envelope)));
    await eventually(
      async () => (await core.services.queue.depth("embedding")).active >= 50,
      20_000,
    );
    if (cutRedis) await redis.stop();
    const started = Date.now();
    worker.child.kill("SIGTERM");
    await worker.child.exited;
    const ms = Date.now() - started;
    if (cutRedis) await redis.start();
    cluster.openai.reset();
    return ms;
  }

  test("50 active jobs: exits within 25 s", async () => {
    const ms = await fiftyActiveThenStop(false);
    console.info(`SIGTERM with 50 active jobs: exited after ${ms} ms`);
    expect(ms).toBeLessThan(25_000);
  }, 90_000);

  test("50 active jobs and Redis unreachable: exits within 25 s", async () => {
    const ms = await fiftyActiveThenStop(true);
    console.info(`SIGTERM with 50 active jobs, Redis down: exited after ${ms} ms`);
    expect(ms).toBeLessThan(25_000);
  }, 90_000);
});
