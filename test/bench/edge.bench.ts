/**
 * The edge under load: pup's full path (verify + rate limit + forward to a core that answers 202
 * at once), the same code without rate-limit bindings (miniflare simulates each limiter call with
 * a Durable Object, far dearer than the binding in production), pup's verify-and-acknowledge path
 * alone, a bare Hono Worker, and the peer, an app built with the slack-edge package. All run as
 * separate Workers in ONE workerd (miniflare
 * 4), each on its own direct socket; autocannon (one thread, another process) drives one at a
 * time, alternating the variants over several rounds, and the median run of each is reported.
 *
 * Two kinds of run, because latency at saturation measures only queueing (Little's law: 50
 * connections at 1,000 requests/s wait 50 ms on average, whatever the code does):
 * - saturation (BENCH_EDGE_CONNECTIONS, default 50, as fast as the Worker answers): throughput
 *   and workerd CPU per request. Its p99 is reported as "queueing" for context only.
 * - fixed rate (BENCH_EDGE_RATE requests/s, default 200, over BENCH_EDGE_RATE_CONNECTIONS,
 *   default 10, the same pre-signed pool; open-loop, evenly spaced, latency counted from each
 *   request's due time: edge/fixed-rate.ts says why not autocannon's `overallRate`): p50/p99
 *   latency at a load every variant sustains. The "full-path p99 under 20 ms" is read
 *   from this run.
 *
 * CPU per request is workerd's process CPU time (utime + stime from /proc/PID/stat) over a run
 * divided by the responses in that run; only one variant is under load at a time.
 *
 * BENCH_EDGE_ROUNDS (default 3), BENCH_EDGE_SECONDS (saturation, default 5) and
 * BENCH_EDGE_RATE_SECONDS (fixed rate, default 4) set the length: about 2.5 minutes in all.
 */
import { TEST_CORE_SHARED_SECRET } from "../e2e/edge/workerd";
import { buildSignedEventPool } from "./edge/event-pool";
import { startInstantCore } from "./edge/instant-core";
import { type MeasuredRun, runLoad } from "./edge/load-run";
import { EDGE_VARIANTS, type EdgeVariant, startEdgeVariants } from "./edge/workerd-variants";
import type { BenchReport } from "./report";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = env("BENCH_EDGE_ROUNDS", 3);
const SATURATION = {
  seconds: env("BENCH_EDGE_SECONDS", 5),
  connections: env("BENCH_EDGE_CONNECTIONS", 50),
};
const FIXED = {
  seconds: env("BENCH_EDGE_RATE_SECONDS", 4),
  connections: env("BENCH_EDGE_RATE_CONNECTIONS", 10),
  rate: env("BENCH_EDGE_RATE", 200),
};
const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const POOL = { size: 2000, teams: 8, users: 500 };

type Load = { seconds: number; connections: number; rate?: number };
type Runs = Record<EdgeVariant, MeasuredRun[]>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const emptyRuns = () =>
  Object.fromEntries(EDGE_VARIANTS.map((v) => [v, [] as MeasuredRun[]])) as Runs;

/** Medians per variant of one field over a kind of run. */
function stat(runs: Runs, key: keyof MeasuredRun): Record<string, number> {
  return Object.fromEntries(
    EDGE_VARIANTS.map((v) => [v, median(runs[v].map((r) => Number(r[key])))]),
  );
}

