import type { SlackCallError } from "./slack-errors";

// Port: the Slack Web API as pup's use cases need it. The adapter (core/src/adapters/slack)
// speaks @slack/web-api to SLACK_API_URL; tests point it at test/fakes/slack.

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
  /** `users.info`, cached (TTL) per workspace and user. */
  userInfo(teamId: string, userId: string): Promise<SlackUserInfo | undefined>;
  /** `conversations.info`, cached (TTL) per workspace and channel. */
  conversationInfo(teamId: string, channelId: string): Promise<SlackConversationInfo | undefined>;
  /**
   * Opens a reply: `chat.startStream`/`appendStream`/`stopStream` where Slack offers them,
   * otherwise `chat.postMessage` then `chat.update` at most once a second.
   */
  openReply(target: ReplyTarget): Promise<ReplyStream>;
  /** One plain message (`chat.postMessage`), split like a stream when it is too long. */
  post(target: ReplyTarget, text: string): Promise<PostedMessage[]>;
  /** `chat.postEphemeral`. */
  postEphemeral(teamId: string, channelId: string, userId: string, text: string): Promise<void>;
  /** POSTs to a slash command's or action's `response_url` (ephemeral unless `inChannel`). */
  respond(responseUrl: string, text: string, options?: { inChannel?: boolean }): Promise<void>;
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
