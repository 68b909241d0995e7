/**
 * fast-check arbitraries for the edge's signature property test: valid Slack deliveries of every
 * kind the edge forwards (Events API JSON, slash command forms, interaction `payload=` forms),
 * each carrying a nonce so a forwarded copy can be recognised, and builders that sign them
 * the way Slack does, at any timestamp and with any secret (including the empty one, which
 * WebCrypto refuses to import: hence node:crypto here).
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";

export type SlackRequestKind = "event" | "command" | "interaction";

/**
 * What varies between generated deliveries. The nonce (unique per delivery: the test draws it
 * from crypto.randomUUID, because fast-check's bias towards small values repeats generated ids)
 * becomes the event id and trigger id and appears in the text.
 */
export interface DeliverySpec {
  kind: SlackRequestKind;
  teamId: string;
  userId: string;
  /** Free text (any Unicode) placed in the message or command text. */
  text: string;
  nonce: string;
}

/** A request ready to send: the route, the exact body bytes and the headers. */
export interface SlackHttpRequest {
  path: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

export const SLACK_PATHS: Record<SlackRequestKind, string> = {
  event: "/slack/events",
  command: "/slack/commands",
  interaction: "/slack/interactions",
};

const slackId = (prefix: string) =>
  fc.stringMatching(/^[A-Z0-9]{8,11}$/).map((rest) => `${prefix}${rest}`);

/** Deliveries without their nonce; see {@link DeliverySpec}. */
export const deliverySpec: fc.Arbitrary<Omit<DeliverySpec, "nonce">> = fc.record({
  kind: fc.constantFrom<SlackRequestKind>("event", "command", "interaction"),
  teamId: slackId("T"),
  userId: slackId("U"),
  text: fc.string({ unit: "binary", maxLength: 80 }),
});

/** Slack's form encoding (spaces as `+`), as URLSearchParams writes it. */
function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** The body Slack would send for `spec`, stamped with `nowSeconds`. */
export function deliveryBody(spec: DeliverySpec, nowSeconds: number): string {
  const ts = `${nowSeconds}.000${spec.nonce.slice(0, 3).replace(/\D/g, "1")}`;
  const triggerId = `${nowSeconds}.${spec.nonce.replaceAll("-", "")}`;
  if (spec.kind === "event") {
    return JSON.stringify({
      token: "unused-verification-token",
      team_id: spec.teamId,
      api_app_id: "A0PUPAPP",
      event: {
        type: "app_mention",
        user: spec.userId,
        text: `<@U0PUPBOT> ${spec.text} ${spec.nonce}`,
        ts,
        channel: "C0GENERAL",
        event_ts: ts,
      },
      type: "event_callback",
      event_id: `Ev${spec.nonce.replaceAll("-", "").toUpperCase()}`,
      event_time: nowSeconds,
      authorizations: [{ team_id: spec.teamId, user_id: "U0PUPBOT", is_bot: true }],
    });
  }
  if (spec.kind === "command") {
    return form({
      token: "unused-verification-token",
      team_id: spec.teamId,
      team_domain: "pup-test",
      channel_id: "C0GENERAL",
      channel_name: "general",
      user_id: spec.userId,
      user_name: "someone",
      command: "/pup",
      text: `help ${spec.text} ${spec.nonce}`,
      api_app_id: "A0PUPAPP",
      is_enterprise_install: "false",
      response_url: `https://hooks.slack.com/commands/${spec.teamId}/1/${spec.nonce}`,
      trigger_id: triggerId,
    });
  }
  const payload = {
    type: "block_actions",
    user: { id: spec.userId, username: "someone", name: "someone", team_id: spec.teamId },
    api_app_id: "A0PUPAPP",
    token: "unused-verification-token",
    container: { type: "message", message_ts: ts, channel_id: "C0GENERAL", is_ephemeral: false },
    trigger_id: triggerId,
    team: { id: spec.teamId, domain: "pup-test" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: "C0GENERAL", name: "general" },
    response_url: `https://hooks.slack.com/actions/${spec.teamId}/1/${spec.nonce}`,
    actions: [
      {
        action_id: "pup_feedback",
        block_id: "feedback",
        type: "button",
        value: `${spec.text} ${spec.nonce}`,
        action_ts: ts,
      },
    ],
  };
  return form({ payload: JSON.stringify(payload) });
}

/** Slack's `v0=` signature of `body` at `timestamp` with `secret` (any secret, even ""). */
export function slackSignature(secret: string, timestamp: string, body: Uint8Array): string {
  const mac = createHmac("sha256", secret);
  mac.update(`v0:${timestamp}:`);
  mac.update(body);
  return `v0=${mac.digest("hex")}`;
}

/** The delivery for `spec` as Slack would send it to the edge with `secret`, at `nowSeconds`. */
export function signedDelivery(
  generated: Omit<DeliverySpec, "nonce">,
  secret: string,
  nowSeconds: number,
  nonce: string = crypto.randomUUID(),
): SlackHttpRequest & { nonce: string } {
  const spec = { ...generated, nonce };
  const body = new TextEncoder().encode(deliveryBody(spec, nowSeconds));
  const timestamp = String(nowSeconds);
  return {
    nonce,
    path: SLACK_PATHS[spec.kind],
    body,
    headers: {
      "content-type":
        spec.kind === "event" ? "application/json" : "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": slackSignature(secret, timestamp, body),
    },
  };
}
