// Scripted misbehaviour for resilience tests: latency, 5xx, 429 with retry hints, and responses
// that break off mid-way. Each rule targets one endpoint and applies to the next `times` requests.

import { errorResponse } from "./error-response";

/** Which route a fault applies to; `any` matches every authenticated request. */
export type FaultEndpoint = "chat" | "embeddings" | "models" | "any";

/** One kind of misbehaviour. */
export type Fault =
  /** Waits `ms` before answering (before the first byte of a stream). */
  | { kind: "latency"; ms: number }
  /** Answers with `status` (default 500) in OpenAI's error shape. */
  | { kind: "http-error"; status?: number; message?: string }
  /**
   * Answers 429 with `retry-after-ms` (default 20) and `retry-after` in whole seconds (default
   * the milliseconds rounded up), the hints the `openai` SDK obeys before retrying.
   */
  | { kind: "rate-limit"; retryAfterMs?: number; retryAfterSeconds?: number; message?: string }
  /**
   * Drops the connection mid-response: a stream after `afterChunks` chunks (default 2; never
   * reaching `[DONE]`), a plain JSON answer after half of its bytes.
   */
  | { kind: "broken-stream"; afterChunks?: number };

/** What the router must do for one request, taken from the plan. */
export interface FaultDecision {
  latencyMs: number;
  /** A ready error response that replaces the normal answer. */
  response: Response | undefined;
  /** Set when the answer must be cut off; for streams, the number of chunks to send first. */
  breakAfterChunks: number | undefined;
  /** Kinds applied, for the request log. */
  applied: string[];
}

interface FaultRule {
  endpoint: FaultEndpoint;
  fault: Fault;
  remaining: number;
}

/** FIFO list of fault rules. Per request: the oldest matching latency rule and the oldest
 * matching outcome rule (error, 429 or break) each apply once, so sequences can be queued. */
export class FaultPlan {
  #rules: FaultRule[] = [];

  add(endpoint: FaultEndpoint, fault: Fault, times: number): void {
    if (!(times >= 1)) throw new RangeError(`fault times must be >= 1, got ${times}`);
    this.#rules.push({ endpoint, fault, remaining: times });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Number of fault applications still pending (Infinity-times rules count as Infinity). */
  pending(): number {
    return this.#rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  take(endpoint: Exclude<FaultEndpoint, "any">): FaultDecision {
    const decision: FaultDecision = {
      latencyMs: 0,
      response: undefined,
      breakAfterChunks: undefined,
      applied: [],
    };
    const latency = this.#consume(endpoint, (fault) => fault.kind === "latency");
    if (latency?.kind === "latency") {
      decision.latencyMs = latency.ms;
      decision.applied.push(latency.kind);
    }
    const outcome = this.#consume(endpoint, (fault) => fault.kind !== "latency");
    if (outcome && outcome.kind !== "latency") {
      decision.applied.push(outcome.kind);
      if (outcome.kind === "broken-stream") decision.breakAfterChunks = outcome.afterChunks ?? 2;
      else decision.response = outcomeResponse(outcome);
    }
    return decision;
  }

  #consume(endpoint: FaultEndpoint, wanted: (fault: Fault) => boolean): Fault | undefined {
    const rule = this.#rules.find(
      (candidate) =>
        (candidate.endpoint === endpoint || candidate.endpoint === "any") &&
        wanted(candidate.fault),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules = this.#rules.filter((candidate) => candidate !== rule);
    return rule.fault;
  }
}

function outcomeResponse(fault: Extract<Fault, { kind: "http-error" | "rate-limit" }>): Response {
  if (fault.kind === "rate-limit") {
    const ms = fault.retryAfterMs ?? 20;
    const seconds = fault.retryAfterSeconds ?? Math.ceil(ms / 1000);
    return errorResponse(
      429,
      {
        message: fault.message ?? "Rate limit reached (injected by the fake OpenAI server).",
        type: "requests",
        code: "rate_limit_exceeded",
      },
      { "retry-after-ms": String(ms), "retry-after": String(seconds) },
    );
  }
  const status = fault.status ?? 500;
  return errorResponse(status, {
    message: fault.message ?? `Injected HTTP ${status} from the fake OpenAI server.`,
    type: "server_error",
  });
}

/** Resolves after `ms`, or early when the client has gone (so timed-out requests free up). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
