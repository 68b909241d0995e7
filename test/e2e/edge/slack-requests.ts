/**
 * Builds Slack-signed requests for end-to-end tests of the edge: the `v0` signature Slack puts
 * on every request, computed here independently of the edge's own verifier so a bug there
 * cannot hide itself, plus small builders for realistic event bodies.
 */

/** A signing secret that satisfies the edge's configuration rules. */
export const TEST_SLACK_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

const encoder = new TextEncoder();

export interface SlackSignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Default {@link TEST_SLACK_SIGNING_SECRET}. */
  secret?: string;
}

/** The `x-slack-request-timestamp` and `x-slack-signature` headers for `body`. */
export async function slackSignatureHeaders(
  body: string,
  options: SlackSignOptions = {},
): Promise<Record<string, string>> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(options.secret ?? TEST_SLACK_SIGNING_SECRET),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`v0:${timestamp}:${body}`));
  return {
    "x-slack-request-timestamp": timestamp,
    "x-slack-signature": `v0=${Buffer.from(mac).toString("hex")}`,
  };
}

/** Headers of a signed Events API delivery (JSON body). */
export async function signedJsonHeaders(
  body: string,
  options: SlackSignOptions = {},
): Promise<Record<string, string>> {
  return { "content-type": "application/json", ...(await slackSignatureHeaders(body, options)) };
}

/** Headers of a signed slash command or interaction (form body). */
export async function signedFormHeaders(
  body: string,
  options: SlackSignOptions = {},
): Promise<Record<string, string>> {
  return {
    "content-type": "application/x-www-form-urlencoded",
    ...(await slackSignatureHeaders(body, options)),
  };
}

export interface EventCallbackOptions {
  eventId?: string;
  teamId?: string;
  userId?: string;
  channel?: string;
  text?: string;
}

let sequence = 0;

/**
 * A realistic `event_callback` wrapping an `app_mention` from a human user, with a unique
 * `event_id` unless one is given.
 */
export function appMentionEvent(options: EventCallbackOptions = {}): Record<string, unknown> {
  sequence += 1;
  const teamId = options.teamId ?? "T0PUPTEST";
  const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, "0")}`;
  return {
    token: "unused-verification-token",
    team_id: teamId,
    api_app_id: "A0PUPAPP",
    event: {
      type: "app_mention",
      user: options.userId ?? "U0HUMAN01",
      text: options.text ?? "<@U0PUPBOT> hello there",
      ts,
      channel: options.channel ?? "C0GENERAL",
      event_ts: ts,
    },
    type: "event_callback",
    event_id: options.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${sequence}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { team_id: teamId, user_id: "U0PUPBOT", is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/** Anything that can send a request to the edge (see `startEdge`). */
export interface EdgeEndpoint {
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** What Slack would have seen for one delivery. */
export interface SlackDeliveryResult {
  status: number;
  body: string;
  /** From sending to the end of the answer, as Slack's 3 s clock measures it. */
  elapsedMs: number;
}

/** POSTs a signed Events API delivery to `/slack/events`, as Slack does. */
export async function deliverEvent(
  edge: EdgeEndpoint,
  event: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Promise<SlackDeliveryResult> {
  const body = JSON.stringify(event);
  const headers = { ...(await signedJsonHeaders(body)), ...extraHeaders };
  const startedAt = performance.now();
  const response = await edge.fetch("/slack/events", { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, body: text, elapsedMs: performance.now() - startedAt };
}
