/**
 * The few answers the Slack routes give, in one place so they stay identical everywhere:
 * acknowledgements, the malformed-body 400 and pup's ephemeral lines for slash commands.
 */
import type { Context } from "hono";
import type { EdgeCounters } from "../counters";

/** An empty 200: Slack's "received, do not retry". */
export function acknowledge(c: Context): Response {
  return c.body(null, 200);
}

/** A signed body that does not parse as what the route expects. */
export function malformedBody(c: Context, counters: EdgeCounters): Response {
  counters.increment("malformed");
  return c.json({ error: "malformed_body" }, 400);
}

/** A reply only the command's sender sees. */
export function ephemeral(c: Context, text: string): Response {
  return c.json({ response_type: "ephemeral", text }, 200);
}

/** pup's answer to a slash command over the rate limit. */
export const SLOW_DOWN_TEXT =
  "Whoa, slow down! My paws can only fetch so fast. Give me a minute and try again.";

/** pup's answer when a command could be neither handed to core nor queued. */
export const UNAVAILABLE_TEXT = "I couldn't take that in just now. Please try again in a minute.";
