/**
 * chat.startStream / chat.appendStream / chat.stopStream: a streamed reply is one thread message
 * whose text grows with each append while `streaming_state` is "in_progress", and freezes at
 * "completed" when stopped. Appending to a stopped stream fails as it does on Slack.
 */

import {
  authorFields,
  checkCanPost,
  MAX_TEXT_LENGTH,
  readMessageContent,
} from "../message-content";
import type { SlackMessage } from "../message-store";
import {
  invalidArguments,
  type MethodArgs,
  optionalJsonArray,
  optionalString,
  requiredString,
  SlackApiError,
} from "../method-args";
import type { MethodContext, MethodTable } from "../slack-api";

/** What one start/append/stop call adds: markdown text, plus any non-text chunks kept as given. */
interface StreamDelta {
  text: string;
  chunks: unknown[];
}

function readDelta(args: MethodArgs): StreamDelta | undefined {
  const markdown = optionalString(args, "markdown_text");
  const chunks = optionalJsonArray(args, "chunks");
  if (markdown === undefined && chunks === undefined) return undefined;
  let text = markdown ?? "";
  const others: unknown[] = [];
  for (const chunk of chunks ?? []) {
    const type =
      typeof chunk === "object" && chunk !== null ? Reflect.get(chunk, "type") : undefined;
    const chunkText = type === "markdown_text" ? Reflect.get(chunk as object, "text") : undefined;
    if (typeof chunkText === "string") text += chunkText;
    else others.push(chunk);
  }
  return { text, chunks: others };
}

function appendDelta(message: SlackMessage, delta: StreamDelta | undefined): Partial<SlackMessage> {
  if (!delta) return {};
  const text = message.text + delta.text;
  if (text.length > MAX_TEXT_LENGTH) throw new SlackApiError("msg_too_long");
  const earlier = Array.isArray(message.chunks) ? message.chunks : [];
  return delta.chunks.length ? { text, chunks: [...earlier, ...delta.chunks] } : { text };
}

function startStream({ workspace, args, caller }: MethodContext) {
  const conversation = workspace.conversation(requiredString(args, "channel", "channel_not_found"));
  checkCanPost(conversation, caller);
  const threadTs = requiredString(args, "thread_ts");
  if (conversation.visibility !== "im") {
    // Outside a DM Slack needs to know whom the stream is for.
    requiredString(args, "recipient_user_id");
    requiredString(args, "recipient_team_id");
  }
  const delta = readDelta(args);
  const message = workspace.postMessage(conversation.id, {
    ...authorFields(workspace, caller),
    text: "",
    thread_ts: threadTs,
    streaming_state: "in_progress",
  });
  workspace.amendMessage(conversation.id, message.ts, appendDelta(message, delta));
  return { channel: conversation.id, ts: message.ts };
}

/** The streamed message named by `channel` + `ts`, if the caller may still write to it. */
function openStream({ workspace, args, caller }: MethodContext): {
  channel: string;
  message: SlackMessage;
} {
  const channel = workspace.conversation(requiredString(args, "channel", "channel_not_found")).id;
  const message = workspace.messages.get(channel, requiredString(args, "ts", "message_not_found"));
  if (message.user !== caller.userId) throw new SlackApiError("cant_update_message");
  if (message.streaming_state !== "in_progress") {
    throw new SlackApiError("message_not_in_streaming_state");
  }
  return { channel, message };
}

function appendStream(context: MethodContext) {
  const { channel, message } = openStream(context);
  const delta = readDelta(context.args);
  if (!delta) throw invalidArguments("missing required field: markdown_text or chunks");
  context.workspace.amendMessage(channel, message.ts, appendDelta(message, delta));
  return { channel, ts: message.ts };
}

function stopStream(context: MethodContext) {
  const { channel, message } = openStream(context);
  const { blocks, metadata } = readMessageContent(context.args, false);
  const change: Partial<SlackMessage> = {
    ...appendDelta(message, readDelta(context.args)),
    streaming_state: "completed",
    ...(blocks ? { blocks: [...(message.blocks ?? []), ...blocks] } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
  const stopped = context.workspace.amendMessage(channel, message.ts, change);
  return { channel, ts: stopped.ts, message: stopped };
}

/** The chat.*Stream methods. */
export const chatStreamMethods: MethodTable = {
  "chat.startStream": startStream,
  "chat.appendStream": appendStream,
  "chat.stopStream": stopStream,
};
