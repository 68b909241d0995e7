/**
 * One Events API delivery (a `message` job of kind `event`): classified once, then handed to the
 * listener for its kind, the way bolt registers listeners per event type. Every listener is
 * idempotent (upserts by channel and ts, embedding jobs by message and version, replies by send
 * key), so a retried job or a duplicate delivery does no harm.
 */
import type { StoredSlackEvent } from "../../ports/event-log";
import type { BotIdentity } from "../../ports/slack-gateway";
import { onUninstalled } from "../forget";
import { type ClassifiedEvent, classifyEvent } from "./classify";
import { isLifecycleEvent } from "./classify-lifecycle";
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
  uninstalled: (deps, _event, _identity, classified) => onUninstalledEvent(deps, classified),
  ignored: async (deps, event, _identity, classified) => {
    deps.logger.debug({ eventId: event.eventId, reason: classified.reason }, "event ignored");
  },
};

/** Handles one Events API payload. */
export async function handleSlackEvent(deps: EventsDeps, event: StoredSlackEvent): Promise<void> {
  if (isLifecycleEvent(event)) return handleLifecycleEvent(deps, event);
  const identity = await deps.slack.identity();
  const classified = classifyEvent(event.payload, identity.userId);
  const listener = LISTENERS[classified.kind] as Listener<typeof classified.kind>;
  await listener(deps, event, identity, classified);
}

/** pup stops answering the workspace at once; its data goes after the grace period (ADR-034). */
async function onUninstalledEvent(
  deps: EventsDeps,
  classified: Extract<ClassifiedEvent, { kind: "uninstalled" }>,
): Promise<void> {
  await onUninstalled(deps, classified.teamId, classified.reason);
}

/**
 * An uninstall or a revoked token, handled without asking Slack who pup is: by then Slack may
 * refuse `auth.test` (a worker started after it could not learn its identity), and the uninstall
 * must be recorded all the same. These events name no message, so no identity is needed.
 */
async function handleLifecycleEvent(deps: EventsDeps, event: StoredSlackEvent): Promise<void> {
  const classified = classifyEvent(event.payload, null);
  if (classified.kind === "uninstalled") return onUninstalledEvent(deps, classified);
  const reason = classified.kind === "ignored" ? classified.reason : classified.kind;
  deps.logger.debug({ eventId: event.eventId, reason }, "lifecycle event ignored");
}
