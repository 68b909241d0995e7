/**
 * The edge's HTTP client for core's `POST /internal/slack`: signs the body with
 * CORE_SHARED_SECRET, carries `traceparent` and Slack's retry headers, and gives core a hard
 * deadline. Only 202 (accepted) and 200 (duplicate of something already accepted) count as
 * accepted; any other status, a network error or the deadline means "not accepted", and the
 * caller decides what to do next (queue it, or retry it later).
 */
import { signCoreRequest } from "../../../protocol/core-signature";
import {
  encodeForwardedBatch,
  type ForwardedBatchItem,
  parseBatchAnswer,
} from "../../../protocol/forwarded-batch";
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
  /**
   * One delivery attempt for several payloads in one request (the batch form of
   * protocol/forwarded-batch.ts); never throws. One answer per item, in order. A single item is
   * sent as a plain payload.
   */
  deliverBatch(items: readonly ForwardedBatchItem[], deadlineMs: number): Promise<CoreAnswer[]>;
}

/** Creates a {@link CoreClient} for one core origin and secret. */
export function createCoreClient(options: CoreClientOptions): CoreClient {
  const endpoint = `${options.coreUrl}${CORE_SLACK_PATH}`;
  // workerd's fetch throws "Illegal invocation" when called as a method of another object.
  const send = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;

  /** POSTs a signed body; never throws. `read` turns a 2xx answer into per-item answers. */
  async function post<T>(
    body: string,
    headers: Record<string, string>,
    deadlineMs: number,
    read: (response: Response) => Promise<T>,
    failed: (answer: CoreAnswer) => T,
  ): Promise<T> {
    Object.assign(headers, await signCoreRequest(options.secret, body, now() / 1000));
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
      return await read(response);
    } catch (error) {
      if (controller.signal.aborted) return failed({ accepted: false, reason: "timeout" });
      return failed({ accepted: false, reason: "network", error: describe(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  async function deliver(
    payload: ForwardedPayload,
    meta: ForwardMeta,
    deadlineMs: number,
  ): Promise<CoreAnswer> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      traceparent: meta.traceparent,
    };
    if (payload.retry.num > 0) headers["x-slack-retry-num"] = String(payload.retry.num);
    if (payload.retry.reason !== null) headers["x-slack-retry-reason"] = payload.retry.reason;
    return post(
      JSON.stringify(payload),
      headers,
      deadlineMs,
      async (response) => {
        // Reading the (empty) body to its end lets the runtime return the connection to its
        // pool; an unread body pins or closes it, which is what left sockets in TIME-WAIT.
        await response.arrayBuffer();
        return answerFor(response.status);
      },
      (answer) => answer,
    );
  }

  return {
    deliver,
    async deliverBatch(items, deadlineMs) {
      const [only] = items;
      if (items.length === 1 && only) {
        return [await deliver(only.payload, { traceparent: only.traceparent }, deadlineMs)];
      }
      const ids = items.map((item) => item.payload.id);
      const all = (answer: CoreAnswer) => ids.map(() => answer);
      return post(
        encodeForwardedBatch(items),
        { "content-type": "application/json" },
        deadlineMs,
        async (response) => {
          const text = await response.text();
          if (response.status !== 200) {
            return all({ accepted: false, reason: `status ${response.status}` });
          }
          const results = parseBatchAnswer(safeJson(text), ids);
          if (!results) return all({ accepted: false, reason: "malformed batch answer" });
          return results.map((result) => answerFor(result.status));
        },
        all,
      );
    },
  };
}

function answerFor(status: number): CoreAnswer {
  if (status === 202 || status === 200) return { accepted: true, status };
  return { accepted: false, reason: `status ${status}` };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