export default async function edgeBench(): Promise<BenchReport> {
  const core = startInstantCore(TEST_CORE_SHARED_SECRET);
  const variants = await startEdgeVariants({
    signingSecret: SIGNING_SECRET,
    coreUrl: core.url,
    coreSharedSecret: TEST_CORE_SHARED_SECRET,
    rateLimit: 1_000_000_000,
  });
  const saturated = emptyRuns();
  const fixed = emptyRuns();
  const failures = Object.fromEntries(EDGE_VARIANTS.map((v) => [v, 0])) as Record<
    EdgeVariant,
    number
  >;
  const measure = async (variant: EdgeVariant, load: Load) => {
    // Signed right before each run: no run can drift out of Slack's 5-minute window.
    const requests = await buildSignedEventPool({
      signingSecret: SIGNING_SECRET,
      path: "/slack/events",
      ...POOL,
    });
    const plan = {
      origin: variants.origins[variant],
      connections: load.connections,
      durationSeconds: load.seconds,
      ...(load.rate ? { overallRate: load.rate } : {}),
      requests,
    };
    const run = await runLoad(plan, variants.workerdPid);
    // Every answer should be a 2xx; a few failures are reported (a lost delivery is a finding),
    // a broken variant stops the bench rather than being measured.
    failures[variant] += run.non2xx + run.errors;
    if (run.non2xx + run.errors > Math.max(10, run.responses / 100)) {
      const kind = load.rate ? `${load.rate} req/s` : "saturation";
      const statuses = JSON.stringify(run.statuses);
      throw new Error(`${variant} (${kind}): ${run.errors} errors; answers by status ${statuses}`);
    }
    return run;
  };
  try {
    // Warm-up: JIT, key caches and connection pools, not measured.
    for (const variant of EDGE_VARIANTS) await measure(variant, { ...SATURATION, seconds: 1 });
    const acceptedBefore = core.counts.accepted;
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order so no variant always runs first (or right after the heaviest one).
      const order = EDGE_VARIANTS.map((_, i) => EDGE_VARIANTS[(i + round) % EDGE_VARIANTS.length]);
      for (const variant of order) {
        if (variant) saturated[variant].push(await measure(variant, SATURATION));
      }
      for (const variant of order) {
        if (variant) fixed[variant].push(await measure(variant, FIXED));
      }
    }
    const fullResponses = [...saturated["pup-full"], ...fixed["pup-full"]].reduce(
      (n, r) => n + r.responses,
      0,
    );
    // Let late forwards (fallback queue) land before counting what reached core.
    await Bun.sleep(2000);
    const forwarded = core.counts.accepted - acceptedBefore;

    const rps = stat(saturated, "requestsPerSecond");
    const ratio = (a: EdgeVariant, b: EdgeVariant) =>
      Number(((rps[a] ?? Number.NaN) / (rps[b] ?? Number.NaN)).toFixed(3));
    // A variant that cannot keep up with the fixed rate queues again; its latency would mislead.
    const slow = EDGE_VARIANTS.filter(
      (v) => median(fixed[v].map((r) => r.requestsPerSecond)) < FIXED.rate * 0.9,
    );
    const at = `at ${FIXED.rate} req/s, ${FIXED.connections} conns`;
    return {
      suite: "edge: Slack events through workerd (one Worker per direct socket)",
      baseline: "slack-edge",
      systems: [...EDGE_VARIANTS].reverse(),
      metrics: [
        { name: "throughput (saturation)", unit: "requests/s", better: "higher", values: rps },
        {
          name: "workerd CPU per request (saturation)",
          unit: "ms",
          better: "lower",
          values: stat(saturated, "cpuMsPerRequest"),
        },
        { name: `latency p50 ${at}`, unit: "ms", better: "lower", values: stat(fixed, "p50Ms") },
        { name: `latency p99 ${at}`, unit: "ms", better: "lower", values: stat(fixed, "p99Ms") },
        {
          name: `latency p99 at saturation (queueing, ${SATURATION.connections} conns)`,
          unit: "ms",
          better: "lower",
          values: stat(saturated, "p99Ms"),
        },
      ],
      parameters: {
        rounds: ROUNDS,
        "saturation: seconds per run": SATURATION.seconds,
        "saturation: connections": SATURATION.connections,
        "fixed rate: requests/s": FIXED.rate,
        "fixed rate: connections": FIXED.connections,
        "fixed rate: seconds per run": FIXED.seconds,
        "fixed rate: variants below 90% of the rate": slow.join(" ") || "none",
        "full/peer rps (target >= 1.0)": ratio("pup-full", "slack-edge"),
        "full without limiter bindings/peer rps": ratio("pup-no-limiter", "slack-edge"),
        "verify-ack/bare-hono rps (target >= 0.6)": ratio("pup-verify-ack", "bare-hono"),
        [`full p99 ms ${at} (target < 20)`]: Number(
          median(fixed["pup-full"].map((r) => r.p99Ms)).toFixed(2),
        ),
        "non-2xx answers or errors (all runs)": EDGE_VARIANTS.map(
          (v) => `${v} ${failures[v]}`,
        ).join(", "),
        "full path: acknowledged": fullResponses,
        // Exceeds "acknowledged" by up to `connections` per run (requests still in flight when
        // autocannon stops reached core but were never counted as responses) plus the
        // fixed-rate runs' uncounted warm-up requests.
        "full path: accepted by core": forwarded,
        "full path: requests to core (group commit)": core.counts.requests,
        "full path: refused by core (bad signature)": core.counts.rejected,
        "full path: unreadable bodies at core": core.counts.malformed,
      },
    };
  } finally {
    await variants.dispose();
    await core.stop();
  }
}
