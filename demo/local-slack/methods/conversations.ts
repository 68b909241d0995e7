/**
 * conversations.info, conversations.history and conversations.replies: reading a conversation.
 * History is newest first and leaves thread replies out; replies are the parent then its replies,
 * oldest first. Both honour `oldest`/`latest`/`inclusive` and cursor pagination, and show
 * message metadata only with `include_all_metadata`.
 */

import { conversationShape } from "../conversation-shape";
import type { SlackMessage } from "../message-store";
import { type MethodArgs, optionalBoolean, optionalString, requiredString } from "../method-args";
import { paginateByTs } from "../pagination";
import type { MethodContext, MethodTable } from "../slack-api";
import { compareSlackTs } from "../timestamps";

/** Keeps messages inside the `oldest`..`latest` window (bounds exclusive unless `inclusive`). */
function withinWindow(messages: SlackMessage[], args: MethodArgs): SlackMessage[] {
  const oldest = optionalString(args, "oldest");
  const latest = optionalString(args, "latest");
  const inclusive = optionalBoolean(args, "inclusive") ?? false;
  return messages.filter((m) => {
    if (oldest !== undefined) {
      const order = compareSlackTs(m.ts, oldest);
      if (order < 0 || (order === 0 && !inclusive)) return false;
    }
    if (latest !== undefined) {
      const order = compareSlackTs(m.ts, latest);
      if (order > 0 || (order === 0 && !inclusive)) return false;
    }
    return true;
  });
}

/**
 * Slack returns a message's metadata only to callers asking with `include_all_metadata`; pup's
 * claim recovery depends on asking, so the stand-in must not show it unasked either.
 */
function withMetadataIfAsked(messages: SlackMessage[], args: MethodArgs): SlackMessage[] {
  if (optionalBoolean(args, "include_all_metadata") === true) return messages;
  return messages.map((message) => {
    if (message.metadata === undefined) return message;
    const { metadata: _hidden, ...rest } = message;
    return rest;
  });
}

function info({ workspace, args }: MethodContext) {
  const conversation = workspace.conversation(requiredString(args, "channel", "channel_not_found"));
  return { channel: conversationShape(conversation, workspace.identity.botUserId) };
}

function history({ workspace, args }: MethodContext) {
  const channel = workspace.conversation(requiredString(args, "channel", "channel_not_found")).id;
  const newestFirst = withinWindow(workspace.messages.channelTimeline(channel), args).reverse();
  const page = paginateByTs(newestFirst, args);
  return {
    messages: withMetadataIfAsked(page.items, args),
    has_more: page.hasMore,
    pin_count: 0,
    response_metadata: { next_cursor: page.nextCursor },
  };
}

function replies({ workspace, args }: MethodContext) {
  const channel = workspace.conversation(requiredString(args, "channel", "channel_not_found")).id;
  const thread = workspace.messages.thread(channel, requiredString(args, "ts", "thread_not_found"));
  const page = paginateByTs(withinWindow(thread, args), args);
  return {
    messages: withMetadataIfAsked(page.items, args),
    has_more: page.hasMore,
    response_metadata: { next_cursor: page.nextCursor },
  };
}

/** The conversations.* read methods. */
export const conversationMethods: MethodTable = {
  "conversations.info": info,
  "conversations.history": history,
  "conversations.replies": replies,
};
