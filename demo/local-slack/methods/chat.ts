/**
 * chat.postMessage, chat.update and chat.postEphemeral: posting, editing and whispering messages,
 * with Slack's response shapes (`channel`, `ts`, `message`; `message_ts` for ephemerals).
 */
import { authorFields, checkCanPost, readMessageContent } from "../message-content";
import { optionalBoolean, optionalString, requiredString, SlackApiError } from "../method-args";
import type { MethodContext, MethodTable } from "../slack-api";

function postMessage({ workspace, args, caller }: MethodContext) {
  const conversation = workspace.conversation(requiredString(args, "channel", "channel_not_found"));
  checkCanPost(conversation, caller);
  const content = readMessageContent(args, true);
  const threadTs = optionalString(args, "thread_ts");
  const broadcast = threadTs !== undefined && optionalBoolean(args, "reply_broadcast") === true;
  const message = workspace.postMessage(conversation.id, {
    ...authorFields(workspace, caller),
    ...content,
    text: content.text ?? "",
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(broadcast ? { subtype: "thread_broadcast" } : {}),
  });
  return { channel: conversation.id, ts: message.ts, message };
}

function update({ workspace, args, caller }: MethodContext) {
  const conversation = workspace.conversation(requiredString(args, "channel", "channel_not_found"));
  const ts = requiredString(args, "ts", "message_not_found");
  const existing = workspace.messages.get(conversation.id, ts);
  if (existing.user !== caller.userId) throw new SlackApiError("cant_update_message");
  const content = readMessageContent(args, false);
  const message = workspace.updateMessage(conversation.id, ts, content, caller.userId);
  return { channel: conversation.id, ts, text: message.text, message };
}

function postEphemeral({ workspace, args, caller }: MethodContext) {
  const conversation = workspace.conversation(requiredString(args, "channel", "channel_not_found"));
  checkCanPost(conversation, caller);
  const user = workspace.user(requiredString(args, "user", "user_not_found"));
  if (conversation.members && !conversation.members.includes(user.id)) {
    throw new SlackApiError("user_not_in_channel");
  }
  const content = readMessageContent(args, true);
  const threadTs = optionalString(args, "thread_ts");
  const ephemeral = workspace.postEphemeral(conversation.id, user.id, {
    ...authorFields(workspace, caller),
    ...content,
    text: content.text ?? "",
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { message_ts: ephemeral.message.ts };
}

/** The chat.* methods for ordinary messages. */
export const chatMethods: MethodTable = {
  "chat.postMessage": postMessage,
  "chat.update": update,
  "chat.postEphemeral": postEphemeral,
};
