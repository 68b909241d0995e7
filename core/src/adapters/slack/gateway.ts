/**
 * The SlackGateway port over `@slack/web-api`, talking to `SLACK_API_URL`.
 *
 * Two clients share one token: writes (posts, updates, streams, ephemerals, reactions, views,
 * assistant threads) never retry inside the SDK, because a post whose answer was lost has already
 * happened and a retry would post it twice; reads retry a few times on network errors and 5xx.
 * Both surface HTTP 429 to us, and we wait the `Retry-After` Slack asked for and try again (a 429
 * means Slack did nothing, so this is safe for writes too).
 *
 * The parts: slack-calls.ts (429s and errors), lookups.ts (identity, users and conversations,
 * cached), web-reply-api.ts with reply-writer.ts (replies); this file wires them to the port.
 */
import { WebClient } from "@slack/web-api";
import pino from "pino";
import type {
  BotIdentity,
  PostedMessage,
  ReplyStream,
  ReplyTarget,
  RespondOptions,
  SlackBlock,
  SlackConversationInfo,
  SlackGateway,
  SlackUserInfo,
  ThreadMessage,
} from "../../ports/slack-gateway";
import type { Logger } from "../pino/logger";
import { SlackCallError } from "./errors";
import type { SlackGatewayOptions } from "./gateway-options";
import { SlackLookups } from "./lookups";
import { SlackMemberships } from "./memberships";
import type { ReplyTiming } from "./reply-api";
import { ReplyWriter } from "./reply-writer";
import { postToResponseUrl, responseUrlOrigins } from "./response-url";
import { sdkLogger } from "./sdk-logger";
import { SlackCalls } from "./slack-calls";
import { splitText } from "./split";
import { WebReplyApi } from "./web-reply-api";

export type { SlackGatewayOptions } from "./gateway-options";

type EphemeralArguments = Parameters<WebClient["chat"]["postEphemeral"]>[0];

/** Creates the gateway; nothing is called until the first method call. */
export function createSlackGateway(options: SlackGatewayOptions): SlackGateway {
  return new WebApiSlackGateway(options);
}

class WebApiSlackGateway implements SlackGateway {
  readonly #writes: WebClient;
  readonly #logger: Logger;
  readonly #timing: ReplyTiming;
  readonly #calls: SlackCalls;
  readonly #lookups: SlackLookups;
  readonly #memberships: SlackMemberships;
  /** The calls a {@link ReplyWriter} makes, bound to this gateway's write client. */
  readonly #replyApi: WebReplyApi;
  /** Where `response_url`s may point (the contract's two origins) and how long a POST may take. */
  readonly #responseUrls: { allowedOrigins: string[]; timeoutMs: number };

