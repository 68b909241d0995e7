/**
 * Builds the edge's Hono app: the composition root of the request path. Every request first
 * needs valid bindings (a misconfigured Worker answers 500 `edge_misconfigured` naming the
 * variables, never their values). Every Slack route then runs, in this order: body limit ->
 * signature -> parse -> drop rules -> rate limit -> forward, and acknowledges Slack only once
 * the forwarder has the delivery safe. The rate limit counts only what costs (routes/costs.ts):
 * memory-keeping deliveries such as edits and deletions are never dropped by it.
 */
import { type Context, Hono } from "hono";
import type { EdgeAppEnv, EdgeClock, EdgeLog } from "./app-env";
import { createEdgeCounters } from "./counters";
import { createEdgeConfigReader, type EdgeBindings, type EdgeConfigProblem } from "./env";
import type { Forwarder } from "./forward/types";
import { bodyLimit } from "./middleware/body-limit";
import { rateLimit } from "./middleware/rate-limit";
import { slackSignature } from "./middleware/slack-signature";
import { acceptCommand } from "./routes/commands";
import { costsAReply } from "./routes/costs";
import type { RouteDeps } from "./routes/deps";
import { acceptEvent } from "./routes/events";
import { forwardInbound } from "./routes/forward";
import { healthz } from "./routes/healthz";
import { acceptInteraction } from "./routes/interactions";
import { acknowledge, ephemeral, SLOW_DOWN_TEXT } from "./routes/replies";

export type { EdgeAppEnv, EdgeClock, EdgeLog } from "./app-env";

export interface EdgeAppOptions {
  /**
   * Returns the forwarder for a request (the Worker entry builds the real one from the parsed
   * config and bindings, cached per isolate; tests pass a recording one).
   */
  forwarderFor: (c: Context<EdgeAppEnv>) => Forwarder;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: EdgeClock;
  /** Where log entries go; default: one JSON line on console.error. */
  log?: EdgeLog;
}

/** Creates the edge app. State (config cache, counters) lives in the app, not in the module. */
export function createApp(options: EdgeAppOptions): Hono<EdgeAppEnv> {
  const log: EdgeLog = options.log ?? ((entry) => console.error(JSON.stringify(entry)));
  const clock = options.clock ?? Date.now;
  const counters = createEdgeCounters();
  const deps: RouteDeps = { log, counters, clock, forwarderFor: options.forwarderFor };
  const readConfig = createEdgeConfigReader((problems: EdgeConfigProblem[]) =>
    log({ level: "error", msg: "edge misconfigured", problems }),
  );
  // app.request() without bindings passes undefined; one shared empty object keeps the cache
  // (and the log-once promise) meaningful in that case too.
  const noBindings: EdgeBindings = Object.freeze({});

  const app = new Hono<EdgeAppEnv>();

  app.use(async function requireEdgeConfig(c, next) {
    const result = readConfig(c.env ?? noBindings);
    if (!result.ok) {
      const variables = result.problems.map((problem) => problem.variable);
      return c.json({ error: "edge_misconfigured", variables }, 500);
    }
    c.set("config", result.config);
    await next();
  });

  const limitBody = bodyLimit({
    onRefused({ declaredBytes, path }) {
      counters.increment("too_large");
      log({ level: "warn", msg: "slack_request_too_large", declaredBytes, path });
    },
  });
  const verifySignature = slackSignature<EdgeAppEnv>({
    getSecret: (c) => c.get("config").slackSigningSecret,
    clock,
    onRejected({ reason, path }) {
      counters.increment("rejected");
      log({ level: "warn", msg: "slack_request_rejected", reason, path });
    },
  });
  const limitRate = rateLimit<EdgeAppEnv>({
    counts: (c) => costsAReply(c.get("inbound")),
    identify: (c) => c.get("inbound"),
    leases: (c) => c.get("config").rateLimitLeases,
    clock,
    // Acknowledged either way so Slack does not retry; only a command's sender is told.
    limited: (c, _scope) =>
      c.get("inbound").kind === "command" ? ephemeral(c, SLOW_DOWN_TEXT) : acknowledge(c),
    onLimited({ scope, subject }) {
      counters.increment("rate_limited");
      log({ level: "info", msg: "rate_limited", scope, teamId: subject.teamId });
    },
    onMissingBindings: (missing) =>
      log({ level: "warn", msg: "rate limiter bindings missing: not limiting", missing }),
    onLimiterError: (error) =>
      log({ level: "warn", msg: "rate limiter failed: let through", error: String(error) }),
  });
  const forward = forwardInbound(deps);

  app.get("/healthz", healthz(counters));
  app.post("/slack/events", limitBody, verifySignature, acceptEvent(deps), limitRate, forward);
  app.post("/slack/commands", limitBody, verifySignature, acceptCommand(deps), limitRate, forward);
  app.post(
    "/slack/interactions",
    limitBody,
    verifySignature,
    acceptInteraction(deps),
    limitRate,
    forward,
  );

  app.notFound((c) => c.json({ error: "not_found" }, 404));
  app.onError((error, c) => {
    log({ level: "error", msg: "unhandled error", error: error.message });
    return c.json({ error: "internal_error" }, 500);
  });

  return app;
}
