/**
 * `POST /slack/events`, after the body limit and the signature check: answers the URL
 * handshake itself, acknowledges what pup ignores (Slack's rate-limit notices, unknown types,
 * its own and other bots' messages) and hands every other delivery on (rate limit, forward).
 */
import type { MiddlewareHandler } from "hono";
import * as v from "valibot";
import {
  appRateLimitedSchema,
  edgeEventCallbackSchema,
  urlVerificationSchema,
} from "../../../protocol/slack";
import type { EdgeAppEnv } from "../app-env";
import { bodyText, isFormEncoded, isSslCheck, parseForm, parseJsonObject } from "../slack/body";
import { decideEvent } from "../slack/drop-rules";
import { inboundEvent } from "../slack/inbound";
import type { RouteDeps } from "./deps";
import { acknowledge, malformedBody } from "./replies";

/** Parses and sorts an Events API delivery; sets `inbound` and continues only to forward it. */
export function acceptEvent(deps: RouteDeps): MiddlewareHandler<EdgeAppEnv> {
  const { log, counters } = deps;
  return async function sortEvent(c, next) {
    const text = bodyText(c.get("rawBody"));
    if (isFormEncoded(c.req.header("content-type"))) {
      // Only Slack's certificate probe comes form-encoded; it is answered, never forwarded.
      const form = parseForm(text);
      return form.ok && isSslCheck(form.value) ? acknowledge(c) : malformedBody(c, counters);
    }
    const json = parseJsonObject(text);
    if (!json.ok) return malformedBody(c, counters);
    const envelope = json.value;
    switch (envelope.type) {
      case "event_callback":
        break;
      case "url_verification":
        if (!v.is(urlVerificationSchema, envelope)) return malformedBody(c, counters);
        return c.json({ challenge: envelope.challenge });
      case "app_rate_limited":
        if (!v.is(appRateLimitedSchema, envelope)) return malformedBody(c, counters);
        // Slack is dropping events for this workspace; nothing to forward, but worth a warning.
        log({
          level: "warn",
          msg: "slack_app_rate_limited",
          teamId: envelope.team_id,
          minuteRateLimited: envelope.minute_rate_limited,
        });
        return acknowledge(c);
      default:
        if (typeof envelope.type !== "string") return malformedBody(c, counters);
        counters.increment("ignored");
        log({ level: "info", msg: "slack_event_ignored", reason: "unknown_envelope_type" });
        return acknowledge(c);
    }
    // Checks only what the edge acts on; the object goes to core with every field as sent.
    if (!v.is(edgeEventCallbackSchema, envelope)) return malformedBody(c, counters);

    const decision = decideEvent(envelope);
    if (decision.action !== "forward") {
      counters.increment(decision.action === "drop" ? "dropped" : "ignored");
      log({
        level: decision.action === "drop" ? "debug" : "info",
        msg: decision.action === "drop" ? "slack_event_dropped" : "slack_event_ignored",
        reason: decision.reason,
        eventType: envelope.event.type,
        eventId: envelope.event_id,
      });
      return acknowledge(c);
    }
    c.set("inbound", inboundEvent(envelope));
    await next();
  };
}