  constructor(options: SlackGatewayOptions) {
    this.#logger = options.logger ?? pino({ enabled: false });
    const common = {
      slackApiUrl: options.apiUrl,
      logger: sdkLogger(this.#logger),
      timeout: options.timeoutMs ?? 10_000,
      // 429s come back to us so we decide how long to wait (see SlackCalls.call).
      rejectRateLimitedCalls: true,
      // Method names are never absolute URLs: the token must only ever go to apiUrl.
      allowAbsoluteUrls: false,
    };
    this.#writes = new WebClient(options.botToken, { ...common, retryConfig: { retries: 0 } });
    const reads = new WebClient(options.botToken, {
      ...common,
      retryConfig: { retries: 2, factor: 2, minTimeout: 100, maxTimeout: 1_000, randomize: true },
    });
    const clock = options.clock ?? { now: () => Date.now() };
    this.#timing = {
      updateIntervalMs: options.updateIntervalMs ?? 1_000,
      streamIntervalMs: options.streamIntervalMs ?? 250,
      firstSendDelayMs: options.firstSendDelayMs ?? 0,
      now: () => clock.now(),
    };
    this.#calls = new SlackCalls(this.#logger, options.maxRateLimitWaitSeconds ?? 30);
    this.#lookups = new SlackLookups(
      reads,
      this.#calls,
      options.cache,
      options.lookupTtlSeconds ?? 600,
      this.#logger,
    );
    this.#memberships = new SlackMemberships(
      reads,
      this.#calls,
      options.cache,
      options.membershipTtlSeconds ?? 60,
      this.#logger,
    );
    this.#replyApi = new WebReplyApi(this.#writes, this.#calls, this.#logger);
    this.#responseUrls = {
      allowedOrigins: responseUrlOrigins(options.apiUrl),
      timeoutMs: options.responseUrlTimeoutMs ?? 10_000,
    };
  }

  identity(): Promise<BotIdentity> {
    return this.#lookups.identity();
  }

  userInfo(
    teamId: string,
    userId: string,
    options: { fresh?: boolean } = {},
  ): Promise<SlackUserInfo | undefined> {
    return this.#lookups.userInfo(teamId, userId, options);
  }

  conversationInfo(
    teamId: string,
    channelId: string,
    options: { fresh?: boolean } = {},
  ): Promise<SlackConversationInfo | undefined> {
    return this.#lookups.conversationInfo(teamId, channelId, options);
  }

  userConversations(teamId: string, userId: string): Promise<string[]> {
    return this.#memberships.userConversations(teamId, userId);
  }

  conversationMembers(teamId: string, channelId: string): Promise<string[]> {
    return this.#memberships.conversationMembers(teamId, channelId);
  }

  threadMessages(
    _teamId: string,
    channelId: string,
    threadTs: string,
    afterTs: string,
  ): Promise<ThreadMessage[]> {
    return this.#lookups.threadMessages(channelId, threadTs, afterTs);
  }

  async openReply(target: ReplyTarget): Promise<ReplyStream> {
    return new ReplyWriter(this.#replyApi, target, this.#timing, this.#logger);
  }

  async post(target: ReplyTarget, text: string): Promise<PostedMessage[]> {
    const parts = splitText(text);
    if (parts.length === 0) throw new SlackCallError("chat.postMessage", "no_text");
    const posted: PostedMessage[] = [];
    for (const part of parts) {
      // Later parts go into the thread, or into the one the first part starts.
      const thread = target.threadTs ?? posted[0]?.ts ?? null;
      posted.push(await this.#replyApi.postMessage(target.channelId, thread, part, target.sendKey));
    }
    return posted;
  }

  async postEphemeral(
    _teamId: string,
    channelId: string,
    userId: string,
    text: string,
    blocks?: readonly SlackBlock[],
  ): Promise<void> {
    // The blocks are built by pup's own use cases; Slack validates their shape.
    const args = { channel: channelId, user: userId, text, ...(blocks ? { blocks } : {}) };
    await this.#calls.call("chat.postEphemeral", () =>
      this.#writes.chat.postEphemeral(args as unknown as EphemeralArguments),
    );
  }

  respond(responseUrl: string, text: string, options: RespondOptions = {}) {
    return postToResponseUrl(
      responseUrl,
      text,
      { ...options, ...this.#responseUrls },
      this.#logger,
    );
  }

  async addReaction(_teamId: string, channelId: string, ts: string, name: string): Promise<void> {
    await this.#calls.tolerating("already_reacted", "reactions.add", () =>
      this.#writes.reactions.add({ channel: channelId, timestamp: ts, name: emojiName(name) }),
    );
  }

  async removeReaction(
    _teamId: string,
    channelId: string,
    ts: string,
    name: string,
  ): Promise<void> {
    await this.#calls.tolerating("no_reaction", "reactions.remove", () =>
      this.#writes.reactions.remove({ channel: channelId, timestamp: ts, name: emojiName(name) }),
    );
  }

  permalink(_teamId: string, channelId: string, ts: string): string {
    return `https://slack.com/archives/${channelId}/p${ts.replace(".", "")}`;
  }

  async setAssistantStatus(
    _teamId: string,
    channelId: string,
    threadTs: string,
    status: string,
  ): Promise<void> {
    await this.#calls.call("assistant.threads.setStatus", () =>
      this.#writes.assistant.threads.setStatus({
        channel_id: channelId,
        thread_ts: threadTs,
        status,
      }),
    );
  }

  async setSuggestedPrompts(
    _teamId: string,
    channelId: string,
    threadTs: string,
    prompts: { title: string; message: string }[],
    title?: string,
  ): Promise<void> {
    await this.#calls.call("assistant.threads.setSuggestedPrompts", () =>
      this.#writes.assistant.threads.setSuggestedPrompts({
        channel_id: channelId,
        thread_ts: threadTs,
        prompts,
        ...(title !== undefined ? { title } : {}),
      }),
    );
  }

  async setAssistantTitle(
    _teamId: string,
    channelId: string,
    threadTs: string,
    title: string,
  ): Promise<void> {
    await this.#calls.call("assistant.threads.setTitle", () =>
      this.#writes.assistant.threads.setTitle({
        channel_id: channelId,
        thread_ts: threadTs,
        title,
      }),
    );
  }

  async publishHome(_teamId: string, userId: string, view: Record<string, unknown>): Promise<void> {
    await this.#calls.call("views.publish", () =>
      this.#writes.views.publish({
        user_id: userId,
        // The view is built by pup's own use cases; Slack validates its shape.
        view: view as unknown as Parameters<WebClient["views"]["publish"]>[0]["view"],
      }),
    );
  }
}

/** Slack wants reaction names without the colons people type around them. */
function emojiName(name: string): string {
  return name.replace(/^:|:$/g, "");
}
