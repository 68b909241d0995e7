/**
 * The rate limiter pup uses in production: the shared (Redis) limiter, and while it cannot
 * answer, a stand-in in this process holding each limit at half (ADR-025): replies keep working
 * during an outage, never unlimited, and a deployment of two processes stays within the limits.
 * A warning is logged when the outage starts (then at most once a minute) and when it ends.
 * After a failure the shared limiter is skipped for a few seconds, so a dead Redis does not add
 * its connect timeout to every check.
 */
import type { Logger } from "../../ports/logger";
import type { AdmitRequest, RateLimiter } from "../../ports/rate-limiter";

/** The share of each limit one process allows on its own while the shared limiter is down. */
export const FALLBACK_SHARE = 0.5;
const WARN_EVERY_MS = 60_000;
/** How long checks skip the shared limiter after it failed. */
export const RETRY_SHARED_AFTER_MS = 5_000;

const share = (limit: number) => Math.max(1, Math.floor(limit * FALLBACK_SHARE));

/** Halves every rule of a check (at least 1), for the per-process stand-in. */
export function conservative(request: AdmitRequest): AdmitRequest {
  return {
    ...request,
    windows: request.windows.map((rule) => ({ ...rule, limit: share(rule.limit) })),
    budgets: request.budgets.map((rule) => ({ ...rule, limit: share(rule.limit) })),
  };
}

export function fallbackRateLimiter(options: {
  primary: RateLimiter;
  fallback: RateLimiter;
  logger: Logger;
  now: () => number;
}): RateLimiter {
  const { primary, fallback, logger, now } = options;
  let down = false;
  let warnedAt = Number.NEGATIVE_INFINITY;
  let failedAt = Number.NEGATIVE_INFINITY;
  const skipShared = () => down && now() - failedAt < RETRY_SHARED_AFTER_MS;
  const failed = (error: unknown) => {
    const at = now();
    failedAt = at;
    if (!down || at - warnedAt >= WARN_EVERY_MS) {
      warnedAt = at;
      logger.warn(
        { err: error },
        "rate limiter unavailable: limiting in this process only, at half of each limit",
      );
    }
    down = true;
  };
  const recovered = () => {
    if (!down) return;
    down = false;
    logger.info({}, "rate limiter available again: limits are shared again");
  };
  return {
    async admit(request) {
      if (skipShared()) return fallback.admit(conservative(request));
      try {
        const answer = await primary.admit(request);
        recovered();
        return answer;
      } catch (error) {
        failed(error);
        return fallback.admit(conservative(request));
      }
    },
    async spend(request) {
      // Always counted here too, so an outage starting later still knows today's spend.
      await fallback.spend(request);
      if (skipShared()) return;
      try {
        await primary.spend(request);
        recovered();
      } catch (error) {
        failed(error);
      }
    },
  };
}
