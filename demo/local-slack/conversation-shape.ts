/**
 * The `channel` object `conversations.info` returns, rendered from a stored conversation. DMs have
 * a smaller shape than channels, as on Slack.
 */
import type { SlackConversation } from "./workspace-directory";

/** `conversations.info`'s `channel` object for a stored conversation. */
export function conversationShape(
  c: SlackConversation,
  botUserId: string,
): Record<string, unknown> {
  const common = { id: c.id, created: c.created, is_archived: c.isArchived, is_org_shared: false };
  if (c.visibility === "im") {
    return {
      ...common,
      is_im: true,
      is_channel: false,
      is_group: false,
      is_mpim: false,
      is_private: true,
      user: c.user,
      is_user_deleted: false,
      priority: 0,
    };
  }
  const meta = (value: string) => ({ value, creator: c.creator, last_set: value ? c.created : 0 });
  return {
    ...common,
    name: c.name,
    name_normalized: c.name,
    is_channel: c.visibility === "public",
    is_group: c.visibility === "private",
    is_im: false,
    is_mpim: c.visibility === "mpim",
    is_private: c.visibility !== "public",
    is_general: c.name === "general",
    is_shared: false,
    is_ext_shared: false,
    is_member: c.members === undefined || c.members.includes(botUserId),
    creator: c.creator,
    topic: meta(c.topic),
    purpose: meta(c.purpose),
    ...(c.members ? { num_members: c.members.length } : {}),
  };
}
