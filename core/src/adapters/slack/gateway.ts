/**
 * The SlackGateway port over `@slack/web-api`, talking to `SLACK_API_URL`.
 *
 * Two clients share one token: writes (posts, updates, streams, ephemerals, reactions, views,
 * assistant threads) never retry inside the SDK, because a post whose answer was lost has already
 * happened and a retry would post it twice; reads retry a few times on network errors and 5xx.
 * Both surface HTTP 429 to us, and we wait the `Retry-After` Slack asked for and try again (a 429
 * means Slack did nothing, so this is safe for writes too).
 */
import { WebAPIRateLimitedError, WebClient } from "@slack/web-api";
import pino from "pino";
import type { KeyValueCache } from "../../ports/cache";
import type {
  BotIdentity,
  PostedMessage,
  ReplyStream,
  ReplyTarget,
  SlackConversationInfo,
  SlackGateway,
  SlackUserInfo,
} from "../../ports/slack-gateway";
import type { Logger } from "../pino/logger";
import { SlackCallError, toSlackCallError } from "./errors";
import { type ReplyApi, ReplyWriter, type StreamStart } from "./reply-writer";
import { postToResponseUrl } from "./response-url";
import { sdkLogger } from "./sdk-logger";
import { splitText } from "./split";

/** Options for {@link createSlackGateway}. */
export interface SlackGatewayOptions {
  /** Bot token (`xoxb-…`); sent as a header, never logged. */
  botToken: string;
  /** Web API base URL, e.g. `https://slack.com/api/` or a local fake's. */
  apiUrl: string;
  /** Where `users.info` and `conversations.info` answers are kept. */
  cache: KeyValueCache;
  logger?: Logger;
  /** Milliseconds since the epoch; used to space out updates. Default `Date.now`. */
  clock?: { now(): number };
  /** How long looked-up users and conversations stay cached; default 600 s. */
  lookupTtlSeconds?: number;
  /** Least time between two `chat.update`s of one reply; default 1000 ms. */
  updateIntervalMs?: number;
  /** Least time between two `chat.appendStream`s of one reply; default 250 ms. */
  streamIntervalMs?: number;
  /**
   * How long a reply's first text waits for the rest before Slack is called (default 0). An
   * answer complete within it goes out as one `chat.postMessage` instead of a stream's start,
   * append and stop; a longer one streams as before, starting this much later.
   */
  firstSendDelayMs?: number;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** Longest `Retry-After` we wait out (longer ones fail the call); default 30 s. */
  maxRateLimitWaitSeconds?: number;
}

/** Slack's answers to `chat.startStream` when streaming is not offered to this app. */
const STREAMS_UNAVAILABLE = new Set(["unknown_method", "not_allowed", "not_allowed_token_type"]);
const UNKNOWN_USER = new Set(["user_not_found", "user_not_visible", "users_not_found"]);
const UNKNOWN_CONVERSATION = new Set(["channel_not_found"]);
/** How many 429s in a row one call waits out before giving up. */
const RATE_LIMIT_RETRIES = 3;

/** Creates the gateway; nothing is called until the first method call. */
export function createSlackGateway(options: SlackGatewayOptions): SlackGateway {
  return new WebApiSlackGateway(options);
}

class WebApiSlackGateway implements SlackGateway {
  readonly #writes: WebClient;
  readonly #reads: WebClient;
  readonly #cache: KeyValueCache;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #ttl: number;
  readonly #updateIntervalMs: number;
  readonly #streamIntervalMs: number;
  readonly #firstSendDelayMs: number;
  readonly #maxRateLimitWaitSeconds: number;
  #identity: Promise<BotIdentity> | undefined;
  #streamsAvailable = true;

