/**
 * One Events API delivery (a `message` job of kind `event`): classified once, then handed to the
 * listener for its kind, the way bolt registers listeners per event type. Every listener is
 * idempotent (upserts by channel and ts, embedding jobs by message and version, replies by send
 * key), so a retried job or a duplicate delivery does no harm.
 */
import type { StoredSlackEvent } from "../../ports/event-log";
import type { BotIdentity } from "../../ports/slack-gateway";
import { type ClassifiedEvent, classifyEvent } from "./classify";
import type { EventsDeps } from "./deps";
import { onChannelIdChanged, onChannelShared, onChannelVisibility } from "./on-channel-change";
import { onDelete, onEdit } from "./on-edit";
import { onMessage } from "./on-message";
import { onReaction } from "./on-reaction";
import { onAppHomeOpened, onAssistantThreadStarted } from "./surfaces";

type Listener<K extends ClassifiedEvent["kind"]> = (
  deps: EventsDeps,
  event: StoredSlackEvent,
  identity: BotIdentity,
  classified: Extract<ClassifiedEvent, { kind: K }>,
) => Promise<void>;

/** The listener of each kind of delivery. */
const LISTENERS: { [K in ClassifiedEvent["kind"]]: Listener<K> } = {
  message: onMessage,
  message_changed: (deps, event, _identity, classified) => onEdit(deps, event, classified),
  message_deleted: (deps, event, _identity, classified) => onDelete(deps, event, classified),
  reaction: onReaction,
  assistant_thread_started: (deps, _event, _identity, classified) =>
    onAssistantThreadStarted(deps, classified),
  app_home_opened: (deps, _event, _identity, classified) => onAppHomeOpened(deps, classified),
  channel_visibility: (deps, _event, _identity, classified) =>
    onChannelVisibility(deps, classified),
  channel_id_changed: (deps, _event, _identity, classified) => onChannelIdChanged(deps, classified),
  channel_shared: (deps, _event, _identity, classified) => onChannelShared(deps, classified),
  ignored: async (deps, event, _identity, classified) => {
    deps.logger.debug({ eventId: event.eventId, reason: classified.reason }, "event ignored");
  },
};

/** Handles one Events API payload. */
export async function handleSlackEvent(deps: EventsDeps, event: StoredSlackEvent): Promise<void> {
  const identity = await deps.slack.identity();
  const classified = classifyEvent(event.payload, identity.userId);
  const listener = LISTENERS[classified.kind] as Listener<typeof classified.kind>;
  await listener(deps, event, identity, classified);
}
