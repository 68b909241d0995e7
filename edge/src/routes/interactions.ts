/**
 * `POST /slack/interactions`, after the body limit and the signature check: block actions,
 * view submissions and closings, and shortcuts are handed on (rate limit, forward); other
 * interaction types are acknowledged and ignored.
 */
import type { MiddlewareHandler } from "hono";
import * as v from "valibot";
import { INTERACTION_TYPES, interactionSchema } from "../../../protocol/slack";
import type { EdgeAppEnv } from "../app-env";
import { bodyText, isSslCheck, parseForm, parseJsonObject } from "../slack/body";
import { inboundInteraction } from "../slack/inbound";
import type { RouteDeps } from "./deps";
import { acknowledge, malformedBody } from "./replies";

const FORWARDED_TYPES = new Set<string>(INTERACTION_TYPES);

/** Parses an interaction payload; sets `inbound` and continues only to forward it. */
export function acceptInteraction(deps: RouteDeps): MiddlewareHandler<EdgeAppEnv> {
  const { log, counters } = deps;
  return async function sortInteraction(c, next) {
    const form = parseForm(bodyText(c.get("rawBody")));
    if (!form.ok) return malformedBody(c, counters);
    if (isSslCheck(form.value)) return acknowledge(c);
    const { payload } = form.value;
    const json = payload === undefined ? undefined : parseJsonObject(payload);
    if (!json?.ok || typeof json.value.type !== "string") return malformedBody(c, counters);
    if (!FORWARDED_TYPES.has(json.value.type)) {
      counters.increment("ignored");
      log({
        level: "info",
        msg: "slack_interaction_ignored",
        reason: "unknown_interaction_type",
        interactionType: json.value.type.slice(0, 64),
      });
      return acknowledge(c);
    }
    const parsed = v.safeParse(interactionSchema, json.value);
    if (!parsed.success) return malformedBody(c, counters);
    c.set("inbound", inboundInteraction(parsed.output));
    await next();
  };
}
