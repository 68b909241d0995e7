/**
 * The content arguments shared by chat.postMessage, chat.update, chat.postEphemeral and
 * chat.stopStream (text, blocks, attachments, metadata), checked against Slack's documented
 * limits, and the author fields Slack stamps on a message.
 */
import type { NewMessage } from "./message-store";
import {
  type MethodArgs,
  optionalJson,
  optionalJsonArray,
  optionalString,
  SlackApiError,
} from "./method-args";
import type { Caller } from "./slack-api";
import type { LocalWorkspace } from "./workspace";
import type { SlackConversation } from "./workspace-directory";

/** Slack truncates nothing: longer text is refused with `msg_too_long`. */
export const MAX_TEXT_LENGTH = 40_000;
/** Slack accepts at most 50 blocks in a message. */
export const MAX_BLOCKS = 50;

/** Reads text/blocks/attachments/metadata; `no_text` when `requireContent` and all are absent. */
export function readMessageContent(args: MethodArgs, requireContent: boolean): Partial<NewMessage> {
  const text = optionalString(args, "text");
  const blocks = optionalJsonArray(args, "blocks", "invalid_blocks_format");
  const attachments = optionalJsonArray(args, "attachments", "invalid_attachments");
  const metadata = optionalJson(args, "metadata", "invalid_metadata_format");
  if (text !== undefined && text.length > MAX_TEXT_LENGTH) throw new SlackApiError("msg_too_long");
  if (blocks) checkBlocks(blocks);
  if (metadata !== undefined && !isMetadata(metadata)) {
    throw new SlackApiError("invalid_metadata_format");
  }
  if (requireContent && !text && !blocks?.length && !attachments?.length) {
    throw new SlackApiError("no_text");
  }
  const content: Partial<NewMessage> = {};
  if (text !== undefined || requireContent) content.text = text ?? "";
  if (blocks) content.blocks = blocks;
  if (attachments) content.attachments = attachments;
  if (metadata !== undefined) content.metadata = metadata;
  return content;
}

function checkBlocks(blocks: unknown[]): void {
  if (blocks.length > MAX_BLOCKS) throw new SlackApiError("invalid_blocks");
  for (const block of blocks) {
    const type =
      typeof block === "object" && block !== null ? Reflect.get(block, "type") : undefined;
    if (typeof type !== "string" || type === "") throw new SlackApiError("invalid_blocks");
  }
}

function isMetadata(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "event_type") === "string"
  );
}

/** The fields Slack puts on a message to say who wrote it (bot messages carry a bot profile). */
export function authorFields(workspace: LocalWorkspace, caller: Caller): Partial<NewMessage> {
  const { teamId, botName } = workspace.identity;
  if (!caller.botId) return { user: caller.userId, team: teamId };
  return {
    user: caller.userId,
    bot_id: caller.botId,
    app_id: caller.appId,
    team: teamId,
    bot_profile: {
      id: caller.botId,
      app_id: caller.appId,
      user_id: caller.userId,
      name: botName,
      team_id: teamId,
      deleted: false,
      updated: workspace.clock.nowSeconds(),
      icons: {},
    },
  };
}

/** Refuses posting where Slack would: archived conversations, or private ones the caller is not in. */
export function checkCanPost(conversation: SlackConversation, caller: Caller): void {
  if (conversation.isArchived) throw new SlackApiError("is_archived");
  const members = conversation.members;
  if (conversation.visibility !== "public" && members && !members.includes(caller.userId)) {
    throw new SlackApiError("not_in_channel");
  }
}
