/**
 * The edge's HTTP client for core's `POST /internal/slack`: signs the body with
 * CORE_SHARED_SECRET, carries `traceparent` and Slack's retry headers, and gives core a hard
 * deadline. Only 202 (accepted) and 200 (duplicate of something already accepted) count as
 * accepted; any other status, a network error or the deadline means "not accepted", and the
 * caller decides what to do next (queue it, or retry it later).
 */
import { signCoreRequest } from "../../../protocol/core-signature";
import type { ForwardedPayload } from "../../../protocol/forwarded-payload";
import type { ForwardMeta } from "./types";

/** Core's path for forwarded Slack payloads. */
export const CORE_SLACK_PATH = "/internal/slack";

/** What core's answer meant for one delivery attempt. */
export type CoreAnswer =
  | { accepted: true; status: 200 | 202 }
  | {
      accepted: false;
      /** `timeout`, `network` or `status <n>`; for logs and the queued envelope. */
      reason: string;
      error?: string;
    };

export interface CoreClientOptions {
  /** Core's origin without a trailing slash (EdgeConfig.coreUrl). */
  coreUrl: string;
  secret: string;
  /** Default: the runtime's `fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Unix milliseconds; default `Date.now`. */
  now?: () => number;
}

/** Sends one payload to core. Built once per configuration and reused for every request. */
export interface CoreClient {
  /**
   * One delivery attempt; never throws.
   *
   * @param deadlineMs the whole attempt (connect, send, answer) is aborted after this long
   */
  deliver(payload: ForwardedPayload, meta: ForwardMeta, deadlineMs: number): Promise<CoreAnswer>;
}

/** Creates a {@link CoreClient} for one core origin and secret. */
export function createCoreClient(options: CoreClientOptions): CoreClient {
  const endpoint = `${options.coreUrl}${CORE_SLACK_PATH}`;
  // workerd's fetch throws "Illegal invocation" when called as a method of another object.
  const send = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;

  return {
    async deliver(payload, meta, deadlineMs) {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = {
        "content-type": "application/json",
        traceparent: meta.traceparent,
        ...(await signCoreRequest(options.secret, body, now() / 1000)),
      };
      if (payload.retry.num > 0) headers["x-slack-retry-num"] = String(payload.retry.num);
      if (payload.retry.reason !== null) headers["x-slack-retry-reason"] = payload.retry.reason;

      // Aborting the controller cancels the in-flight request itself, not just our wait for it,
      // so a hanging core does not keep a connection and the request's resources alive.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), deadlineMs);
      try {
        const response = await send(endpoint, {
          method: "POST",
          headers,
          body,
          signal: controller.signal,
        });
        // Reading the (empty) body to its end lets the runtime return the connection to its
        // pool; an unread body pins or closes it, which is what left sockets in TIME-WAIT.
        await response.arrayBuffer();
        if (response.status === 202 || response.status === 200) {
          return { accepted: true, status: response.status };
        }
        return { accepted: false, reason: `status ${response.status}` };
      } catch (error) {
        if (controller.signal.aborted) return { accepted: false, reason: "timeout" };
        return { accepted: false, reason: "network", error: describe(error) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
