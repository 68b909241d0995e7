/**
 * Builds the edge's Hono app. Every request first needs valid bindings: a misconfigured Worker
 * answers 500 `edge_misconfigured` naming the variables (never their values) instead of
 * half-working. Slack routes are added by later issues.
 */
import { Hono } from "hono";
import {
  createEdgeConfigReader,
  type EdgeBindings,
  type EdgeConfig,
  type EdgeConfigProblem,
} from "./env";

/** Hono environment of the edge app: bindings in, parsed config for handlers. */
export interface EdgeAppEnv {
  Bindings: EdgeBindings;
  Variables: { config: EdgeConfig };
}

/** One structured log entry; the Workers runtime collects console output. */
export type EdgeLog = (entry: Record<string, unknown>) => void;

export interface EdgeAppOptions {
  /** Where log entries go; default: one JSON line on console.error. */
  log?: EdgeLog;
}

/** Creates the edge app. State (the config cache) lives in the app, not in the module. */
export function createApp(options: EdgeAppOptions = {}): Hono<EdgeAppEnv> {
  const log: EdgeLog = options.log ?? ((entry) => console.error(JSON.stringify(entry)));
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

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.notFound((c) => c.json({ error: "not_found" }, 404));
  app.onError((error, c) => {
    log({ level: "error", msg: "unhandled error", error: error.message });
    return c.json({ error: "internal_error" }, 500);
  });

  return app;
}
