/**
 * Guards `/metrics` and `/health` with `Authorization: Bearer <PUP_METRICS_TOKEN>` when a token
 * is configured: queue depths, dependency states and traffic figures tell an attacker where to
 * push. `/healthz` (liveness) stays open, so orchestrators need no secret to restart a dead core.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

/** The paths the token guards. */
export const GUARDED_PATHS = ["/metrics", "/health"] as const;

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * True when `header` is `Bearer <token>`. Both sides are hashed first so the comparison takes
 * the same time whatever the length or the first differing byte of a guess.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? "");
  const presented = match?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(token)) && presented !== "";
}

/** A middleware answering 401 on the guarded paths without the token; open when `token` is unset. */
export function metricsBearerAuth(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined || !(GUARDED_PATHS as readonly string[]).includes(c.req.path)) {
      return next();
    }
    if (bearerMatches(c.req.header("authorization"), token)) return next();
    c.header("www-authenticate", 'Bearer realm="pup"');
    return c.json({ error: "unauthorized" }, 401);
  };
}
