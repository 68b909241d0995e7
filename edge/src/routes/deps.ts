/**
 * What the routes need from the composition root (app.ts): where to log, what to count, the
 * clock and how to get the forwarder for a request.
 */
import type { Context } from "hono";
import type { EdgeAppEnv, EdgeClock, EdgeLog } from "../app-env";
import type { EdgeCounters } from "../counters";
import type { Forwarder } from "../forward/types";

export interface RouteDeps {
  log: EdgeLog;
  counters: EdgeCounters;
  clock: EdgeClock;
  /** The forwarder for this request's configuration (built and cached by the caller). */
  forwarderFor: (c: Context<EdgeAppEnv>) => Forwarder;
}
