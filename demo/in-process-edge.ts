/**
 * The edge Worker run inside the demo's process: the same Hono app (edge/src/app.ts) and
 * forwarder (edge/src/forward) the Worker entry builds, given the bindings wrangler would pass,
 * so every page action goes through real signature checks, parsing, drop rules and the signed
 * forward to core. Only the Cloudflare bindings differ: the fallback queue is in-process
 * (fallback-queue.ts) and the rate-limit bindings are left out (they are optional; a demo has one
 * person at the keyboard).
 */
import type { ExecutionContext } from "hono";
import type { Logger } from "pino";
import { createApp } from "../edge/src/app";
import type { EdgeLog } from "../edge/src/app-env";
import { type EdgeBindings, parseEdgeConfig } from "../edge/src/env";
import { createForwarding } from "../edge/src/forward";
import { createInProcessQueue } from "./fallback-queue";

export interface InProcessEdgeOptions {
  signingSecret: string;
  coreUrl: string;
  coreSharedSecret: string;
  env: string;
  logLevel: string;
  logger: Logger;
}

export interface InProcessEdge {
  /** Serves one request as the Worker's `fetch` would. */
  fetch(request: Request): Promise<Response>;
  /** Refuses further requests, waits for `waitUntil` work, stops redeliveries. */
  stop(): Promise<void>;
}

/** wrangler.toml's name for the fallback queue, as its consumer is told. */
const FALLBACK_QUEUE_NAME = "pup-core-fallback";

/** Logs the expected absence of rate limiting below warn, so it does not look like a fault. */
const EXPECTED_IN_DEMO = new Set(["rate limiter bindings missing: not limiting"]);

/** Writes the edge's log entries through the demo's pino logger, at their own level. */
function edgeLog(logger: Logger): EdgeLog {
  const child = logger.child({ component: "edge" });
  return ({ level, msg, ...fields }) => {
    const message = String(msg ?? "edge");
    let method: "debug" | "info" | "warn" | "error" = "info";
    if (level === "debug" || level === "warn" || level === "error") method = level;
    if (EXPECTED_IN_DEMO.has(message)) method = "debug";
    child[method](fields, message);
  };
}

/** Builds the edge; throws when the bindings would not pass the Worker's own config check. */
export function createInProcessEdge(options: InProcessEdgeOptions): InProcessEdge {
  const log = edgeLog(options.logger);
  const vars: EdgeBindings = {
    SLACK_SIGNING_SECRET: options.signingSecret,
    CORE_URL: options.coreUrl,
    CORE_SHARED_SECRET: options.coreSharedSecret,
    PUP_ENV: options.env,
    LOG_LEVEL: options.logLevel,
    // Someone is watching the page: retry a payload core missed after 1 s, not Slack's 5 s.
    FORWARD_RETRY_BASE_SECONDS: "1",
  };
  const parsed = parseEdgeConfig(vars);
  if (!parsed.ok) {
    const variables = parsed.problems.map((problem) => problem.variable).join(", ");
    throw new Error(`the edge refused its bindings (${variables})`);
  }
  const { config } = parsed;
  const queue = createInProcessQueue({
    name: FALLBACK_QUEUE_NAME,
    maxRetries: config.forwardRedelivery.maxRetries,
    log,
  });
  const bindings: EdgeBindings = { ...vars, CORE_FALLBACK_QUEUE: queue.binding };
  // One forwarding for the process, as the Worker keeps one per bindings object.
  const forwarding = createForwarding({ config, queue: queue.binding, log });
  queue.consumeWith(forwarding.consumeQueue);
  const app = createApp({ log, forwarderFor: () => forwarding.forwarder });

  const background = new Set<Promise<unknown>>();
  const executionContext: ExecutionContext = {
    waitUntil(promise) {
      const kept = promise.catch((error: unknown) =>
        log({ level: "warn", msg: "waitUntil work failed", error: String(error) }),
      );
      background.add(kept);
      void kept.finally(() => background.delete(kept));
    },
    passThroughOnException() {},
    props: {},
  };

  let stopping = false;
  return {
    async fetch(request) {
      if (stopping) return Response.json({ error: "shutting_down" }, { status: 503 });
      return app.fetch(request, bindings, executionContext);
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...background]);
      const dropped = queue.stop();
      if (dropped > 0) {
        log({ level: "warn", msg: "payloads still waiting to reach core were dropped", dropped });
      }
    },
  };
}
