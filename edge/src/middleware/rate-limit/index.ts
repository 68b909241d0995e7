/**
 * Hono middleware that brakes floods with Cloudflare's rate-limit bindings: one limit per user
 * (key `team:user`) and one per workspace (key `team`), asked concurrently. What happens to a
 * delivery over the limit is the route's choice (`limited`): events are acknowledged so Slack
 * does not retry them, commands get an ephemeral "slow down". Without bindings nothing is
 * limited and that is reported once. A limiter that throws lets the request through: the
 * bindings are a brake, and failing closed would silently lose deliveries Slack saw acknowledged.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { RateLimitBinding } from "../../env";

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

export interface RateLimitOptions<E extends RateLimitEnv> {
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

/** Asks one limiter; a failing limiter counts as "allowed". */
async function allows(
  binding: RateLimitBinding,
  key: string,
  onError: ((error: unknown) => void) | undefined,
): Promise<boolean> {
  try {
    return (await binding.limit({ key })).success;
  } catch (error) {
    onError?.(error);
    return true;
  }
}

/** Middleware factory; see the module comment for the policy. */
export function rateLimit<E extends RateLimitEnv>(
  options: RateLimitOptions<E>,
): MiddlewareHandler<E> {
  let reportedMissing = false;
  return async function limitRate(c, next) {
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
    const [userAllowed, teamAllowed] = await Promise.all([
      askUser ? allows(userLimiter, `${teamId ?? "-"}:${userId}`, options.onLimiterError) : true,
      askTeam ? allows(teamLimiter, teamId, options.onLimiterError) : true,
    ]);
    if (userAllowed && teamAllowed) return next();

    const scope: RateLimitScope = userAllowed ? "team" : "user";
    options.onLimited?.({ scope, subject });
    return options.limited(c, scope);
  };
}
