/**
 * The inner `event` of an `event_callback`, as core reads it: told apart by `type` (and, for
 * messages, by `subtype`), each with the fields pup reads. Lenient like every read schema
 * (./fields.ts): only `type` and `subtype` decide which schema reads an event, and no field
 * makes it fail. An event of any other type (or of none) is an {@link OtherInnerEvent}.
 */
import * as v from "valibot";
import {
  CHANNEL_EVENT_TYPES,
  type ChannelEvent,
  channelIdChangedEventSchema,
  channelSharingEventSchema,
} from "./channel-events";
import { anyText, nestedObject, nonEmptyText, slackIdRef } from "./fields";
import {
  appUninstalledEventSchema,
  LIFECYCLE_EVENT_TYPES,
  type LifecycleEvent,
  tokensRevokedEventSchema,
} from "./lifecycle-events";

/** Events that carry a message: `app_mention` is a message that mentions pup. */
export const MESSAGE_EVENT_TYPES = ["message", "app_mention"] as const;
export const REACTION_EVENT_TYPES = ["reaction_added", "reaction_removed"] as const;

/** What pup reads from every inner event, whatever its type (the event log reads these). */
const everyEvent = {
  /** A user id; some events (`user_change`) carry a user object instead. */
  user: slackIdRef,
  channel: slackIdRef,
  /** The workspace, for deliveries whose envelope names none. */
  team: nonEmptyText,
};

const messageFields = {
  ...everyEvent,
  type: v.picklist(MESSAGE_EVENT_TYPES),
  /** `channel`, `group`, `im` or `mpim`: how visible the conversation is. */
  channel_type: nonEmptyText,
  ts: nonEmptyText,
  event_ts: nonEmptyText,
};

/** A message edited: `message` is the message as it now reads. */
export const messageChangedEventSchema = v.object({
  ...messageFields,
  subtype: v.literal("message_changed"),
  message: nestedObject({
    ts: nonEmptyText,
    thread_ts: nonEmptyText,
    user: nonEmptyText,
    text: anyText,
    edited: nestedObject({ ts: nonEmptyText }),
    /** Set when the message is a bot's: its edits are never a person's words. */
    bot_id: nonEmptyText,
    /** `tombstone`: a thread's parent deleted while its replies stay (a deletion). */
    subtype: nonEmptyText,
  }),
  /** The message as it read before; for a tombstone, who wrote what was deleted. */
  previous_message: nestedObject({
    ts: nonEmptyText,
    thread_ts: nonEmptyText,
    user: nonEmptyText,
  }),
});

/** A message deleted: `deleted_ts` names it, `previous_message` is what it said. */
export const messageDeletedEventSchema = v.object({
  ...messageFields,
  subtype: v.literal("message_deleted"),
  deleted_ts: nonEmptyText,
  previous_message: nestedObject({
    ts: nonEmptyText,
    thread_ts: nonEmptyText,
    user: nonEmptyText,
  }),
});

/** Any other message: something posted (a plain message, a mention, a bot's or a file share). */
export const messageEventSchema = v.object({
  ...messageFields,
  subtype: nonEmptyText,
  text: anyText,
  thread_ts: nonEmptyText,
  /** Set when a bot posted it. A `bot_id` that is not a string reads as "" (still a bot). */
  bot_id: v.optional(v.fallback(v.nullable(v.string()), "")),
  /** The author's own workspace; another than the envelope's `team_id` in a shared channel. */
  user_team: nonEmptyText,
});

export const reactionEventSchema = v.object({
  ...everyEvent,
  type: v.picklist(REACTION_EVENT_TYPES),
  reaction: nonEmptyText,
  /** Who wrote the item reacted to. */
  item_user: nonEmptyText,
  item: nestedObject({ type: anyText, channel: nonEmptyText, ts: nonEmptyText }),
});

export const assistantThreadStartedEventSchema = v.object({
  ...everyEvent,
  type: v.literal("assistant_thread_started"),
  assistant_thread: nestedObject({
    channel_id: nonEmptyText,
    thread_ts: nonEmptyText,
    user_id: nonEmptyText,
  }),
});

export const appHomeOpenedEventSchema = v.object({
  ...everyEvent,
  type: v.literal("app_home_opened"),
  /** `home` or `messages`. A `tab` that is not a string reads as "" (not the home tab). */
  tab: v.optional(v.fallback(v.string(), "")),
});

/** An event of a type pup does nothing with (other subscribed types, or unknown ones). */
export const otherInnerEventSchema = v.object({ ...everyEvent, type: nonEmptyText });

/** Any inner event; the first schema whose `type` (and `subtype`) matches reads it. */
export const forwardedInnerEventSchema = v.variant("type", [
  v.variant("subtype", [messageChangedEventSchema, messageDeletedEventSchema, messageEventSchema]),
  reactionEventSchema,
  assistantThreadStartedEventSchema,
  appHomeOpenedEventSchema,
  channelIdChangedEventSchema,
  channelSharingEventSchema,
  appUninstalledEventSchema,
  tokensRevokedEventSchema,
  otherInnerEventSchema,
]);

export type MessageChangedEvent = v.InferOutput<typeof messageChangedEventSchema>;
export type MessageDeletedEvent = v.InferOutput<typeof messageDeletedEventSchema>;
export type MessageEvent = v.InferOutput<typeof messageEventSchema>;
/** Every event that carries a message, posted, edited or deleted. */
export type AnyMessageEvent = MessageEvent | MessageChangedEvent | MessageDeletedEvent;
export type ReactionEvent = v.InferOutput<typeof reactionEventSchema>;
export type AssistantThreadStartedEvent = v.InferOutput<typeof assistantThreadStartedEventSchema>;
export type AppHomeOpenedEvent = v.InferOutput<typeof appHomeOpenedEventSchema>;
export type OtherInnerEvent = v.InferOutput<typeof otherInnerEventSchema>;
/** The inner events pup acts on, told apart by `type`. */
export type HandledInnerEvent =
  | AnyMessageEvent
  | ReactionEvent
  | AssistantThreadStartedEvent
  | AppHomeOpenedEvent
  | ChannelEvent
  | LifecycleEvent;
export type ForwardedInnerEvent = HandledInnerEvent | OtherInnerEvent;

const HANDLED_EVENT_TYPES = new Set<string | undefined>([
  ...MESSAGE_EVENT_TYPES,
  ...REACTION_EVENT_TYPES,
  "assistant_thread_started",
  "app_home_opened",
  ...CHANNEL_EVENT_TYPES,
  ...LIFECYCLE_EVENT_TYPES,
]);

// An OtherInnerEvent's `type` is any string, so `type` alone cannot narrow the union in
// TypeScript; these guards do (the variant above guarantees what they claim).

/** Whether pup acts on this event; narrows it to the union `switch (event.type)` tells apart. */
export function isHandledInnerEvent(event: ForwardedInnerEvent): event is HandledInnerEvent {
  return HANDLED_EVENT_TYPES.has(event.type);
}

export function isMessageChangedEvent(event: AnyMessageEvent): event is MessageChangedEvent {
  return event.subtype === "message_changed";
}

export function isMessageDeletedEvent(event: AnyMessageEvent): event is MessageDeletedEvent {
  return event.subtype === "message_deleted";
}
