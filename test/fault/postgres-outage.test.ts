/**
 * PostgreSQL unreachable mid-run: core and two `bun run worker` processes reach it through a TCP
 * relay the test cuts (every open connection dropped, new ones refused) for
 * PUP_FAULT_PG_OUTAGE_MS (20 s in `bun run test`; the 2 minutes with 120000). While it
 * is down core must refuse deliveries it cannot write to the event log (non-2xx, so the edge
 * keeps them and retries), and the test re-sends every refused one afterwards as the edge would.
 * Jobs that met the outage wait it out (ADR-027). Afterwards every message is stored and
 * embedded, and every mention answered exactly once, counted in PostgreSQL and the local Slack.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { RunningPup } from "../../core/src/start/start-pup";
import { tcpRelay } from "../setup/tcp-relay";
import {
  type Cluster,
  channelMessage,
  effects,
  eventually,
  forward,
  forwardUntilAccepted,
  PUP,
  SHORT_REPLY_LEASE,
  startCluster,
  startCore,
  startWorker,
  type WorkerProcess,
} from "./cluster";

const OUTAGE_MS = Number(process.env.PUP_FAULT_PG_OUTAGE_MS || 20_000);
const QUEUES = ["--queues", "message,embedding"];
const BEFORE = 200;
const DURING = 40;
/** One in five is a mention, so replies meet the outage too. */
const MENTION_EVERY = 5;

const upstream = new URL(process.env.PUP_TEST_DATABASE_URL ?? "postgres://127.0.0.1:5432/x");
const relay = tcpRelay({ host: upstream.hostname, port: Number(upstream.port || 5432) });
let cluster: Cluster;
let core: RunningPup;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  const relayed = new URL(upstream);
  relayed.port = String(await relay.up());
  cluster = await startCluster({ databaseUrl: relayed.toString() });
  core = await startCore(cluster, {
    generationTimeoutMs: Number(SHORT_REPLY_LEASE.PUP_REPLY_TIMEOUT_MS),
    claimLeaseMs: Number(SHORT_REPLY_LEASE.PUP_REPLY_CLAIM_LEASE_MS),
  });
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill("SIGKILL");
  await relay.up().catch(() => {});
  await core?.stop(1000);
  await cluster?.stop();
  await relay.down();
});

/** On failure: each worker's exit code and last log lines, and the queues' job counts. */
async function diagnose() {
  const lines: string[] = [];
  for (const worker of workers) {
    const out = await Bun.file(worker.logFile)
      .text()
      .catch(() => "");
    const err = await Bun.file(`${worker.logFile}.err`)
      .text()
      .catch(() => "");
    const tail = (text: string) => text.trimEnd().split("\n").slice(-15).join("\n    ");
    lines.push(
      `worker ${worker.metricsUrl} pid ${worker.child.pid} exit ${worker.child.exitCode} ` +
        `(${worker.logFile})\n  stdout:\n    ${tail(out)}\n  stderr:\n    ${tail(err)}`,
    );
  }
  for (const name of ["message", "embedding"] as const) {
    lines.push(`${name} queue: ${JSON.stringify(await core.services.queue.depth(name))}`);
  }
  lines.push(
    `prefix ${cluster.prefix}; database ${cluster.pupDatabaseUrl.replace(/\/\/[^@]*@/, "//…@")}`,
  );
  return lines.join("\n");
}

function message(label: string, i: number) {
  const mention = i % MENTION_EVERY === 0;
  const text = mention ? `<@${PUP}> ${label} question ${i}` : `${label} message ${i}`;
  return { mention, ...channelMessage(cluster, text, mention) };
}

test(
  `PostgreSQL unreachable ${OUTAGE_MS} ms mid-run: every message stored, embedded, answered once`,
  async () => {
    workers.push(await startWorker(cluster, SHORT_REPLY_LEASE, QUEUES));
    workers.push(await startWorker(cluster, SHORT_REPLY_LEASE, QUEUES));
    const url = core.url ?? "";
    // Mid-run: the first deliveries are accepted, their jobs still running when the relay is cut.
    const before = Array.from({ length: BEFORE }, (_, i) => message("before", i));
    await Promise.all(before.map((m) => forwardUntilAccepted(url, m.envelope)));
    await relay.down();
    const outageStarted = Date.now();
    const during = Array.from({ length: DURING }, (_, i) => message("during", i));
    const statuses: number[] = [];
    const latencies: number[] = [];
    // Spread over the outage, as Slack's deliveries would be.
    for (const [i, m] of during.entries()) {
      await Bun.sleep(Math.max(0, outageStarted + (i * OUTAGE_MS) / (DURING + 1) - Date.now()));
      const started = performance.now();
      statuses.push(await forward(url, m.envelope));
      latencies.push(performance.now() - started);
    }
    await Bun.sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    await relay.up();
    const restored = Date.now();
    // The edge's retry: everything core refused is delivered again.
    await Promise.all(during.map((m) => forwardUntilAccepted(url, m.envelope)));
    const all = [...before, ...during];
    const mentions = all.filter((m) => m.mention).map((m) => m.ts);
    const settled = await eventually(async () => {
      const seen = await effects(cluster);
      const message = await core.services.queue.depth("message");
      const embedding = await core.services.queue.depth("embedding");
      const open = [message, embedding].reduce((n, d) => n + d.waiting + d.active + d.delayed, 0);
      return (
        seen.embedded === all.length && mentions.every((ts) => seen.replies.has(ts)) && open === 0
      );
    }, 180_000);
    const recoveryMs = Date.now() - restored;
    const seen = await effects(cluster);
    const doubled = [...seen.replies.values()].filter((count) => count > 1).length;
    const answered = mentions.filter((ts) => seen.replies.has(ts)).length;
    const accepted = statuses.filter((status) => status >= 200 && status < 300).length;
    const failed =
      (await core.services.queue.depth("message")).failed +
      (await core.services.queue.depth("embedding")).failed;
    console.info(
      `postgres outage ${OUTAGE_MS} ms: core answered ${DURING} deliveries during it with ` +
        `[${[...new Set(statuses)].join(", ")}] (${accepted} accepted), ` +
        `max ${Math.max(...latencies).toFixed(0)} ms; stored ${seen.stored}/${all.length}, ` +
        `embedded ${seen.embedded}/${all.length}, answered ${answered}/${mentions.length}, ` +
        `doubled ${doubled}, failed jobs ${failed}; settled ${recoveryMs} ms after PostgreSQL came back`,
    );
    if (!settled) console.error(await diagnose());
    // Nothing acknowledged that could not be stored: the edge keeps and retries what core refuses.
    expect(accepted).toBe(0);
    expect(settled).toBe(true);
    expect(seen.stored).toBe(all.length);
    expect(seen.embedded).toBe(all.length);
    expect(answered).toBe(mentions.length);
    expect(seen.replies.size).toBe(mentions.length);
    expect(doubled).toBe(0);
    expect(failed).toBe(0);
  },
  OUTAGE_MS + 300_000,
);
