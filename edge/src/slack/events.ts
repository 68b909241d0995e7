/**
 * Events API payloads the edge must understand (JSON bodies on `POST /slack/events`): the
 * `url_verification` handshake, `event_callback` deliveries and `app_rate_limited` notices.
 * Objects are loose: Slack adds fields over time, and core receives the payload as sent.
 */
import * as v from "valibot";

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
] as const;

/** Message subtypes forwarded even when a bot caused them: core keeps edits and deletions. */
export const ALWAYS_FORWARDED_SUBTYPES = ["message_changed", "message_deleted"] as const;

const slackId = v.pipe(v.string(), v.minLength(1));

/** One installation the delivery is for; for pup's bot install, `user_id` is pup itself. */
export const authorizationSchema = v.looseObject({
  enterprise_id: v.nullish(v.string()),
  team_id: v.nullish(v.string()),
  user_id: slackId,
  is_bot: v.boolean(),
  is_enterprise_install: v.optional(v.boolean()),
});

/** The inner `event`: only the fields the edge's drop rules and rate limits read are typed. */
export const innerEventSchema = v.looseObject({
  type: slackId,
  subtype: v.optional(v.string()),
  /** A user id for messages and reactions; some events (user_change) carry a user object. */
  user: v.optional(v.union([v.string(), v.looseObject({ id: slackId })])),
  bot_id: v.nullish(v.string()),
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
  type: v.literal("event_callback"),
  token: v.optional(v.string()),
  team_id: slackId,
  enterprise_id: v.nullish(v.string()),
  api_app_id: slackId,
  event: innerEventSchema,
  event_id: slackId,
  event_time: v.number(),
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

/** Any envelope the edge acts on, told apart by `type`. */
export const eventEnvelopeSchema = v.variant("type", [
  urlVerificationSchema,
  eventCallbackSchema,
  appRateLimitedSchema,
]);

export type InnerEvent = v.InferOutput<typeof innerEventSchema>;
export type EventCallback = v.InferOutput<typeof eventCallbackSchema>;
export type EventEnvelope = v.InferOutput<typeof eventEnvelopeSchema>;
