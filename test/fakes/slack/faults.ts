/**
 * Planned failures, per method and count: the next N calls to a method misbehave in a chosen way.
 * Each kind mirrors something that really happens between a client and Slack, so code under test
 * can be proven to survive it.
 */

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
