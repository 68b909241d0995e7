import type { SlackCallError } from "./slack-errors";

// Port: the Slack Web API as pup's use cases need it. The adapter (core/src/adapters/slack)
// speaks @slack/web-api to SLACK_API_URL; tests point it at test/fakes/slack.

/**
 * A Block Kit block (section, actions, context, header, divider...), built by pup's use cases;
 * Slack validates its shape. Every string under a `text` key is what people read, and the
 * output filter passes it (features/reply/filtered-gateway.ts).
 */
export type SlackBlock = Record<string, unknown>;

/** How an answer goes to a `response_url`. */
export interface RespondOptions {
  /** Visible to the whole conversation (default: only to the person who asked). */
  inChannel?: boolean;
  /** Block Kit blocks; the text stays the fallback. */
  blocks?: readonly SlackBlock[];
  /** Replaces the message whose button was pressed (block actions), instead of adding one. */
  replaceOriginal?: boolean;
}

/** Who pup is in a workspace, from `auth.test` (asked once at start). */
export interface BotIdentity {
  teamId: string;
  /** pup's own user id (`U…`): messages from it are never answered. */
  userId: string;
  /** pup's bot id (`B…`). */
  botId: string;
}

export interface SlackUserInfo {
  userId: string;
  teamId: string;
  name: string | null;
  displayName: string | null;
  realName: string | null;
  isBot: boolean;
  isAdmin: boolean;
  isOwner: boolean;
  /** A guest (multi-channel, `is_restricted`, or single-channel, `is_ultra_restricted`). */
  isRestricted: boolean;
  isUltraRestricted: boolean;
  /** Slack's `is_stranger`: someone from another organisation pup's workspace cannot fully see. */
  isStranger: boolean;
  /**
   * On Enterprise Grid, the organisation's workspaces the user belongs to (`enterprise_user.teams`):
   * their `teamId` is their home workspace, which may not be the one asking.
   */
  enterpriseTeamIds?: string[];
  /** IANA zone, e.g. `Europe/Berlin`; null when unknown. */
  timeZone: string | null;
}

export interface SlackConversationInfo {
  channelId: string;
  name: string | null;
  /** `public_channel`, `private_channel`, `dm` or `group_dm`. */
  visibility: "public_channel" | "private_channel" | "dm" | "group_dm";
  isArchived: boolean;
}

export interface PostedMessage {
  channelId: string;
  ts: string;
}

/** Where a reply goes: a channel, and the thread in it (`threadTs`) unless it starts one. */
export interface ReplyTarget {
  teamId: string;
  channelId: string;
  threadTs: string | null;
  /** The user the reply answers (streams need it for recipient fields). */
  recipientUserId: string | null;
  /**
   * The send key the reply is claimed under: its messages carry it as metadata
   * (`pup_reply`), so a retry after a crash can tell from Slack whether they were posted.
   */
  sendKey?: string | null;
}

/** One message of a thread as `conversations.replies` shows it (what claim recovery needs). */
export interface ThreadMessage {
  ts: string;
  userId: string | null;
  botId: string | null;
  /** The message's metadata event, when it carries one. */
  metadata: { eventType: string; payload: Record<string, unknown> } | null;
}

/**
 * A reply being written into Slack piece by piece. `append` may be called often; the adapter
 * decides how often Slack is actually called (streams, or post + update at most once a second),
 * and splits text that would pass Slack's limits into further messages in the same thread.
 */
export interface ReplyStream {
  append(text: string): Promise<void>;
  /** Finishes the reply; returns every message it consists of (the first is the reply's ts). */
  finish(): Promise<PostedMessage[]>;
  /** Gives up (e.g. the model failed); whatever was posted stays. */
  abort(reason: string): Promise<void>;
  /**
   * Whether any message of this reply may exist in Slack: one was posted, or a call that would
   * post one left and its answer was lost. False means Slack certainly shows nothing of it.
   */
  mayHavePosted(): boolean;
}

