/**
 * `POST /slack/commands`, after the body limit and the signature check: answers Slack's
 * `ssl_check` probe, and hands `/pup …` on (rate limit, forward). The command's real answer
 * comes later from core, through `response_url` or `chat.postEphemeral`.
 */
import type { MiddlewareHandler } from "hono";
import * as v from "valibot";
import { slashCommandSchema } from "../../../protocol/slack";
import type { EdgeAppEnv } from "../app-env";
import { bodyText, isSslCheck, parseForm } from "../slack/body";
import { inboundCommand } from "../slack/inbound";
import type { RouteDeps } from "./deps";
import { acknowledge, malformedBody } from "./replies";

/** Parses a slash command; sets `inbound` and continues only to forward it. */
export function acceptCommand(deps: RouteDeps): MiddlewareHandler<EdgeAppEnv> {
  const { counters } = deps;
  return async function sortCommand(c, next) {
    const form = parseForm(bodyText(c.get("rawBody")));
    if (!form.ok) return malformedBody(c, counters);
    if (isSslCheck(form.value)) return acknowledge(c);
    const parsed = v.safeParse(slashCommandSchema, form.value);
    if (!parsed.success) return malformedBody(c, counters);
    c.set("inbound", inboundCommand(parsed.output));
    await next();
  };
}
