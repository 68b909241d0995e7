/**
 * What one Events API delivery means to pup, decided without I/O: a message to remember (and
 * maybe answer), an edit or deletion to carry into memory, an assistant thread opening, a
 * reaction, the App Home being opened, or something to ignore (with the reason, for logs).
 *
 * Slack sends one user message twice when pup is mentioned in a channel (`message` from the
 * `message.channels` subscription and `app_mention`); both classify to the same message (same
 * channel and ts), so storing and answering it by (channel, ts) handles it once.
 */
import type { ChannelVisibility } from "../../ports/slack-vocabulary";
import { type IncomingMessage, slackTsToDate } from "../../shared/incoming-message";
import type { ReplyReason } from "../reply";

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
  | { kind: "ignored"; reason: string };

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

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

/**
 * Classifies one `event_callback` envelope (the forwarded payload of kind `event`).
 *
 * @param botUserId pup's own user id in this workspace (from `auth.test`), to notice mentions
 *   and never treat pup's own messages as a person's
 */
export function classifyEvent(envelope: unknown, botUserId: string | null): ClassifiedEvent {
  const body = record(envelope);
  const event = record(body?.event);
  const teamId = text(body?.team_id) ?? text(event?.team);
  if (!body || !event || !teamId) return { kind: "ignored", reason: "not an event callback" };
  const type = text(event.type);

  if (type === "app_mention" || type === "message") {
    return classifyMessage(teamId, type, event, botUserId);
  }
  if (type === "assistant_thread_started") {
    const thread = record(event.assistant_thread);
    const channelId = text(thread?.channel_id);
    const threadTs = text(thread?.thread_ts);
    const userId = text(thread?.user_id);
    if (!channelId || !threadTs || !userId)
      return { kind: "ignored", reason: "bad assistant thread" };
    return { kind: "assistant_thread_started", teamId, channelId, threadTs, userId };
  }
  if (type === "reaction_added" || type === "reaction_removed") {
    const item = record(event.item);
    const channelId = text(item?.channel);
    const ts = text(item?.ts);
    const userId = text(event.user);
    const reaction = text(event.reaction);
    if (item?.type !== "message" || !channelId || !ts || !userId || !reaction) {
      return { kind: "ignored", reason: "reaction not on a message" };
    }
    return {
      kind: "reaction",
      added: type === "reaction_added",
      teamId,
      channelId,
      ts,
      userId,
      itemUserId: text(event.item_user) ?? null,
      reaction,
    };
  }
  if (type === "app_home_opened") {
    const userId = text(event.user);
    if (!userId || (event.tab !== undefined && event.tab !== "home")) {
      return { kind: "ignored", reason: "app home tab other than home" };
    }
    return { kind: "app_home_opened", teamId, userId };
  }
  return { kind: "ignored", reason: `event type ${type ?? "(none)"} needs no work` };
}

/** The parts of an edited or deleted message needed to store it when it was never seen. */
export interface OutOfOrderMessage {
  userId: string | null;
  threadTs: string | null;
  visibility: ChannelVisibility | null;
}

function outOfOrder(event: Json, message: Json | undefined): OutOfOrderMessage {
  const ts = text(message?.ts);
  const threadTs = text(message?.thread_ts);
  const channelType = text(event.channel_type);
  return {
    userId: text(message?.user) ?? null,
    threadTs: threadTs && threadTs !== ts ? threadTs : null,
    visibility: channelType ? (VISIBILITY_BY_CHANNEL_TYPE[channelType] ?? null) : null,
  };
}

function classifyMessage(
  teamId: string,
  type: "app_mention" | "message",
  event: Json,
  botUserId: string | null,
): ClassifiedEvent {
  const channelId = text(event.channel);
  if (!channelId) return { kind: "ignored", reason: "message without a channel" };
  const subtype = text(event.subtype);

  if (subtype === "message_changed") {
    const changed = record(event.message);
    const ts = text(changed?.ts);
    if (!changed || !ts) return { kind: "ignored", reason: "edit without a message" };
    const edited = record(changed.edited);
    const editedTs = text(edited?.ts) ?? text(event.event_ts) ?? text(event.ts) ?? ts;
    return {
      kind: "message_changed",
      teamId,
      channelId,
      ts,
      text: typeof changed.text === "string" ? changed.text : "",
      editedAt: slackTsToDate(editedTs),
      original: outOfOrder(event, changed),
    };
  }
  if (subtype === "message_deleted") {
    const ts = text(event.deleted_ts) ?? text(record(event.previous_message)?.ts);
    if (!ts) return { kind: "ignored", reason: "deletion without a ts" };
    const when = text(event.event_ts) ?? text(event.ts) ?? ts;
    return {
      kind: "message_deleted",
      teamId,
      channelId,
      ts,
      deletedAt: slackTsToDate(when),
      original: outOfOrder(event, record(event.previous_message) ?? { ts }),
    };
  }
  if (subtype !== undefined && !SPOKEN_SUBTYPES.has(subtype)) {
    return { kind: "ignored", reason: `message subtype ${subtype}` };
  }

  const userId = text(event.user);
  const ts = text(event.ts);
  if (!userId || !ts) return { kind: "ignored", reason: "message without a user or ts" };
  if (userId === botUserId) return { kind: "ignored", reason: "pup's own message" };
  if (event.bot_id !== undefined && event.bot_id !== null) {
    return { kind: "ignored", reason: "another bot's message" };
  }
  const body = typeof event.text === "string" ? event.text : "";
  const threadTs = text(event.thread_ts);
  const channelType = text(event.channel_type);
  return {
    kind: "message",
    message: {
      teamId,
      channelId,
      visibility: channelType ? (VISIBILITY_BY_CHANNEL_TYPE[channelType] ?? null) : null,
      ts,
      threadTs: threadTs && threadTs !== ts ? threadTs : null,
      userId,
      text: body,
      postedAt: slackTsToDate(ts),
      mentionsPup: type === "app_mention" || mentions(body, botUserId),
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
