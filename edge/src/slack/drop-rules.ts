/**
 * Which Events API deliveries reach core. pup never answers itself or other bots, so their
 * messages stop here (acknowledged, not forwarded), except edits and deletions, which core needs
 * to keep its memory true. Event types pup did not subscribe to are acknowledged and ignored.
 */
import {
  ALWAYS_FORWARDED_SUBTYPES,
  type EventCallback,
  KNOWN_EVENT_TYPES,
} from "../../../protocol/slack";

export type EventDecision =
  | { action: "forward" }
  | { action: "drop"; reason: "own_event" | "bot_message" }
  | { action: "ignore"; reason: "unknown_event_type" };

const KNOWN = new Set<string>(KNOWN_EVENT_TYPES);
const ALWAYS_FORWARDED = new Set<string>(ALWAYS_FORWARDED_SUBTYPES);
const FORWARD: EventDecision = { action: "forward" };

/** pup's own user ids: the bot users the delivery's `authorizations` name. */
export function ownUserIds(envelope: EventCallback): string[] {
  return (envelope.authorizations ?? [])
    .filter((authorization) => authorization.is_bot)
    .map((authorization) => authorization.user_id);
}

/** Whether `userId` is one of pup's own bot users (without building the list: per request). */
function isOwnUser(envelope: EventCallback, userId: string): boolean {
  const authorizations = envelope.authorizations;
  if (authorizations === undefined) return false;
  for (const authorization of authorizations) {
    if (authorization.is_bot && authorization.user_id === userId) return true;
  }
  return false;
}

/** Decides what happens to one `event_callback` delivery. */
export function decideEvent(envelope: EventCallback): EventDecision {
  const { event } = envelope;
  if (!KNOWN.has(event.type)) return { action: "ignore", reason: "unknown_event_type" };
  if (event.subtype !== undefined && ALWAYS_FORWARDED.has(event.subtype)) return FORWARD;
  if (typeof event.user === "string" && isOwnUser(envelope, event.user)) {
    return { action: "drop", reason: "own_event" };
  }
  if (event.bot_id || event.subtype === "bot_message") {
    return { action: "drop", reason: "bot_message" };
  }
  return FORWARD;
}
