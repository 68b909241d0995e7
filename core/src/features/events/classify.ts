/**
 * What one Events API delivery means to pup, decided without I/O: a message to remember (and
 * maybe answer), an edit or deletion to carry into memory, an assistant thread opening, a
 * reaction, the App Home being opened, or something to ignore (with the reason, for logs).
 *
 * Slack sends one user message twice when pup is mentioned in a channel (`message` from the
 * `message.channels` subscription and `app_mention`); both classify to the same message (same
 * channel and ts), so storing and answering it by (channel, ts) handles it once.
 */
import {
  type AnyMessageEvent,
  isHandledInnerEvent,
  isMessageChangedEvent,
  isMessageDeletedEvent,
  parseSlackPayload,
  plainSlackId,
} from "../../../../protocol/slack";
import type { ChannelVisibility } from "../../ports/slack-vocabulary";
import { type IncomingMessage, slackTsToDate } from "../../shared/incoming-message";
import type { ReplyReason } from "../reply";
import { type ChannelChange, classifyChannelEvent, convertedVisibility } from "./classify-channel";
import { classifyLifecycleEvent, type LifecycleChange } from "./classify-lifecycle";

export type ClassifiedEvent =
  | { kind: "message"; message: IncomingMessage }
  | {
      kind: "message_changed";
      teamId: string;
      channelId: string;
      ts: string;
      text: string;
      editedAt: Date;
      /** What the message itself would have said, for an edit that arrives before its message. */
      original: OutOfOrderMessage;
    }
  | {
      kind: "message_deleted";
      teamId: string;
      channelId: string;
      ts: string;
      deletedAt: Date;
      original: OutOfOrderMessage;
    }
  | {
      kind: "assistant_thread_started";
      teamId: string;
      channelId: string;
      threadTs: string;
      userId: string;
    }
  | {
      kind: "reaction";
      added: boolean;
      teamId: string;
      channelId: string;
      ts: string;
      userId: string;
      itemUserId: string | null;
      reaction: string;
    }
  | { kind: "app_home_opened"; teamId: string; userId: string }
  | ChannelChange
  | LifecycleChange;

const VISIBILITY_BY_CHANNEL_TYPE: Record<string, ChannelVisibility> = {
  channel: "public_channel",
  group: "private_channel",
  im: "dm",
  mpim: "group_dm",
};

/** Subtypes that are still a person saying something. */
const SPOKEN_SUBTYPES = new Set(["thread_broadcast", "file_share", "me_message"]);

function mentions(textValue: string, botUserId: string | null): boolean {
  return botUserId !== null && textValue.includes(`<@${botUserId}>`);
}

function visibilityOf(channelType: string | undefined): ChannelVisibility | null {
  return channelType ? (VISIBILITY_BY_CHANNEL_TYPE[channelType] ?? null) : null;
}

const notAnEventCallback = (): ClassifiedEvent => ({
  kind: "ignored",
  reason: "not an event callback",
});

/**
 * Classifies one `event_callback` envelope (the forwarded payload of kind `event`), read with
 * the shared Slack payload model.
 *
 * @param botUserId pup's own user id in this workspace (from `auth.test`), to notice mentions
 *   and never treat pup's own messages as a person's
 */
export function classifyEvent(envelope: unknown, botUserId: string | null): ClassifiedEvent {
  const parsed = parseSlackPayload("event", envelope);
  if (!parsed.ok) return notAnEventCallback();
  const { team_id, event } = parsed.payload.envelope;
  const teamId = team_id ?? event?.team;
  if (!event || !teamId) return notAnEventCallback();
  if (!isHandledInnerEvent(event)) {
    return { kind: "ignored", reason: `event type ${event.type ?? "(none)"} needs no work` };
  }

  switch (event.type) {
    case "app_mention":
    case "message":
      return classifyMessage(teamId, event, botUserId);
    case "assistant_thread_started": {
      const thread = event.assistant_thread;
      const channelId = thread?.channel_id;
      const threadTs = thread?.thread_ts;
      const userId = thread?.user_id;
      if (!channelId || !threadTs || !userId)
        return { kind: "ignored", reason: "bad assistant thread" };
      return { kind: "assistant_thread_started", teamId, channelId, threadTs, userId };
    }
    case "reaction_added":
    case "reaction_removed": {
      const { item, reaction } = event;
      const channelId = item?.channel;
      const ts = item?.ts;
      const userId = plainSlackId(event.user);
      if (item?.type !== "message" || !channelId || !ts || !userId || !reaction) {
        return { kind: "ignored", reason: "reaction not on a message" };
      }
      return {
        kind: "reaction",
        added: event.type === "reaction_added",
        teamId,
        channelId,
        ts,
        userId,
        itemUserId: event.item_user ?? null,
        reaction,
      };
    }
    case "app_home_opened": {
      const userId = plainSlackId(event.user);
      if (!userId || (event.tab !== undefined && event.tab !== "home")) {
        return { kind: "ignored", reason: "app home tab other than home" };
      }
      return { kind: "app_home_opened", teamId, userId };
    }
    case "channel_id_changed":
    case "channel_shared":
    case "channel_unshared":
      return classifyChannelEvent(teamId, event);
    case "app_uninstalled":
    case "tokens_revoked":
      return classifyLifecycleEvent(teamId, event);
  }
}