/**
 * Every method that calls Slack rejects with {@link SlackCallError} (ports/slack-errors.ts): its
 * `ambiguous` flag says the request left but no answer came back, so a post may exist.
 */
export interface SlackGateway {
  /** `auth.test`, cached after the first successful call. */
  identity(): Promise<BotIdentity>;
  /**
   * `users.info`, cached (TTL) per workspace and user. `fresh` skips the cached copy (and
   * refreshes it): role checks must see a demotion within their own, shorter window.
   */
  userInfo(
    teamId: string,
    userId: string,
    options?: { fresh?: boolean },
  ): Promise<SlackUserInfo | undefined>;
  /**
   * `conversations.info`, cached (TTL) per workspace and channel. `fresh` skips the cached copy
   * (and refreshes it): a visibility disagreement must be settled by Slack's current word.
   */
  conversationInfo(
    teamId: string,
    channelId: string,
    options?: { fresh?: boolean },
  ): Promise<SlackConversationInfo | undefined>;
  /**
   * `users.conversations` (every page): the conversations `userId` is a member of, cached
   * briefly (about a minute: membership decides what a guest may recall).
   */
  userConversations(teamId: string, userId: string): Promise<string[]>;
  /** `conversations.members` (every page), cached briefly like {@link userConversations}. */
  conversationMembers(teamId: string, channelId: string): Promise<string[]>;
  /**
   * `conversations.replies` with metadata (every page): the thread's messages after `afterTs`
   * (exclusive), oldest first. The thread's parent is left out unless it is after `afterTs`.
   */
  threadMessages(
    teamId: string,
    channelId: string,
    threadTs: string,
    afterTs: string,
  ): Promise<ThreadMessage[]>;
  /**
   * Opens a reply: `chat.startStream`/`appendStream`/`stopStream` where Slack offers them,
   * otherwise `chat.postMessage` then `chat.update` at most once a second.
   */
  openReply(target: ReplyTarget): Promise<ReplyStream>;
  /** One plain message (`chat.postMessage`), split like a stream when it is too long. */
  post(target: ReplyTarget, text: string): Promise<PostedMessage[]>;
  /** `chat.postEphemeral`; `text` is the fallback (notifications) when `blocks` are given. */
  postEphemeral(
    teamId: string,
    channelId: string,
    userId: string,
    text: string,
    blocks?: readonly SlackBlock[],
  ): Promise<void>;
  /**
   * POSTs to a slash command's or action's `response_url` (ephemeral unless `inChannel`);
   * `replaceOriginal` replaces the message the action was clicked in.
   */
  respond(responseUrl: string, text: string, options?: RespondOptions): Promise<void>;
  /** `reactions.add`; an `already_reacted` answer is success. */
  addReaction(teamId: string, channelId: string, ts: string, name: string): Promise<void>;
  /** `reactions.remove`; a `no_reaction` answer is success. */
  removeReaction(teamId: string, channelId: string, ts: string, name: string): Promise<void>;
  /** `chat.getPermalink` is not in the contract: builds `https://slack.com/archives/C/pTS`. */
  permalink(teamId: string, channelId: string, ts: string): string;
  /** `assistant.threads.setStatus` ("" clears it). */
  setAssistantStatus(
    teamId: string,
    channelId: string,
    threadTs: string,
    status: string,
  ): Promise<void>;
  /** `assistant.threads.setSuggestedPrompts`. */
  setSuggestedPrompts(
    teamId: string,
    channelId: string,
    threadTs: string,
    prompts: { title: string; message: string }[],
    title?: string,
  ): Promise<void>;
  /** `assistant.threads.setTitle`. */
  setAssistantTitle(
    teamId: string,
    channelId: string,
    threadTs: string,
    title: string,
  ): Promise<void>;
  /** `views.publish` of the App Home tab. */
  publishHome(teamId: string, userId: string, view: Record<string, unknown>): Promise<void>;
}
