/**
 * The Slack payload model shared by the edge and core: valibot schemas and the types inferred
 * from them, for the Events API, slash commands and interactions. Like the rest of protocol/,
 * valibot and web-standard TypeScript only, so it runs in workerd (the edge) and in Bun (core).
 *
 * Two views of the same payloads:
 * - As Slack sends them: the edge validates each delivery at its door with these, refusing
 *   malformed bodies, and forwards the payload exactly as sent. The test fixtures are typed
 *   against them. The edge's per-delivery event check stays minimal (`edgeEventCallbackSchema`).
 * - As core reads them (`forwarded…`): lenient, since core sits behind the edge and must keep
 *   accepting what it accepts. Each field pup reads, typed; missing or malformed ones read as
 *   absent. `parseSlackPayload` reads one forwarded payload; `slackEventLogFields` gives the
 *   event log's fields of a read payload.
 */

export {
  CHANNEL_CONVERSION_SUBTYPES,
  CHANNEL_EVENT_TYPES,
  type ChannelEvent,
  type ChannelIdChangedEvent,
  type ChannelSharingEvent,
} from "./channel-events";
export {
  type ForwardedSlashCommand,
  forwardedSlashCommandSchema,
  type SlashCommand,
  slashCommandSchema,
} from "./commands";
export {
  EVENT_TYPE_FIELD,
  type SlackEventLogFields,
  slackEventLogFields,
} from "./event-log-fields";
export {
  ALWAYS_FORWARDED_SUBTYPES,
  appRateLimitedSchema,
  authorizationSchema,
  ENVELOPE_TYPES,
  type EventCallback,
  type EventEnvelope,
  edgeEventCallbackSchema,
  eventCallbackSchema,
  eventEnvelopeSchema,
  type ForwardedEventCallback,
  forwardedEventCallbackSchema,
  innerEventSchema,
  KNOWN_EVENT_TYPES,
  urlVerificationSchema,
} from "./events";
export { plainSlackId, type SlackIdRef, slackIdOf } from "./fields";
export {
  type AnyMessageEvent,
  type AppHomeOpenedEvent,
  type AssistantThreadStartedEvent,
  type ForwardedInnerEvent,
  forwardedInnerEventSchema,
  type HandledInnerEvent,
  isHandledInnerEvent,
  isMessageChangedEvent,
  isMessageDeletedEvent,
  MESSAGE_EVENT_TYPES,
  type MessageChangedEvent,
  type MessageDeletedEvent,
  type MessageEvent,
  type OtherInnerEvent,
  REACTION_EVENT_TYPES,
  type ReactionEvent,
} from "./inner-events";
export {
  blockActionsSchema,
  type ForwardedInteraction,
  forwardedInteractionSchema,
  INTERACTION_TYPES,
  type Interaction,
  interactionSchema,
  messageActionSchema,
  shortcutSchema,
  viewClosedSchema,
  viewSubmissionSchema,
} from "./interactions";
export {
  type AppUninstalledEvent,
  LIFECYCLE_EVENT_TYPES,
  type LifecycleEvent,
  type TokensRevokedEvent,
} from "./lifecycle-events";
export {
  parseSlackPayload,
  type SlackPayload,
  type SlackPayloadKind,
  type SlackPayloadResult,
} from "./payload";