/** The parts of an edited or deleted message needed to store it when it was never seen. */
export interface OutOfOrderMessage {
  userId: string | null;
  threadTs: string | null;
  visibility: ChannelVisibility | null;
}

/** A message as an edit or a deletion describes it. */
interface DescribedMessage {
  ts?: string | undefined;
  thread_ts?: string | undefined;
  user?: string | undefined;
}

function outOfOrder(
  event: AnyMessageEvent,
  message: DescribedMessage | undefined,
): OutOfOrderMessage {
  const ts = message?.ts;
  const threadTs = message?.thread_ts;
  return {
    userId: message?.user ?? null,
    threadTs: threadTs && threadTs !== ts ? threadTs : null,
    visibility: visibilityOf(event.channel_type),
  };
}

/** A deletion of the message `ts`, as the deleting event (or tombstone edit) describes it. */
function deletion(
  teamId: string,
  channelId: string,
  event: AnyMessageEvent,
  ts: string,
  previous: DescribedMessage,
): ClassifiedEvent {
  const when = event.event_ts ?? event.ts ?? ts;
  return {
    kind: "message_deleted",
    teamId,
    channelId,
    ts,
    deletedAt: slackTsToDate(when),
    original: outOfOrder(event, previous),
  };
}

function classifyMessage(
  teamId: string,
  event: AnyMessageEvent,
  botUserId: string | null,
): ClassifiedEvent {
  const channelId = plainSlackId(event.channel);
  if (!channelId) return { kind: "ignored", reason: "message without a channel" };

  if (isMessageChangedEvent(event)) {
    const changed = event.message;
    const ts = changed?.ts;
    if (!changed || !ts) return { kind: "ignored", reason: "edit without a message" };
    // A thread's parent deleted while its replies stay: Slack swaps it for a tombstone ("This
    // message was deleted.") by an edit. It is a deletion, never a new text.
    if (changed.subtype === "tombstone") {
      return deletion(teamId, channelId, event, ts, event.previous_message ?? changed);
    }
    // A bot's message edited (another app's, or pup's own streamed reply): never a person's
    // words, so it must neither be stored as one nor overwrite one (issue 14).
    if (changed.bot_id || changed.subtype === "bot_message") {
      return { kind: "ignored", reason: "a bot's message edited" };
    }
    const editedTs = changed.edited?.ts ?? event.event_ts ?? event.ts ?? ts;
    return {
      kind: "message_changed",
      teamId,
      channelId,
      ts,
      text: changed.text ?? "",
      editedAt: slackTsToDate(editedTs),
      original: outOfOrder(event, changed),
    };
  }
  if (isMessageDeletedEvent(event)) {
    const previous = event.previous_message;
    const ts = event.deleted_ts ?? previous?.ts;
    if (!ts) return { kind: "ignored", reason: "deletion without a ts" };
    return deletion(teamId, channelId, event, ts, previous ?? { ts });
  }
  const { subtype } = event;
  const converted = convertedVisibility(subtype);
  if (converted) {
    return { kind: "channel_visibility", teamId, channelId, visibility: converted };
  }
  if (subtype !== undefined && !SPOKEN_SUBTYPES.has(subtype)) {
    return { kind: "ignored", reason: `message subtype ${subtype}` };
  }

  const userId = plainSlackId(event.user);
  const { ts } = event;
  if (!userId || !ts) return { kind: "ignored", reason: "message without a user or ts" };
  if (userId === botUserId) return { kind: "ignored", reason: "pup's own message" };
  if (event.bot_id !== undefined && event.bot_id !== null) {
    return { kind: "ignored", reason: "another bot's message" };
  }
  const body = event.text ?? "";
  const threadTs = event.thread_ts;
  return {
    kind: "message",
    message: {
      teamId,
      channelId,
      visibility: visibilityOf(event.channel_type),
      ts,
      threadTs: threadTs && threadTs !== ts ? threadTs : null,
      userId,
      text: body,
      postedAt: slackTsToDate(ts),
      mentionsPup: event.type === "app_mention" || mentions(body, botUserId),
      ...(event.user_team ? { userTeamId: event.user_team } : {}),
    },
  };
}

/** Why pup answers a message, or why not (CONTRACT.md "When pup answers"). */
export type ReplyDecision =
  | { reply: true; reason: ReplyReason }
  | { reply: false; reason: "not_addressed" };

export interface ReplyContext {
  /** pup has already replied in this message's thread. */
  pupInThread: boolean;
  /** The thread is a Slack assistant thread (AI app surface). */
  assistantThread: boolean;
}

/** Decides whether pup answers `message` (duplicates are handled by the send key, not here). */
export function decideReply(message: IncomingMessage, context: ReplyContext): ReplyDecision {
  if (message.mentionsPup) return { reply: true, reason: "mention" };
  if (context.assistantThread && message.threadTs !== null) {
    return { reply: true, reason: "assistant_thread" };
  }
  if (message.visibility === "dm") return { reply: true, reason: "direct_message" };
  if (message.threadTs !== null && context.pupInThread) {
    return { reply: true, reason: "thread_with_pup" };
  }
  return { reply: false, reason: "not_addressed" };
}
