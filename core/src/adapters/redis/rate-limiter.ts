// The Redis rate limiter: exact sliding windows (a sorted-set log of admitted units per key) and
// daily spending counters, checked and recorded by ONE Lua script per check, so concurrent checks
// from every core and worker process never overshoot a limit. Keys are the caller's, under
// `prefix`; time is the caller's `now`, never Redis' clock, so a fake clock drives the windows.
import type { Redis } from "ioredis";
import {
  type AdmitAnswer,
  type AdmitRequest,
  type RateLimiter,
  RateLimiterUnavailableError,
} from "../../ports/rate-limiter";

/**
 * KEYS: the window keys, then the budget keys. ARGV: now, id, number of windows, then limit and
 * window ms per window, then limit per budget. Returns {1} or {0, refusing key index, retry ms}
 * (retry -1 for a budget). A window keeps units in (now - window, now]: those at or before
 * now - window are dropped first, so any span of `window` ms holds at most `limit` units.
 */
export const ADMIT_SCRIPT = `
local now, id, windows = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
for i = 1, windows do
  local limit, window = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  redis.call("ZREMRANGEBYSCORE", KEYS[i], "-inf", now - window)
  if redis.call("ZCARD", KEYS[i]) >= limit then
    local oldest = redis.call("ZRANGE", KEYS[i], 0, 0, "WITHSCORES")
    local retry = window
    if oldest[2] then retry = tonumber(oldest[2]) + window - now end
    return {0, i, retry}
  end
end
for j = windows + 1, #KEYS do
  local limit = tonumber(ARGV[3 + 2 * windows + (j - windows)])
  if tonumber(redis.call("GET", KEYS[j]) or "0") >= limit then return {0, j, -1} end
end
for i = 1, windows do
  redis.call("ZADD", KEYS[i], now, id)
  redis.call("PEXPIRE", KEYS[i], ARGV[3 + 2 * i])
end
return {1}`;

const COMMAND = "pupLimitsAdmit";

type LimiterClient = Redis & {
  [COMMAND](...args: (string | number)[]): Promise<[number, number?, number?]>;
};

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** Prepended to every key, e.g. `pup:limits:`. */
  prefix: string;
  /** Longest a check may take before it counts as Redis being unavailable; default 500 ms. */
  timeoutMs?: number;
}

/** Rejects after `ms` so a hanging Redis cannot hold a reply; the caller falls back. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { redis, prefix } = options;
  const timeoutMs = options.timeoutMs ?? 500;
  if (typeof (redis as unknown as Partial<LimiterClient>)[COMMAND] !== "function") {
    redis.defineCommand(COMMAND, { lua: ADMIT_SCRIPT });
  }
  const client = redis as unknown as LimiterClient;
  const unavailable = (what: string, cause: unknown) =>
    new RateLimiterUnavailableError(`rate limiter: ${what} failed: ${String(cause)}`, { cause });

  return {
    async admit(request: AdmitRequest): Promise<AdmitAnswer> {
      const keys = [...request.windows, ...request.budgets].map((rule) => prefix + rule.key);
      const args = [
        request.now,
        request.id,
        request.windows.length,
        ...request.windows.flatMap((rule) => [rule.limit, rule.windowMs]),
        ...request.budgets.map((rule) => rule.limit),
      ];
      let answer: [number, number?, number?];
      try {
        // A script defined without numberOfKeys takes the key count first.
        answer = await within(timeoutMs, client[COMMAND](keys.length, ...keys, ...args));
      } catch (error) {
        throw unavailable("admit", error);
      }
      const [admitted, index = 0, retry = -1] = answer;
      if (admitted === 1) return { admitted: true };
      const rule = [...request.windows, ...request.budgets][index - 1];
      return {
        admitted: false,
        key: rule?.key ?? "unknown",
        retryAfterMs: retry < 0 ? null : retry,
      };
    },

    async spend({ keys, amount, ttlMs }) {
      if (keys.length === 0 || amount <= 0) return;
      const multi = redis.multi();
      for (const key of keys) {
        multi.incrby(prefix + key, Math.ceil(amount));
        multi.pexpire(prefix + key, ttlMs);
      }
      try {
        await within(timeoutMs, multi.exec());
      } catch (error) {
        throw unavailable("spend", error);
      }
    },
  };
}
