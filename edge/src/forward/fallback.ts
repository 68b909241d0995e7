/**
 * The edge's real {@link Forwarder}: give core FORWARD_DEADLINE_MS to accept a payload, and if it
 * does not, make the payload durable on the fallback queue before the route acknowledges Slack.
 * Both steps run inside the request (not in `waitUntil`), so a 2xx to Slack always means
 * "accepted by core" or "stored in the queue". When even the queue refuses, the forward fails
 * and the route answers 5xx: Slack then retries, which is better than acknowledging a loss.
 */
import type { EdgeLog } from "../app-env";
import type { QueueProducerBinding } from "../env";
import type { CoreClient } from "./core-client";
import {
  type Forwarder,
  ForwardFailedError,
  type ForwardMeta,
  type ForwardOutcome,
  type QueuedForward,
} from "./types";

export interface FallbackForwarderOptions {
  client: Pick<CoreClient, "deliver">;
  /** The CORE_FALLBACK_QUEUE producer; absent (misconfigured Worker): failures cannot be queued. */
  queue: QueueProducerBinding | undefined;
  deadlineMs: number;
  log: EdgeLog;
  /** Unix milliseconds; default `Date.now`. */
  now?: () => number;
}

/** Creates the forwarder routes use: core within a deadline, else the fallback queue. */
export function createFallbackForwarder(options: FallbackForwarderOptions): Forwarder {
  const { client, queue, deadlineMs, log } = options;
  const now = options.now ?? Date.now;

  return {
    async forward(payload, meta: ForwardMeta): Promise<ForwardOutcome> {
      const answer = await client.deliver(payload, meta, deadlineMs);
      if (answer.accepted) return "accepted";

      const context = {
        id: payload.id,
        kind: payload.kind,
        teamId: payload.teamId,
        traceparent: meta.traceparent,
        reason: answer.reason,
        ...(answer.error ? { error: answer.error } : {}),
      };
      if (!queue) {
        log({
          level: "error",
          msg: "core did not accept and no fallback queue is bound",
          ...context,
        });
        throw new ForwardFailedError("core did not accept the payload and no queue is bound");
      }

      const envelope: QueuedForward = {
        payload,
        meta: { ...meta, queuedAt: new Date(now()).toISOString(), reason: answer.reason },
      };
      try {
        await queue.send(envelope, { contentType: "json" });
      } catch (error) {
        // The one place a payload could be lost: say so loudly and make Slack retry it.
        log({
          level: "error",
          msg: "core did not accept and the fallback queue refused the payload; Slack will retry",
          ...context,
          queueError: error instanceof Error ? error.message : String(error),
        });
        throw new ForwardFailedError("neither core nor the fallback queue took the payload", {
          cause: error,
        });
      }
      log({ level: "warn", msg: "core did not accept in time; payload queued", ...context });
      return "queued";
    },
  };
}
