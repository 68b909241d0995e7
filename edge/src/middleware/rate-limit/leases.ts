/**
 * Rate-limit leases: one isolate's bookkeeping that lets one `limit()` call to a Cloudflare
 * rate-limit binding admit several requests of the same key (ADR-009).
 *
 * An allowed call is a lease of `size` requests; the next `size - 1` requests of that key in
 * this isolate are admitted without a call. A denied call marks the key as over the limit until
 * the window ends, so a flood costs no further calls. Windows are aligned to the epoch
 * (`floor(now / period)`), like the binding's own counters, and the whole table is dropped when
 * one ends: unused allowance never carries over and a denied key is served again at once.
 * Concurrent requests of a key wait for the lease one of them is asking for instead of each
 * asking. The table holds at most `maxKeys` keys; past that the oldest lease is forgotten, which
 * at worst costs one more call, so a flood of distinct users cannot grow the isolate's memory.
 */

/** What one call to the binding said; "failed" (it threw) admits the request, leases nothing. */
export type LimiterAnswer = "allowed" | "denied" | "failed";

/** How much one call is worth, and how long it lasts. */
export interface LeaseTerms {
  /** Requests one allowed call admits; 1 means every request calls the binding (no state). */
  size: number;
  /** The binding's period in milliseconds; leases and denials end with it. */
  periodMs: number;
}

/** Default bound on the keys one table remembers. */
export const DEFAULT_MAX_LEASED_KEYS = 4096;

type Entry =
  | { state: "leased"; remaining: number }
  | { state: "denied" }
  | { state: "asking"; answer: Promise<LimiterAnswer>; credit: number };

/** One limiter's leases in this isolate. Create one per binding and keep it for the isolate. */
export class RateLimitLeases {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: () => number;
  readonly #maxKeys: number;
  #periodMs = 0;
  #window = Number.NaN;

  /**
   * @param clock milliseconds since the epoch (the same clock the binding's windows follow).
   * @param maxKeys most keys remembered at once; the oldest lease is forgotten first.
   */
  constructor(clock: () => number, maxKeys = DEFAULT_MAX_LEASED_KEYS) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) {
      throw new Error(`maxKeys must be a positive integer, got ${maxKeys}`);
    }
    this.#clock = clock;
    this.#maxKeys = maxKeys;
  }

  /** Keys currently remembered (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Decides whether one request of `key` may pass, calling `ask` (the binding) only when this
   * isolate holds neither a lease with room left nor a denial for the key in this window.
   * `ask` must not reject: a failing binding is answered "failed".
   */
  async admit(key: string, terms: LeaseTerms, ask: () => Promise<LimiterAnswer>): Promise<boolean> {
    if (terms.size <= 1) return (await ask()) !== "denied";
    for (;;) {
      this.#rollOver(terms.periodMs);
      const entry = this.#entries.get(key);
      if (entry?.state === "asking") {
        // Another request is asking for this key. Its promise belongs to that request's I/O
        // context, and workerd refuses I/O continued from another request's context, so this
        // request asks on its own; a lease it wins is credited to the key, not wasted.
        return this.#askAlongside(key, terms.size, ask);
      }
      if (entry?.state === "denied") return false;
      if (entry?.state === "leased" && entry.remaining > 0) {
        entry.remaining -= 1;
        return true;
      }
      return this.#lease(key, terms.size, ask);
    }
  }

  async #lease(key: string, size: number, ask: () => Promise<LimiterAnswer>): Promise<boolean> {
    const asking: Entry = { state: "asking", answer: ask(), credit: 0 };
    this.#remember(key, asking);
    const answer = await asking.answer;
    // Only record the answer if the table still waits for it: a window that ended meanwhile,
    // or an eviction, means the lease belongs to a table that moved on.
    if (this.#entries.get(key) === asking) {
      if (answer === "allowed") {
        this.#remember(key, { state: "leased", remaining: size - 1 + asking.credit });
      } else if (answer === "denied") this.#remember(key, { state: "denied" });
      else this.#entries.delete(key);
    }
    return answer !== "denied";
  }

  /** A concurrent request's own call: its lease's spare room goes to the key's entry. */
  async #askAlongside(
    key: string,
    size: number,
    ask: () => Promise<LimiterAnswer>,
  ): Promise<boolean> {
    const answer = await ask();
    const entry = this.#entries.get(key);
    if (answer === "allowed") {
      if (entry?.state === "asking") entry.credit += size - 1;
      else if (entry?.state === "leased") entry.remaining += size - 1;
    } else if (answer === "denied" && entry?.state !== "leased") {
      this.#remember(key, { state: "denied" });
    }
    return answer !== "denied";
  }

  /** Drops every lease and denial once the binding's window (or its period) has changed. */
  #rollOver(periodMs: number): void {
    const window = Math.floor(this.#clock() / periodMs);
    if (window === this.#window && periodMs === this.#periodMs) return;
    this.#entries.clear();
    this.#window = window;
    this.#periodMs = periodMs;
  }

  /** Stores `entry` as the newest; forgets the oldest keys when the table is full. */
  #remember(key: string, entry: Entry): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxKeys) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
  }
}
