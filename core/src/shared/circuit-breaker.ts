/**
 * A circuit breaker for calls to a flaky dependency (the language model). Pure: time comes from
 * an injected clock, so every transition can be tested without waiting.
 *
 * - closed: requests flow; `failureThreshold` consecutive failures open the circuit.
 * - open: requests are refused at once (no server call, no retry storm) for `openMs`.
 * - half-open: after `openMs`, exactly ONE probe request is let through; its success closes the
 *   circuit, its failure opens it again for another `openMs`.
 *
 * Callers ask {@link CircuitBreaker.canRequest} before a call and report the outcome with
 * `recordSuccess`, `recordFailure` or `recordAbandoned` (cancelled by the caller: says nothing
 * about the dependency's health).
 */

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 3. */
  failureThreshold?: number;
  /** How long the circuit stays open before a probe is allowed, in ms. Default 30000. */
  openMs?: number;
  /**
   * How long a probe may stay unanswered before another probe is allowed, in ms (guards against a
   * probe whose outcome is never reported). Default: `openMs`.
   */
  probeTimeoutMs?: number;
  /** Milliseconds since some fixed point; default `Date.now`. Tests pass a fake clock. */
  now?: () => number;
  /** Told about every state change, e.g. to log "model circuit opened". */
  onStateChange?: (change: CircuitStateChange) => void;
}

export interface CircuitStateChange {
  from: CircuitState;
  to: CircuitState;
  /** Clock reading at the change. */
  at: number;
  /** Consecutive failures counted when the change happened. */
  consecutiveFailures: number;
}

/** A point-in-time view for health reports and logs. */
export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** When the circuit last opened (clock reading), or null while it has never opened. */
  openedAt: number | null;
  /** While open: when a probe will be allowed (clock reading). Otherwise null. */
  probeAt: number | null;
  /** While open: milliseconds until a probe will be allowed. Otherwise null. */
  probeInMs: number | null;
}

export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly openMs: number;
  readonly probeTimeoutMs: number;
  readonly #now: () => number;
  readonly #onStateChange: ((change: CircuitStateChange) => void) | undefined;
  #state: CircuitState = "closed";
  #failures = 0;
  #openedAt: number | null = null;
  /** Clock reading when the current half-open probe was let through; null when none is out. */
  #probeStartedAt: number | null = null;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 3;
    this.openMs = options.openMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? this.openMs;
    if (!Number.isInteger(this.failureThreshold) || this.failureThreshold < 1) {
      throw new RangeError(
        `failureThreshold must be an integer >= 1, got ${options.failureThreshold}`,
      );
    }
    for (const [name, value] of [
      ["openMs", this.openMs],
      ["probeTimeoutMs", this.probeTimeoutMs],
    ] as const) {
      if (!Number.isFinite(value) || value < 0) {
        throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
      }
    }
    this.#now = options.now ?? Date.now;
    this.#onStateChange = options.onStateChange;
  }

  /** Current state; an open circuit whose `openMs` has passed reads as half-open. */
  get state(): CircuitState {
    this.#refresh();
    return this.#state;
  }

  /** Consecutive failures since the last success. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /**
   * Whether a request may go out now. Closed: yes. Open: no. Half-open: yes for exactly one
   * probe (this call reserves it), no for everyone else until the probe's outcome is recorded.
   */
  canRequest(): boolean {
    this.#refresh();
    if (this.#state === "closed") return true;
    if (this.#state === "open") return false;
    const now = this.#now();
    if (this.#probeStartedAt !== null && now - this.#probeStartedAt < this.probeTimeoutMs) {
      return false;
    }
    this.#probeStartedAt = now;
    return true;
  }

  /** The request succeeded: the dependency works, so the circuit closes. */
  recordSuccess(): void {
    this.#refresh();
    // A late success from a request sent before the circuit opened proves little; only the
    // probe (or normal traffic while closed) decides.
    if (this.#state === "open") return;
    this.#failures = 0;
    this.#probeStartedAt = null;
    this.#transition("closed");
  }

  /** The request failed in a way that says the dependency is unwell (timeout, 5xx, 429...). */
  recordFailure(): void {
    this.#refresh();
    this.#failures += 1;
    if (this.#state === "half-open") {
      this.#open();
      return;
    }
    if (this.#state === "closed" && this.#failures >= this.failureThreshold) this.#open();
  }

  /** The request was cancelled before it could succeed or fail; frees a half-open probe. */
  recordAbandoned(): void {
    this.#refresh();
    if (this.#state === "half-open") this.#probeStartedAt = null;
  }

  snapshot(): CircuitSnapshot {
    this.#refresh();
    const probeAt =
      this.#state === "open" && this.#openedAt !== null ? this.#openedAt + this.openMs : null;
    return {
      state: this.#state,
      consecutiveFailures: this.#failures,
      openedAt: this.#openedAt,
      probeAt,
      probeInMs: probeAt === null ? null : Math.max(0, probeAt - this.#now()),
    };
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#probeStartedAt = null;
    this.#transition("open");
  }

  /** Lazily moves open -> half-open once `openMs` has passed (no timers in a pure module). */
  #refresh(): void {
    if (
      this.#state === "open" &&
      this.#openedAt !== null &&
      this.#now() - this.#openedAt >= this.openMs
    ) {
      this.#probeStartedAt = null;
      this.#transition("half-open");
    }
  }

  #transition(to: CircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#onStateChange?.({ from, to, at: this.#now(), consecutiveFailures: this.#failures });
  }
}
