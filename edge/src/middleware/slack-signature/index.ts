/**
 * Hono middleware that lets through only requests Slack signed: it verifies the raw body kept by
 * `bodyLimit` and answers every failure with the same 401 `{"error":"invalid_request"}`, so an
 * attacker learns nothing about which check failed. The reason is logged (never the signature).
 */
import type { Context, MiddlewareHandler } from "hono";
import { type SlackSignatureRejection, verifySlackSignature } from "./verify";

export {
  SLACK_SIGNATURE_WINDOW_SECONDS,
  type SlackSignatureCheck,
  type SlackSignatureInput,
  type SlackSignatureRejection,
  verifySlackSignature,
} from "./verify";

/** What this middleware reads from the context. */
export interface SlackSignatureEnv {
  Variables: { rawBody: Uint8Array };
}

export interface SlackSignatureOptions<E extends SlackSignatureEnv> {
  /** The signing secret, when it is fixed. */
  secret?: string;
  /** Reads the signing secret per request (e.g. from parsed bindings); wins over `secret`. */
  getSecret?: (c: Context<E>) => string | undefined;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: () => number;
  /** Called once per refused request with the reason code. */
  onRejected?: (rejection: { reason: SlackSignatureRejection; path: string }) => void;
}

/** The one body every refusal gets: no hint about which check failed. */
export const INVALID_REQUEST_BODY = { error: "invalid_request" } as const;

/**
 * Middleware factory; must run after `bodyLimit` (it verifies `c.get("rawBody")`).
 *
 * @throws at request time if no raw body is in the context: a wiring mistake, not bad input.
 */
export function slackSignature<E extends SlackSignatureEnv>(
  options: SlackSignatureOptions<E>,
): MiddlewareHandler<E> {
  const clock = options.clock ?? Date.now;
  return async function verifySlackRequest(c, next) {
    const body = c.get("rawBody") as Uint8Array | undefined;
    if (body === undefined) throw new Error("slackSignature needs bodyLimit to run before it");
    const headers = c.req.raw.headers;
    const check = await verifySlackSignature({
      secret: options.getSecret?.(c) ?? options.secret ?? "",
      timestamp: headers.get("x-slack-request-timestamp"),
      signature: headers.get("x-slack-signature"),
      body,
      nowSeconds: clock() / 1000,
    });
    if (!check.ok) {
      options.onRejected?.({ reason: check.reason, path: c.req.path });
      return c.json(INVALID_REQUEST_BODY, 401);
    }
    await next();
  };
}
