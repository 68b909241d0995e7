/**
 * `bun run bench demo`: how fast `bun run demo` is for a person trying it, each beside a
 * baseline measured in the same run.
 * - Start: from spawning `bun run demo` to the page answering HTTP 200 and to the ready line
 *   (pup can reply), on a fresh data directory (PGlite creates and migrates its database) and
 *   again on the same one. Baseline: `bun -e` serving a static page, spawned the same way.
 * - Reply (offline mode): from posting a mention through the page's /ui/message to pup's reply
 *   text arriving on the page's live feed (/events). Baseline: posting a plain message (no
 *   mention, so no reply) until the page answers, once the edge verified it and core accepted it.
 * - Stop: from SIGINT to the process exiting (the static page's exit as the baseline).
 * BENCH_DEMO_STARTS (default 3) and BENCH_DEMO_REPLIES (default 10) set the sample counts.
 */
import { rm } from "node:fs/promises";
import { type DemoProcess, scratchDataDir, spawnDemo } from "../e2e/demo/demo-process";
import { followPage, postAsAlice } from "./demo/page-client";
import type { BenchReport } from "./report";
import { percentile } from "./stats";

const STARTS = Number(process.env.BENCH_DEMO_STARTS ?? 3);
const REPLIES = Number(process.env.BENCH_DEMO_REPLIES ?? 10);
const GENERAL = "C0DEMOGENRL";
const RANDOM = "C0DEMORANDM";
const WAIT_MS = 120_000;

const median = (samples: number[]) => percentile(samples, 50);
const now = () => Bun.nanoseconds() / 1e6;

/** `promise`, or a failure naming `what` (with the demo's output) after WAIT_MS. */
async function within<T>(promise: Promise<T>, what: string, demo: DemoProcess): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not come within ${WAIT_MS} ms:\n${demo.output()}`)),
      WAIT_MS,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A loopback port nothing listens on (the kernel's pick, released). */
function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = server;
  server.stop(true);
  return port;
}

/** Polls `url` until it answers 200; returns when it did (high-resolution ms). */
async function untilOk(url: string, child: { exitCode: number | null }): Promise<number> {
  const deadline = now() + WAIT_MS;
  while (now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) first`);
    const ok = await fetch(url)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return now();
    await Bun.sleep(5);
  }
  throw new Error(`${url} did not answer within ${WAIT_MS} ms`);
}

interface StartSample {
  page: number;
  ready: number;
  stop: number;
}

/** One demo start on `dataDir`: spawn -> page 200 -> ready line, then SIGINT -> exit. */
async function startOnce(dataDir: string, keepRunning = false) {
  const port = freePort();
  const spawned = now();
  const demo = spawnDemo(dataDir, { PUP_DEMO_PORT: String(port) });
  const page = (await untilOk(`http://127.0.0.1:${port}/`, demo.child)) - spawned;
  await within(demo.ready, "the ready line", demo);
  const ready = now() - spawned;
  if (keepRunning) return { demo, port, sample: { page, ready, stop: Number.NaN } };
  const stopping = now();
  const code = await demo.stop("SIGINT");
  if (code !== 0) throw new Error(`the demo exited ${code} on SIGINT:\n${demo.output()}`);
  return { demo, port, sample: { page, ready, stop: now() - stopping } };
}

/** The baseline process: Bun serving one static page, spawned and stopped the same way. */
async function staticPageOnce(): Promise<StartSample> {
  const port = freePort();
  const script = `Bun.serve({ hostname: "127.0.0.1", port: ${port}, fetch: () => new Response("<!doctype html><p>page</p>", { headers: { "content-type": "text/html" } }) });`;
  const spawned = now();
  const child = Bun.spawn([process.execPath, "-e", script], { stdout: "ignore", stderr: "ignore" });
  const page = (await untilOk(`http://127.0.0.1:${port}/`, child)) - spawned;
  const stopping = now();
  child.kill("SIGINT");
  await child.exited;
  return { page, ready: page, stop: now() - stopping };
}

