/**
 * The types every part of the edge app shares: the Hono environment (bindings in, per-request
 * values out), the log sink and the clock. Kept apart from app.ts so middleware and routes can
 * name them without importing the app that imports them.
 */
import type { EdgeBindings, EdgeConfig } from "./env";
import type { InboundSlackRequest } from "./slack/inbound";

/** One structured log entry; the Workers runtime collects console output. */
export type EdgeLog = (entry: Record<string, unknown>) => void;

/** Milliseconds since the epoch; injected so tests can stand at any moment. */
export type EdgeClock = () => number;

/** Values the middleware chain hands on to later steps of the same request. */
export interface EdgeVariables {
  /** The parsed bindings (set first, by the config guard). */
  config: EdgeConfig;
  /** The request body exactly as received: the bytes Slack signed (set by `bodyLimit`). */
  rawBody: Uint8Array;
  /** The verified, parsed delivery that is to be forwarded (set by the route's parser). */
  inbound: InboundSlackRequest;
}

/** Hono environment of the edge app. */
export interface EdgeAppEnv {
  Bindings: EdgeBindings;
  Variables: EdgeVariables;
}
