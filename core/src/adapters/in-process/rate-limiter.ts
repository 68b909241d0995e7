// The in-process rate limiter: the same sliding windows and spending counters as the Redis one,
// in this process's memory. The demo uses it when REDIS_URL is unset, and the limits feature
// falls back to it while Redis is unavailable (each process then limits on its own, ADR-025).
import type { AdmitAnswer, AdmitRequest, RateLimiter } from "../../ports/rate-limiter";

interface Counter {
  value: number;
  /** Unix ms (caller's clock) after which the counter is forgotten. */
  expiresAt: number;
}

export interface InProcessRateLimiter extends RateLimiter {
  /** How many keys it holds (windows and counters), for tests of its memory bound. */
  size(): number;
}

/** Sweep forgotten keys every this many checks, so idle users do not accumulate. */
const SWEEP_EVERY = 1024;

export function createInProcessRateLimiter(): InProcessRateLimiter {
  // Admitted units per window key, oldest first; the window length is remembered for sweeping.
  const windows = new Map<string, { units: number[]; windowMs: number }>();
  const counters = new Map<string, Counter>();
  let checks = 0;

  const prune = (units: number[], now: number, windowMs: number) => {
    let drop = 0;
    while (drop < units.length && (units[drop] ?? 0) <= now - windowMs) drop += 1;
    if (drop > 0) units.splice(0, drop);
  };
  const spent = (key: string, now: number) => {
    const counter = counters.get(key);
    if (!counter) return 0;
    if (counter.expiresAt <= now) {
      counters.delete(key);
      return 0;
    }
    return counter.value;
  };
  const sweep = (now: number) => {
    for (const [key, window] of windows) {
      prune(window.units, now, window.windowMs);
      if (window.units.length === 0) windows.delete(key);
    }
    for (const key of counters.keys()) spent(key, now);
  };

  return {
    async admit(request: AdmitRequest): Promise<AdmitAnswer> {
      const { now } = request;
      checks += 1;
      if (checks % SWEEP_EVERY === 0) sweep(now);
      for (const rule of request.windows) {
        const window = windows.get(rule.key);
        if (!window) continue;
        prune(window.units, now, rule.windowMs);
        if (window.units.length >= rule.limit) {
          const oldest = window.units[0] ?? now;
          return { admitted: false, key: rule.key, retryAfterMs: oldest + rule.windowMs - now };
        }
      }
      for (const rule of request.budgets) {
        if (spent(rule.key, now) >= rule.limit) {
          return { admitted: false, key: rule.key, retryAfterMs: null };
        }
      }
      for (const rule of request.windows) {
        const window = windows.get(rule.key);
        if (window) window.units.push(now);
        else windows.set(rule.key, { units: [now], windowMs: rule.windowMs });
      }
      return { admitted: true };
    },

    async spend({ keys, amount, now, ttlMs }) {
      if (amount <= 0) return;
      for (const key of keys) {
        const value = spent(key, now) + Math.ceil(amount);
        counters.set(key, { value, expiresAt: now + ttlMs });
      }
    },

    size: () => windows.size + counters.size,
  };
}
