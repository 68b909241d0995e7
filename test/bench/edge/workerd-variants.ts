/**
 * Starts every edge benchmark variant as its own Worker in ONE workerd (miniflare 4), each on its
 * own direct socket (`unsafeDirectSockets`), so requests reach the Worker under test without
 * miniflare's router Worker in front (which costs ~0.3 ms of CPU per request) and all variants
 * share one runtime build and one machine state.
 */
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { edgeBundle, wranglerCompatibilityDate } from "../../e2e/edge/workerd";
import { childPidsNamed } from "./process-cpu";

/** The systems the benchmark compares, by their report names. */
export const EDGE_VARIANTS = [
  "pup-full",
  "pup-no-limiter",
  "pup-verify-ack",
  "bare-hono",
  "slack-edge",
] as const;
export type EdgeVariant = (typeof EDGE_VARIANTS)[number];

export interface EdgeVariantsOptions {
  signingSecret: string;
  coreUrl: string;
  coreSharedSecret: string;
  /** Per-user and per-workspace limits for the full path, high enough that nothing is limited. */
  rateLimit: number;
}

export interface RunningVariants {
  /** Origin of each variant's direct socket. */
  origins: Record<EdgeVariant, string>;
  /** The workerd process running all of them (for CPU accounting). */
  workerdPid: number;
  dispose(): Promise<void>;
}

async function bundle(file: string): Promise<string> {
  const build = await Bun.build({
    entrypoints: [join(import.meta.dir, file)],
    target: "browser",
    format: "esm",
  });
  const output = build.outputs[0];
  if (!build.success || !output) {
    throw new Error(`bundling ${file} failed:\n${build.logs.map(String).join("\n")}`);
  }
  return output.text();
}

/** Starts workerd with every variant and waits until every socket listens. */
export async function startEdgeVariants(options: EdgeVariantsOptions): Promise<RunningVariants> {
  const [full, verifyOnly, bare, peer, compatibilityDate] = await Promise.all([
    edgeBundle(),
    bundle("verify-only-worker.ts"),
    bundle("bare-hono-worker.ts"),
    bundle("slack-edge-peer-worker.ts"),
    wranglerCompatibilityDate(),
  ]);
  const limit = { limit: options.rateLimit, period: 60 as const };
  const common = {
    modules: true,
    compatibilityDate,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  };
  const slackOnly = { SLACK_SIGNING_SECRET: options.signingSecret };
  const pupBindings: Record<string, string> = {
    ...slackOnly,
    CORE_URL: options.coreUrl,
    CORE_SHARED_SECRET: options.coreSharedSecret,
  };
  // Group-commit settings to compare (edge defaults otherwise).
  for (const name of ["FORWARD_CONCURRENCY", "FORWARD_BATCH_MAX_ITEMS"]) {
    const value = process.env[`BENCH_EDGE_${name}`];
    if (value) pupBindings[name] = value;
  }
  const mf = new Miniflare({
    cf: false,
    // Worker console output is not part of what is measured; keep it out of the bench's output.
    // BENCH_EDGE_LOGS=1 shows them on stderr (for diagnosing failed runs).
    handleStructuredLogs: process.env.BENCH_EDGE_LOGS
      ? (entry: { message: string }) => {
          process.stderr.write(`${entry.message}\n`);
        }
      : () => {},
    workers: [
      {
        ...common,
        name: "pup-full",
        script: full,
        bindings: pupBindings,
        // The same bindings production has: both limiters and the fallback queue with its consumer.
        ratelimits: {
          USER_RATE_LIMITER: { namespace_id: "2001", simple: limit },
          TEAM_RATE_LIMITER: { namespace_id: "2002", simple: limit },
        },
        queueProducers: { CORE_FALLBACK_QUEUE: "pup-core-fallback" },
        queueConsumers: {
          "pup-core-fallback": { maxBatchTimeout: 1, deadLetterQueue: "pup-core-fallback-dlq" },
        },
      },
      // The full path's code without limiter bindings (the edge then warns once and does not
      // limit): separates the cost of miniflare's local rate-limit simulation from pup's own.
      {
        ...common,
        name: "pup-no-limiter",
        script: full,
        bindings: pupBindings,
        queueProducers: { CORE_FALLBACK_QUEUE: "pup-core-fallback" },
      },
      { ...common, name: "pup-verify-ack", script: verifyOnly, bindings: pupBindings },
      { ...common, name: "bare-hono", script: bare },
      { ...common, name: "slack-edge", script: peer, bindings: slackOnly },
    ],
  });
  await mf.ready;
  const origins = {} as Record<EdgeVariant, string>;
  for (const variant of EDGE_VARIANTS) {
    origins[variant] = (await mf.unsafeGetDirectURL(variant)).origin;
  }
  const [workerdPid] = childPidsNamed(process.pid, "workerd");
  if (workerdPid === undefined) {
    await mf.dispose();
    throw new Error("cannot find the workerd child process to meter its CPU");
  }
  return { origins, workerdPid, dispose: () => mf.dispose() };
}
