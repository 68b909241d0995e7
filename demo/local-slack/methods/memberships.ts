/**
 * users.conversations and conversations.members: who is in which conversation, with Slack's
 * cursor pagination (an opaque cursor naming the next item's index). pup asks them to bound what
 * guests and people from other organisations may recall.
 */

import { conversationShape } from "../conversation-shape";
import type { MethodArgs } from "../method-args";
import { optionalInteger, optionalString, requiredString, SlackApiError } from "../method-args";
import type { MethodContext, MethodTable } from "../slack-api";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function page<T>(items: T[], args: MethodArgs): { items: T[]; next: string } {
  const limit = Math.min(Math.max(optionalInteger(args, "limit") ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
  const cursor = optionalString(args, "cursor");
  const start = cursor ? Number(Buffer.from(cursor, "base64").toString().replace("next:", "")) : 0;
  if (!Number.isInteger(start) || start < 0) throw new SlackApiError("invalid_cursor");
  const end = start + limit;
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(`next:${end}`).toString("base64") : "",
  };
}

const TYPE_OF = { public: "public_channel", private: "private_channel", mpim: "mpim", im: "im" };

function userConversations({ workspace, args, caller }: MethodContext) {
  const userId = optionalString(args, "user") ?? caller.userId;
  if (!workspace.directory.findUser(userId)) throw new SlackApiError("user_not_found");
  const types = (optionalString(args, "types") ?? "public_channel").split(",");
  const conversations = workspace.directory
    .listChannels()
    .filter(
      (c) => types.includes(TYPE_OF[c.visibility]) && workspace.directory.isMember(c, userId),
    );
  const { items, next } = page(conversations, args);
  return {
    channels: items.map((c) => conversationShape(c, workspace.identity.botUserId)),
    response_metadata: { next_cursor: next },
  };
}

function conversationMembers({ workspace, args }: MethodContext) {
  const conversation = workspace.conversation(requiredString(args, "channel", "channel_not_found"));
  const members =
    conversation.members ??
    workspace.directory
      .listUsers()
      .map((user) => user.id)
      .filter((id) => workspace.directory.isMember(conversation, id));
  const { items, next } = page(members, args);
  return { members: items, response_metadata: { next_cursor: next } };
}

export const membershipMethods: MethodTable = {
  "users.conversations": userConversations,
  "conversations.members": conversationMembers,
};
