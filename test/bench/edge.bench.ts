/**
 * The edge under load: pup's full path (verify + rate limit + forward to a core that answers 202
 * at once), pup's verify-and-acknowledge path alone, a bare Hono Worker, and the peer, an app
 * built with the slack-edge package. All four run as separate Workers in ONE workerd (miniflare
 * 4), each on its own direct socket; autocannon (one thread, another process) drives one at a
 * time, alternating the variants over several rounds, and the median run of each is reported.
 *
 * CPU per request is workerd's process CPU time (utime + stime from /proc/PID/stat) over a run
 * divided by the responses in that run; only one variant is under load at a time.
 *
 * BENCH_EDGE_ROUNDS (default 3), BENCH_EDGE_SECONDS (default 5) and BENCH_EDGE_CONNECTIONS
 * (default 50) change the run.
 */
import { verifyCoreRequest } from "../../protocol/core-signature";
import { TEST_CORE_SHARED_SECRET } from "../e2e/edge/workerd";
import { buildSignedEventPool } from "./edge/event-pool";
import { type MeasuredRun, runLoad } from "./edge/load-run";
import { EDGE_VARIANTS, type EdgeVariant, startEdgeVariants } from "./edge/workerd-variants";
import type { BenchReport } from "./report";

const ROUNDS = Number(process.env.BENCH_EDGE_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_EDGE_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_EDGE_CONNECTIONS ?? 50);
const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const POOL = { size: 2000, teams: 8, users: 500 };

/** A stand-in for core that checks the edge's signature and answers 202 at once. */
function startInstantCore() {
  const counts = { accepted: 0, rejected: 0 };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = await request.text();
      const now = Math.floor(Date.now() / 1000);
      const check = await verifyCoreRequest(TEST_CORE_SHARED_SECRET, request.headers, body, now);
      if (!check.ok) {
        counts.rejected += 1;
        return new Response(null, { status: 401 });
      }
      counts.accepted += 1;
      return new Response(null, { status: 202 });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, counts, stop: () => server.stop(true) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export default async function edgeBench(): Promise<BenchReport> {
  const core = startInstantCore();
  const variants = await startEdgeVariants({
    signingSecret: SIGNING_SECRET,
    coreUrl: core.url,
    coreSharedSecret: TEST_CORE_SHARED_SECRET,
    rateLimit: 1_000_000_000,
  });
  const runs = Object.fromEntries(EDGE_VARIANTS.map((v) => [v, [] as MeasuredRun[]])) as Record<
    EdgeVariant,
    MeasuredRun[]
  >;
  const measure = async (variant: EdgeVariant, seconds: number) => {
    // Signed right before each run: no run can drift out of Slack's 5-minute window.
    const requests = await buildSignedEventPool({
      signingSecret: SIGNING_SECRET,
      path: "/slack/events",
      ...POOL,
    });
    const plan = {
      origin: variants.origins[variant],
      connections: CONNECTIONS,
      durationSeconds: seconds,
      requests,
    };
    return runLoad(plan, variants.workerdPid);
  };
  try {
    // Warm-up: JIT, key caches and connection pools, not measured.
    for (const variant of EDGE_VARIANTS) await measure(variant, 1);
    const acceptedBefore = core.counts.accepted;
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no variant always runs first (or right after the heaviest one).
      const order = EDGE_VARIANTS.map((_, i) => EDGE_VARIANTS[(i + round) % EDGE_VARIANTS.length]);
      for (const variant of order) {
        if (!variant) continue;
        const run = await measure(variant, SECONDS);
        if (run.non2xx > 0 || run.errors > 0) {
          throw new Error(`${variant}: ${run.non2xx} non-2xx answers, ${run.errors} errors`);
        }
        runs[variant].push(run);
      }
    }
    const fullResponses = runs["pup-full"].reduce((n, r) => n + r.responses, 0);
    // Let late forwards (fallback queue) land before counting what reached core.
    await Bun.sleep(2000);
    const forwarded = core.counts.accepted - acceptedBefore;

    const stat = (key: keyof MeasuredRun) =>
      Object.fromEntries(EDGE_VARIANTS.map((v) => [v, median(runs[v].map((r) => Number(r[key])))]));
    const rps = stat("requestsPerSecond");
    const ratio = (a: EdgeVariant, b: EdgeVariant) =>
      Number(((rps[a] ?? Number.NaN) / (rps[b] ?? Number.NaN)).toFixed(3));
    return {
      suite: "edge: Slack events through workerd (one Worker per direct socket)",
      baseline: "slack-edge",
      systems: [...EDGE_VARIANTS].reverse(),
      metrics: [
        { name: "throughput", unit: "requests/s", better: "higher", values: rps },
        { name: "latency p50", unit: "ms", better: "lower", values: stat("p50Ms") },
        { name: "latency p99", unit: "ms", better: "lower", values: stat("p99Ms") },
        {
          name: "workerd CPU per request",
          unit: "ms",
          better: "lower",
          values: stat("cpuMsPerRequest"),
        },
      ],
      parameters: {
        rounds: ROUNDS,
        secondsPerRun: SECONDS,
        connections: CONNECTIONS,
        "full/peer rps (target >= 1.0)": ratio("pup-full", "slack-edge"),
        "verify-ack/bare-hono rps (target >= 0.6)": ratio("pup-verify-ack", "bare-hono"),
        "full p99 ms (target < 20)": median(runs["pup-full"].map((r) => r.p99Ms)),
        "full path: acknowledged": fullResponses,
        // Exceeds "acknowledged" by up to `connections` per run: requests still in flight when
        // autocannon stops reached core but were never counted as responses.
        "full path: accepted by core": forwarded,
        "full path: refused by core (bad signature)": core.counts.rejected,
      },
    };
  } finally {
    await variants.dispose();
    await core.stop();
  }
}
