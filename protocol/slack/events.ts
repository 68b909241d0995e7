/**
 * Events API payloads (JSON bodies on `POST /slack/events`): the `url_verification` handshake,
 * `event_callback` deliveries and `app_rate_limited` notices.
 *
 * As Slack sends them: the edge checks only what it acts on (`edgeEventCallbackSchema`) and
 * forwards the payload as Slack sent it; the fuller, loose schemas (Slack adds fields over time)
 * type the test fixtures. As core reads them: `forwardedEventCallbackSchema`, lenient, with the
 * inner event told apart by type (./inner-events.ts).
 */
import * as v from "valibot";
import { anyText, jsonObject, nonEmptyText, slackId } from "./fields";
import { forwardedInnerEventSchema } from "./inner-events";

/** The envelope types the edge acts on; anything else is acknowledged and ignored. */
export const ENVELOPE_TYPES = ["url_verification", "event_callback", "app_rate_limited"] as const;

/**
 * Inner event types pup subscribes to (manifest.json). Deliveries of any other type are
 * acknowledged, logged and not forwarded.
 */
export const KNOWN_EVENT_TYPES = [
  "app_mention",
  "message",
  "assistant_thread_started",
  "assistant_thread_context_changed",
  "reaction_added",
  "reaction_removed",
  "app_home_opened",
  "member_joined_channel",
  "app_uninstalled",
  "tokens_revoked",
  "channel_id_changed",
  "channel_shared",
  "channel_unshared",
] as const;

/**
 * Message subtypes forwarded even when a bot caused them: core keeps edits and deletions, and a
 * channel made private or public changes where everything said there may be recalled.
 */
export const ALWAYS_FORWARDED_SUBTYPES = [
  "message_changed",
  "message_deleted",
  "channel_convert_to_private",
  "channel_convert_to_public",
] as const;

/**
 * What the edge itself checks in an `event_callback` before forwarding it: the envelope fields
 * that identify and route the delivery, and the inner event's `type`, `subtype`, `user` and
 * `bot_id` that the drop rules and rate limits read. A plain (non-loose) object: validating
 * does not copy the payload, and the route forwards the object exactly as Slack sent it. Every
 * other field is core's to validate. This runs on every delivery, so it stays this small.
 */
export const edgeEventCallbackSchema = v.object({
  type: v.literal("event_callback"),
  team_id: slackId,
  api_app_id: slackId,
  event_id: slackId,
  event_time: v.number(),
  event: v.object({
    type: slackId,
    subtype: v.optional(v.string()),
    /** A user id for messages and reactions; some events (user_change) carry a user object. */
    user: v.optional(v.union([v.string(), v.object({ id: slackId })])),
    bot_id: v.nullish(v.string()),
  }),
  /** The installations the delivery is for; for pup's bot install, `user_id` is pup itself. */
  authorizations: v.optional(v.array(v.object({ user_id: slackId, is_bot: v.boolean() }))),
});

/** An `event_callback` as far as the edge has checked it (the object still holds every field). */
export type EventCallback = v.InferInput<typeof edgeEventCallbackSchema>;

// The fuller schemas below describe Slack's payloads for typed fixtures and tests; they include
// every rule of the edge's check, so a fixture they accept passes the edge too.

/** One installation the delivery is for; for pup's bot install, `user_id` is pup itself. */
export const authorizationSchema = v.looseObject({
  enterprise_id: v.nullish(v.string()),
  team_id: v.nullish(v.string()),
  user_id: slackId,
  is_bot: v.boolean(),
  is_enterprise_install: v.optional(v.boolean()),
});

/** The inner `event`: the edge's fields plus the common message fields core reads. */
export const innerEventSchema = v.looseObject({
  ...edgeEventCallbackSchema.entries.event.entries,
  user: v.optional(v.union([v.string(), v.looseObject({ id: slackId })])),
  channel: v.optional(v.union([v.string(), v.looseObject({ id: slackId })])),
  channel_type: v.optional(v.string()),
  text: v.optional(v.string()),
  ts: v.optional(v.string()),
  thread_ts: v.optional(v.string()),
  event_ts: v.optional(v.string()),
});

export const urlVerificationSchema = v.looseObject({
  type: v.literal("url_verification"),
  challenge: v.pipe(v.string(), v.minLength(1), v.maxLength(512)),
  token: v.optional(v.string()),
});

export const eventCallbackSchema = v.looseObject({
  ...edgeEventCallbackSchema.entries,
  token: v.optional(v.string()),
  enterprise_id: v.nullish(v.string()),
  event: innerEventSchema,
  event_context: v.optional(v.string()),
  authorizations: v.optional(v.array(authorizationSchema)),
  is_ext_shared_channel: v.optional(v.boolean()),
});

export const appRateLimitedSchema = v.looseObject({
  type: v.literal("app_rate_limited"),
  token: v.optional(v.string()),
  team_id: slackId,
  minute_rate_limited: v.number(),
  api_app_id: slackId,
});

/** Any envelope the edge acts on, told apart by `type` (the full schemas; for tests). */
export const eventEnvelopeSchema = v.variant("type", [
  urlVerificationSchema,
  eventCallbackSchema,
  appRateLimitedSchema,
]);

export type EventEnvelope = v.InferOutput<typeof eventEnvelopeSchema>;

/**
 * An `event_callback` as core reads it once forwarded (the payload of a forwarded `event`). Core
 * refuses nothing here: a missing or malformed field reads as absent, and so does an `event` that
 * is not a JSON object. What a use needs (an event type for the event log, a team to classify)
 * is checked by that use.
 */
export const forwardedEventCallbackSchema = v.object({
  type: anyText,
  team_id: nonEmptyText,
  event_id: nonEmptyText,
  event: v.fallback(v.optional(v.pipe(jsonObject, forwardedInnerEventSchema)), undefined),
});

export type ForwardedEventCallback = v.InferOutput<typeof forwardedEventCallbackSchema>;
