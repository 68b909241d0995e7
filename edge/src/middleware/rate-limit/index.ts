/**
 * Hono middleware that brakes floods with Cloudflare's rate-limit bindings: one limit per user
 * (key `team:user`) and one per workspace (key `team`), asked concurrently when both need asking.
 * One allowed call is a lease of several requests for this isolate (leases.ts, ADR-009), so the
 * binding's `limit` counts leases, not requests; a lease size of 1 asks on every request. What
 * happens to a delivery over the limit is the route's choice (`limited`): events are acknowledged
 * so Slack does not retry them, commands get an ephemeral "slow down"; which requests count at
 * all is the app's choice (`counts`: only what costs, ADR-025). Without bindings nothing is
 * limited and that is reported once. A limiter that throws lets the request through: the
 * bindings are a brake, and failing closed would silently lose deliveries Slack saw acknowledged.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { RateLimitBinding } from "../../env";
import { type LimiterAnswer, RateLimitLeases } from "./leases";

export { DEFAULT_MAX_LEASED_KEYS } from "./leases";

/** Which limit a delivery ran into. */
export type RateLimitScope = "user" | "team";

/** The bindings this middleware reads (names as in wrangler.toml). */
export interface RateLimitEnv {
  Bindings: { USER_RATE_LIMITER?: RateLimitBinding; TEAM_RATE_LIMITER?: RateLimitBinding };
}

/** Who a delivery counts against; a null part skips that limit. */
export interface RateLimitSubject {
  teamId: string | null;
  userId: string | null;
}

/** How many requests one allowed call admits per limiter, and the bindings' period. */
export interface RateLimitLeasePolicy {
  userLeaseSize: number;
  teamLeaseSize: number;
  /** Must equal both bindings' `period` (10 or 60): leases and denials end with it. */
  periodSeconds: number;
}

/** No leases: every request asks both bindings, as before leases existed. */
const ASK_EVERY_TIME: RateLimitLeasePolicy = {
  userLeaseSize: 1,
  teamLeaseSize: 1,
  periodSeconds: 60,
};

export interface RateLimitOptions<E extends RateLimitEnv> {
  /** The lease sizes and period for a request (usually from the parsed config); default none. */
  leases?: (c: Context<E>) => RateLimitLeasePolicy;
  /** Milliseconds since the epoch, for the lease windows; default `Date.now`. */
  clock?: () => number;
  /** Most keys each limiter's lease table remembers; default {@link DEFAULT_MAX_LEASED_KEYS}. */
  maxLeasedKeys?: number;
  /**
   * Whether this request counts against the limits at all; default every request. What does
   * not count passes untouched and asks no limiter (the edge counts only what costs, ADR-025).
   */
  counts?: (c: Context<E>) => boolean;
  /** Reads who sent the delivery (parsed earlier in the chain). */
  identify: (c: Context<E>) => RateLimitSubject;
  /** The answer for a delivery over a limit; nothing after this middleware runs. */
  limited: (c: Context<E>, scope: RateLimitScope) => Response | Promise<Response>;
  /** Called for every delivery over a limit (log line, counter). */
  onLimited?: (event: { scope: RateLimitScope; subject: RateLimitSubject }) => void;
  /** Called once per middleware instance with the limiter bindings that are missing. */
  onMissingBindings?: (names: string[]) => void;
  /** Called when a limiter call fails (the request is let through). */
  onLimiterError?: (error: unknown) => void;
}

/** Asks one limiter; a failing limiter is reported and answers "failed" (let through). */
async function ask(
  binding: RateLimitBinding,
  key: string,
  onError: ((error: unknown) => void) | undefined,
): Promise<LimiterAnswer> {
  try {
    return (await binding.limit({ key })).success ? "allowed" : "denied";
  } catch (error) {
    onError?.(error);
    return "failed";
  }
}

/** Middleware factory; see the module comment for the policy. */
export function rateLimit<E extends RateLimitEnv>(
  options: RateLimitOptions<E>,
): MiddlewareHandler<E> {
  let reportedMissing = false;
  const clock = options.clock ?? Date.now;
  // Per middleware instance, i.e. per isolate: the app is built once per isolate.
  const userLeases = new RateLimitLeases(clock, options.maxLeasedKeys);
  const teamLeases = new RateLimitLeases(clock, options.maxLeasedKeys);
  return async function limitRate(c, next) {
    if (options.counts && !options.counts(c)) return next();
    const userLimiter = c.env?.USER_RATE_LIMITER;
    const teamLimiter = c.env?.TEAM_RATE_LIMITER;
    if ((!userLimiter || !teamLimiter) && !reportedMissing) {
      reportedMissing = true;
      const missing = [
        ...(userLimiter ? [] : ["USER_RATE_LIMITER"]),
        ...(teamLimiter ? [] : ["TEAM_RATE_LIMITER"]),
      ];
      options.onMissingBindings?.(missing);
    }

    const subject = options.identify(c);
    const { teamId, userId } = subject;
    const askUser = userLimiter !== undefined && userId !== null;
    const askTeam = teamLimiter !== undefined && teamId !== null;
    if (!askUser && !askTeam) return next();
    const policy = options.leases?.(c) ?? ASK_EVERY_TIME;
    const periodMs = policy.periodSeconds * 1000;
    const onError = options.onLimiterError;
    const userKey = `${teamId ?? "-"}:${userId}`;
    const [userAllowed, teamAllowed] = await Promise.all([
      askUser
        ? userLeases.admit(userKey, { size: policy.userLeaseSize, periodMs }, () =>
            ask(userLimiter, userKey, onError),
          )
        : true,
      askTeam
        ? teamLeases.admit(teamId, { size: policy.teamLeaseSize, periodMs }, () =>
            ask(teamLimiter, teamId, onError),
          )
        : true,
    ]);
    if (userAllowed && teamAllowed) return next();

    const scope: RateLimitScope = userAllowed ? "team" : "user";
    options.onLimited?.({ scope, subject });
    return options.limited(c, scope);
  };
}
