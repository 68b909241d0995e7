/**
 * The last step of every Slack route: wraps the parsed delivery as a ForwardedPayload, hands it
 * to the forwarder (which waits for core within its deadline or queues it) and only then
 * acknowledges Slack. If the delivery is neither accepted nor queued, Slack is asked to retry
 * (5xx) rather than told it arrived; a slash command, which Slack never retries, gets a line.
 */
import type { Context, Handler } from "hono";
import {
  FORWARDED_PAYLOAD_VERSION,
  type ForwardedPayload,
} from "../../../protocol/forwarded-payload";
import type { EdgeAppEnv } from "../app-env";
import { createTraceparent } from "../forward/traceparent";
import type { RouteDeps } from "./deps";
import { acknowledge, ephemeral, UNAVAILABLE_TEXT } from "./replies";

/** Slack's retry headers: attempt number (0 on a first delivery) and its reason. */
function slackRetry(c: Context): ForwardedPayload["retry"] {
  const num = c.req.header("x-slack-retry-num");
  const reason = c.req.header("x-slack-retry-reason");
  return {
    num: num !== undefined && /^\d{1,3}$/.test(num) ? Number(num) : 0,
    reason: reason ? reason.slice(0, 128) : null,
  };
}

/** Handler factory; expects `inbound` to have been set by the route's parser. */
export function forwardInbound(deps: RouteDeps): Handler<EdgeAppEnv> {
  const { log, counters, clock } = deps;
  return async function forwardToCore(c) {
    const inbound = c.get("inbound");
    const payload: ForwardedPayload = {
      version: FORWARDED_PAYLOAD_VERSION,
      kind: inbound.kind,
      id: inbound.id,
      teamId: inbound.teamId,
      receivedAt: new Date(clock()).toISOString(),
      retry: slackRetry(c),
      payload: inbound.payload,
    };
    try {
      const outcome = await deps
        .forwarderFor(c)
        .forward(payload, { traceparent: createTraceparent() });
      counters.increment(outcome === "accepted" ? "forwarded" : "queued");
    } catch (error) {
      counters.increment("forward_failed");
      log({
        level: "error",
        msg: "forward_failed",
        kind: inbound.kind,
        id: inbound.id,
        error: error instanceof Error ? error.message : String(error),
      });
      if (inbound.kind === "command") return ephemeral(c, UNAVAILABLE_TEXT);
      return c.json({ error: "unavailable" }, 503);
    }
    return acknowledge(c);
  };
}
