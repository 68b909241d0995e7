// Port: exact limits on what costs (replies, commands, model tokens). The adapters are
// core/src/adapters/redis/rate-limiter.ts (shared by every process, one Lua script per check) and
// core/src/adapters/in-process/rate-limiter.ts (the demo without Redis, and the fallback while
// Redis is down). The limits feature decides the keys and numbers; adapters only count.
import { PupError } from "../shared/errors";

/** A sliding window: at most `limit` admitted units of `key` in any `windowMs` milliseconds. */
export interface WindowRule {
  key: string;
  limit: number;
  windowMs: number;
}

/** A spending counter: refused once what was spent (see {@link RateLimiter.spend}) reaches `limit`. */
export interface BudgetRule {
  key: string;
  limit: number;
}

export interface AdmitRequest {
  /** Every window must have room; then one unit is recorded in each, else in none. */
  windows: WindowRule[];
  /** Every budget must have something left; checking spends nothing. */
  budgets: BudgetRule[];
  /** Unix milliseconds, from the caller's clock (a fake clock in tests). */
  now: number;
  /** Unique per request: the unit recorded in each window (two units may share a `now`). */
  id: string;
}

export type AdmitAnswer =
  | { admitted: true }
  | {
      admitted: false;
      /** The window or budget that refused. */
      key: string;
      /** When the window next has room; `null` for a spent budget (its key names its period). */
      retryAfterMs: number | null;
    };

export interface SpendRequest {
  keys: string[];
  /** Added to each counter (rounded up). */
  amount: number;
  /** Unix milliseconds, from the caller's clock. */
  now: number;
  /** A counter is forgotten this long after its last spend. */
  ttlMs: number;
}

export interface RateLimiter {
  /** Checks every rule and records the unit, atomically: concurrent checks never overshoot. */
  admit(request: AdmitRequest): Promise<AdmitAnswer>;
  /** Adds tokens to budget counters (see {@link SpendRequest}). */
  spend(request: SpendRequest): Promise<void>;
}

/** The limiter's store could not answer (Redis down or too slow). */
export class RateLimiterUnavailableError extends PupError {
  override readonly name = "RateLimiterUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: "rate_limiter_unavailable", retryable: true, cause: options?.cause });
  }
}
