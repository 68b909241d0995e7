/**
 * `bun run worker` with WORKER_METRICS_PORT: a real worker process serves /healthz, /health and
 * /metrics, guarded by PUP_METRICS_TOKEN like core's, and answers once it is ready.
 */
import { afterAll, expect, test } from "bun:test";
import { type Cluster, startCluster, startWorker, type WorkerProcess } from "./cluster";

let cluster: Cluster | undefined;
let worker: WorkerProcess | undefined;
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await cluster?.stop();
});

test("a worker serves /healthz, /health and /metrics on WORKER_METRICS_PORT behind the token", async () => {
  cluster = await startCluster();
  // Built at run time: an obviously fake value, long enough for the 16-character rule.
  const token = ["fault", "test", "metrics", "token"].join("-");
  worker = await startWorker(cluster, { PUP_METRICS_TOKEN: token }, ["--queues", "embedding"]);
  const auth = { authorization: `Bearer ${token}` };

  expect((await fetch(`${worker.metricsUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${worker.metricsUrl}/metrics`)).status).toBe(401);
  expect((await fetch(`${worker.metricsUrl}/health`)).status).toBe(401);

  const metrics = await fetch(`${worker.metricsUrl}/metrics`, { headers: auth });
  expect(metrics.status).toBe(200);
  expect(await metrics.text()).toContain('pup_queue_depth{queue="embedding",state="waiting"}');

  const health = await fetch(`${worker.metricsUrl}/health`, { headers: auth });
  expect(health.status).toBe(200);
  const body = (await health.json()) as { checks: Record<string, { status: string }> };
  expect(body.checks.database?.status).toBe("up");
  expect(body.checks.redis?.status).toBe("up");
  // This worker does not post, so Slack is not its concern.
  expect(body.checks.slack?.status).toBe("up");
  expect(body.checks).toHaveProperty("queues.embedding");
}, 60_000);