  constructor(options: SlackGatewayOptions) {
    this.#logger = options.logger ?? pino({ enabled: false });
    const common = {
      slackApiUrl: options.apiUrl,
      logger: sdkLogger(this.#logger),
      timeout: options.timeoutMs ?? 10_000,
      // 429s come back to us so we decide how long to wait (see #call).
      rejectRateLimitedCalls: true,
      // Method names are never absolute URLs: the token must only ever go to apiUrl.
      allowAbsoluteUrls: false,
    };
    this.#writes = new WebClient(options.botToken, { ...common, retryConfig: { retries: 0 } });
    this.#reads = new WebClient(options.botToken, {
      ...common,
      retryConfig: { retries: 2, factor: 2, minTimeout: 100, maxTimeout: 1_000, randomize: true },
    });
    this.#cache = options.cache;
    const clock = options.clock ?? { now: () => Date.now() };
    this.#now = () => clock.now();
    this.#ttl = options.lookupTtlSeconds ?? 600;
    this.#updateIntervalMs = options.updateIntervalMs ?? 1_000;
    this.#streamIntervalMs = options.streamIntervalMs ?? 250;
    this.#firstSendDelayMs = options.firstSendDelayMs ?? 0;
    this.#maxRateLimitWaitSeconds = options.maxRateLimitWaitSeconds ?? 30;
  }

  identity(): Promise<BotIdentity> {
    this.#identity ??= this.#call("auth.test", () => this.#reads.auth.test()).then((result) => {
      const { team_id: teamId, user_id: userId, bot_id: botId } = result;
      if (!teamId || !userId || !botId) {
        throw new SlackCallError("auth.test", "not_a_bot_token", { cause: result });
      }
      return { teamId, userId, botId };
    });
    // A failure is not cached: the next caller asks Slack again.
    this.#identity.catch(() => {
      this.#identity = undefined;
    });
    return this.#identity;
  }

  async userInfo(teamId: string, userId: string): Promise<SlackUserInfo | undefined> {
    return this.#cached(`slack:user:${teamId}:${userId}`, async () => {
      const result = await this.#lookup("users.info", UNKNOWN_USER, () =>
        this.#reads.users.info({ user: userId }),
      );
      const user = result?.user;
      if (!user) return undefined;
      const profile = user.profile ?? {};
      return {
        userId: user.id ?? userId,
        teamId: user.team_id ?? teamId,
        name: user.name || null,
        displayName: profile.display_name || null,
        realName: user.real_name || profile.real_name || null,
        isBot: user.is_bot ?? false,
        isAdmin: user.is_admin ?? false,
        isOwner: user.is_owner ?? false,
        timeZone: user.tz || null,
      };
    });
  }

  async conversationInfo(
    teamId: string,
    channelId: string,
  ): Promise<SlackConversationInfo | undefined> {
    return this.#cached(`slack:conversation:${teamId}:${channelId}`, async () => {
      const result = await this.#lookup("conversations.info", UNKNOWN_CONVERSATION, () =>
        this.#reads.conversations.info({ channel: channelId }),
      );
      const channel = result?.channel;
      if (!channel) return undefined;
      return {
        channelId: channel.id ?? channelId,
        name: channel.name || null,
        visibility: channel.is_im
          ? "dm"
          : channel.is_mpim
            ? "group_dm"
            : channel.is_private
              ? "private_channel"
              : "public_channel",
        isArchived: channel.is_archived ?? false,
      };
    });
  }

  async openReply(target: ReplyTarget): Promise<ReplyStream> {
    return new ReplyWriter(
      this.#replyApi(),
      target,
      {
        updateIntervalMs: this.#updateIntervalMs,
        streamIntervalMs: this.#streamIntervalMs,
        firstSendDelayMs: this.#firstSendDelayMs,
        now: this.#now,
      },
      this.#logger,
    );
  }

  async post(target: ReplyTarget, text: string): Promise<PostedMessage[]> {
    const parts = splitText(text);
    if (parts.length === 0) throw new SlackCallError("chat.postMessage", "no_text");
    const posted: PostedMessage[] = [];
    for (const part of parts) {
      // Later parts go into the thread, or into the one the first part starts.
      const thread = target.threadTs ?? posted[0]?.ts ?? null;
      posted.push(await this.#postMessage(target.channelId, thread, part));
    }
    return posted;
  }

  async postEphemeral(
    _teamId: string,
    channelId: string,
    userId: string,
    text: string,
  ): Promise<void> {
    await this.#call("chat.postEphemeral", () =>
      this.#writes.chat.postEphemeral({ channel: channelId, user: userId, text }),
    );
  }

  respond(responseUrl: string, text: string, options: { inChannel?: boolean } = {}) {
    return postToResponseUrl(responseUrl, text, options, this.#logger);
  }

  async addReaction(_teamId: string, channelId: string, ts: string, name: string): Promise<void> {
    await this.#tolerating("already_reacted", "reactions.add", () =>
      this.#writes.reactions.add({ channel: channelId, timestamp: ts, name: emojiName(name) }),
    );
  }

  async removeReaction(
    _teamId: string,
    channelId: string,
    ts: string,
    name: string,
  ): Promise<void> {
    await this.#tolerating("no_reaction", "reactions.remove", () =>
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
    await this.#call("assistant.threads.setStatus", () =>
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
    await this.#call("assistant.threads.setSuggestedPrompts", () =>
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
    await this.#call("assistant.threads.setTitle", () =>
      this.#writes.assistant.threads.setTitle({
        channel_id: channelId,
        thread_ts: threadTs,
        title,
      }),
    );
  }

  async publishHome(_teamId: string, userId: string, view: Record<string, unknown>): Promise<void> {
    await this.#call("views.publish", () =>
      this.#writes.views.publish({
        user_id: userId,
        // The view is built by pup's own use cases; Slack validates its shape.
        view: view as unknown as Parameters<WebClient["views"]["publish"]>[0]["view"],
      }),
    );
  }

  /** The calls a {@link ReplyWriter} makes, bound to this gateway's write client. */
  #replyApi(): ReplyApi {
    return {
      streamsAvailable: () => this.#streamsAvailable,
      startStream: (start) => this.#startStream(start),
      appendStream: async (channel, ts, text) => {
        await this.#call("chat.appendStream", () =>
          this.#writes.chat.appendStream({ channel, ts, markdown_text: text }),
        );
      },
      stopStream: async (channel, ts, text) => {
        await this.#call("chat.stopStream", () =>
          this.#writes.chat.stopStream({
            channel,
            ts,
            ...(text !== "" ? { markdown_text: text } : {}),
          }),
        );
      },
      postMessage: (channel, threadTs, text) => this.#postMessage(channel, threadTs, text),
      update: async (channel, ts, text) => {
        await this.#call("chat.update", () => this.#writes.chat.update({ channel, ts, text }));
      },
    };
  }

  async #startStream(start: StreamStart): Promise<PostedMessage | undefined> {
    if (!this.#streamsAvailable || typeof this.#writes.chat.startStream !== "function") {
      this.#streamsAvailable = false;
      return undefined;
    }
    const dm = start.channelId.startsWith("D");
    try {
      const result = await this.#call("chat.startStream", () =>
        this.#writes.chat.startStream({
          channel: start.channelId,
          thread_ts: start.threadTs,
          markdown_text: start.text,
          ...(!dm && start.recipientUserId && start.recipientTeamId
            ? { recipient_user_id: start.recipientUserId, recipient_team_id: start.recipientTeamId }
            : {}),
        }),
      );
      return {
        channelId: result.channel ?? start.channelId,
        ts: requireTs(result.ts, "chat.startStream"),
      };
    } catch (error) {
      if (error instanceof SlackCallError && STREAMS_UNAVAILABLE.has(error.slackError)) {
        if (this.#streamsAvailable) {
          this.#logger.info(
            { slackError: error.slackError },
            "Slack does not offer chat.startStream here; replying with post and update",
          );
        }
        this.#streamsAvailable = false;
        return undefined;
      }
      throw error;
    }
  }

  async #postMessage(channel: string, threadTs: string | null, text: string) {
    const result = await this.#call("chat.postMessage", () =>
      this.#writes.chat.postMessage({
        channel,
        text,
        ...(threadTs !== null ? { thread_ts: threadTs } : {}),
      }),
    );
    return { channelId: result.channel ?? channel, ts: requireTs(result.ts, "chat.postMessage") };
  }

  /** Calls Slack, waiting out 429s (Slack did nothing then), and wraps any failure. */
  async #call<T>(method: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        const waitSeconds = error instanceof WebAPIRateLimitedError ? error.retryAfter : undefined;
        if (
          waitSeconds !== undefined &&
          attempt < RATE_LIMIT_RETRIES &&
          waitSeconds <= this.#maxRateLimitWaitSeconds
        ) {
          this.#logger.info({ method, retryAfterSeconds: waitSeconds }, "Slack rate limit");
          await sleep(waitSeconds * 1_000);
          continue;
        }
        const wrapped = toSlackCallError(method, error);
        this.#logger.debug(
          { method, slackError: wrapped.slackError, ambiguous: wrapped.ambiguous },
          "Slack call failed",
        );
        throw wrapped;
      }
    }
  }

  /** A read whose "not found" answers mean `undefined` rather than an error. */
  async #lookup<T>(
    method: string,
    notFound: Set<string>,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.#call(method, run);
    } catch (error) {
      if (error instanceof SlackCallError && notFound.has(error.slackError)) return undefined;
      throw error;
    }
  }

  /** A write for which one particular error means "already so". */
  async #tolerating(harmless: string, method: string, run: () => Promise<unknown>) {
    try {
      await this.#call(method, run);
    } catch (error) {
      if (error instanceof SlackCallError && error.slackError === harmless) return;
      throw error;
    }
  }

  /**
   * Reads `key` from the cache, else loads it and caches it. The cache is an optimisation: when
   * it fails we log and go to Slack. Misses (`undefined`) are not cached.
   */
  async #cached<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      const hit = await this.#cache.get(key);
      if (hit !== undefined) return JSON.parse(hit) as T;
    } catch (error) {
      this.#logger.warn({ err: error, key }, "Slack lookup cache read failed");
    }
    const value = await load();
    if (value !== undefined) {
      try {
        await this.#cache.set(key, JSON.stringify(value), this.#ttl);
      } catch (error) {
        this.#logger.warn({ err: error, key }, "Slack lookup cache write failed");
      }
    }
    return value;
  }
}

function requireTs(ts: string | undefined, method: string): string {
  if (!ts) throw new SlackCallError(method, "missing_ts");
  return ts;
}

/** Slack wants reaction names without the colons people type around them. */
function emojiName(name: string): string {
  return name.replace(/^:|:$/g, "");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
