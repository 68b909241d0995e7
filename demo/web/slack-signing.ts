/**
 * Signs requests the way Slack does (v0): `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`
 * with the app's signing secret, sent as `X-Slack-Signature` beside `X-Slack-Request-Timestamp`.
 * The edge verifies these with its own code (edge/src/middleware/slack-signature).
 */
import { createHmac } from "node:crypto";

/** The two headers that make a request Slack-signed. */
export function slackSignatureHeaders(
  secret: string,
  body: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(Math.floor(nowSeconds));
  const digest = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": `v0=${digest}` };
}

/** Where signed requests appear to come from; the edge routes on the path only. */
const EDGE_ORIGIN = "http://edge.localhost";

/** A Slack-signed POST to one of the edge's Slack routes. */
export function signedSlackRequest(
  path: "/slack/events" | "/slack/commands" | "/slack/interactions",
  body: string,
  contentType: string,
  secret: string,
): Request {
  return new Request(new URL(path, EDGE_ORIGIN).href, {
    method: "POST",
    body,
    headers: { "Content-Type": contentType, ...slackSignatureHeaders(secret, body) },
  });
}