/**
 * Per round, sequentially: a plain message (no mention: pup stores it, does not answer) from
 * sending to the page's answer, which comes once the edge verified it and core accepted it (the
 * baseline); then a question to pup from sending to its reply showing on the live feed.
 */
async function replies(demo: DemoProcess, port: number) {
  const live = followPage(port);
  await live.opened;
  const accepted: number[] = [];
  const replied: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      await postAsAlice(port, GENERAL, `@pup my locker ${i} holds item ${i}`);
    }
    // Two warm-up rounds, then the measured ones.
    for (let i = -2; i < REPLIES; i++) {
      const plainSent = now();
      await postAsAlice(port, RANDOM, `lunch plans, round ${i}`);
      const plainAccepted = now() - plainSent;
      const topic = Math.abs(i) % 3;
      const sent = now();
      const asked = await postAsAlice(port, RANDOM, `@pup what does locker ${topic} hold? (${i})`);
      const repliedAt = await within(live.replyTo(asked), `pup's reply to question ${i}`, demo);
      if (i < 0) continue;
      accepted.push(plainAccepted);
      replied.push(repliedAt - sent);
    }
  } finally {
    live.close();
  }
  return { accepted, replied };
}

export default async function demoBenchmark(): Promise<BenchReport> {
  const baseline: StartSample[] = [];
  const first: StartSample[] = [];
  const second: StartSample[] = [];
  let replySamples = { accepted: [] as number[], replied: [] as number[] };
  for (let run = 0; run < STARTS; run++) {
    const dataDir = await scratchDataDir("bench-demo");
    try {
      baseline.push(await staticPageOnce());
      first.push((await startOnce(dataDir)).sample);
      const last = run === STARTS - 1;
      const started = await startOnce(dataDir, last);
      if (last) {
        replySamples = await replies(started.demo, started.port);
        const stopping = now();
        const code = await started.demo.stop("SIGINT");
        if (code !== 0) throw new Error(`the demo exited ${code} on SIGINT`);
        started.sample.stop = now() - stopping;
      }
      second.push(started.sample);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const pick = (samples: StartSample[], key: keyof StartSample) =>
    median(samples.map((s) => s[key]));
  return {
    suite: "demo (bun run demo, offline mode, PGlite, in-process queues)",
    baseline: "baseline",
    systems: ["baseline", "pup demo"],
    metrics: [
      ...(["page", "ready"] as const).flatMap((key) => [
        {
          name: `first start (fresh data dir) -> ${key === "page" ? "page 200" : "ready line"}; baseline: bun -e static page`,
          unit: "ms",
          better: "lower" as const,
          values: { baseline: pick(baseline, "page"), "pup demo": pick(first, key) },
        },
        {
          name: `second start (same data dir) -> ${key === "page" ? "page 200" : "ready line"}; baseline: bun -e static page`,
          unit: "ms",
          better: "lower" as const,
          values: { baseline: pick(baseline, "page"), "pup demo": pick(second, key) },
        },
      ]),
      {
        name: "message -> reply shown, p50; baseline: plain message -> accepted by edge+core",
        unit: "ms",
        better: "lower",
        values: {
          baseline: median(replySamples.accepted),
          "pup demo": median(replySamples.replied),
        },
      },
      {
        name: "message -> reply shown, p95; baseline: plain message -> accepted by edge+core",
        unit: "ms",
        better: "lower",
        values: {
          baseline: percentile(replySamples.accepted, 95),
          "pup demo": percentile(replySamples.replied, 95),
        },
      },
      {
        name: "SIGINT -> exit 0 (after a first start); baseline: bun -e static page",
        unit: "ms",
        better: "lower",
        values: { baseline: pick(baseline, "stop"), "pup demo": pick(first, "stop") },
      },
    ],
    parameters: { starts: STARTS, replies: REPLIES, warmups: 2 },
  };
}
