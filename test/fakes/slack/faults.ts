/**
 * Planned failures, per method and count: the next N calls to a method misbehave in a chosen way.
 * Each kind mirrors something that really happens between a client and Slack, so code under test
 * can be proven to survive it. Faults are test-only: they reach the demo's local Slack through
 * its interceptor hook, so the product code carries no fault plan.
 */
import { type ApiInterceptor, slackJson } from "../../../demo/local-slack/index";

/** One way a call can go wrong. */
export type Fault =
  /** HTTP 429 with `Retry-After` and `{ok:false,error:"ratelimited"}`; nothing happens. */
  | { kind: "rate_limited"; retryAfterSeconds?: number }
  /** An HTTP 5xx without a Slack body; nothing happens. */
  | { kind: "server_error"; status?: 500 | 502 | 503 | 504 }
  /** The call takes effect at once, but the answer is held back for `ms`. */
  | { kind: "latency"; ms: number }
  /** The call takes effect, then the connection is dropped before any answer is sent. */
  | { kind: "lost_response" }
  /** A normal HTTP 200 carrying `{ok:false,error}`; nothing happens. */
  | { kind: "slack_error"; error: string };

/** Matches every method in {@link FaultPlan.failNext}. */
export const ANY_METHOD = "*";

interface PlannedFault {
  fault: Fault;
  remaining: number;
}

/** Queues of planned faults; a method's own queue is used before the `"*"` queue. */
export class FaultPlan {
  readonly #byMethod = new Map<string, PlannedFault[]>();

  /** The next `times` calls to `method` (or to any method, with `"*"`) fail with `fault`. */
  failNext(method: string, fault: Fault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`failNext: times must be a positive integer, got ${times}`);
    }
    const queue = this.#byMethod.get(method) ?? [];
    queue.push({ fault, remaining: times });
    this.#byMethod.set(method, queue);
  }

  /** Consumes and returns the fault for this call to `method`, if one is planned. */
  take(method: string): Fault | undefined {
    return this.#takeFrom(method) ?? this.#takeFrom(ANY_METHOD);
  }

  /** How many planned failures have not happened yet. */
  pendingCount(): number {
    let count = 0;
    for (const queue of this.#byMethod.values()) {
      for (const planned of queue) count += planned.remaining;
    }
    return count;
  }

  /** Drops every planned fault. */
  clear(): void {
    this.#byMethod.clear();
  }

  #takeFrom(key: string): Fault | undefined {
    const queue = this.#byMethod.get(key);
    const planned = queue?.[0];
    if (!queue || !planned) return undefined;
    planned.remaining -= 1;
    if (planned.remaining === 0) queue.shift();
    return planned.fault;
  }
}

const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Applies `plan` to each call through the local Slack's interceptor hook. */
export function faultInterceptor(plan: FaultPlan): ApiInterceptor<Fault> {
  return async (exchange) => {
    const fault = plan.take(exchange.method);
    switch (fault?.kind) {
      case undefined:
        return undefined;
      case "rate_limited": {
        const body = { ok: false, error: "ratelimited" };
        exchange.record(429, body, fault);
        return slackJson(body, 429, { "Retry-After": String(fault.retryAfterSeconds ?? 1) });
      }
      case "server_error": {
        const status = fault.status ?? 500;
        exchange.record(status, null, fault);
        return new Response(STATUS_TEXT[status] ?? "Server Error", { status });
      }
      case "slack_error": {
        const body = { ok: false, error: fault.error };
        exchange.record(200, body, fault);
        return slackJson(body);
      }
      case "lost_response":
        exchange.record(null, exchange.run(), fault);
        return droppedConnection();
      case "latency": {
        const body = exchange.run();
        exchange.record(200, body, fault);
        await Bun.sleep(fault.ms);
        return slackJson(body);
      }
    }
  };
}

/**
 * A response whose body stream fails before its first byte. Bun then resets the connection
 * without sending a status line, so the client sees a network error (ECONNRESET) exactly as if
 * the answer had been lost on the way back. Erroring with no reason keeps Bun from logging it.
 */
function droppedConnection(): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.error();
      },
    }),
  );
}
