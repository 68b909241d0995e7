/**
 * What the gateway reads about the workspace: the bot's own identity (`auth.test`, asked once per
 * gateway) and users and conversations (`users.info`, `conversations.info`), mapped to the port's
 * shapes and kept in the shared cache for a while. Unknown users and conversations are
 * `undefined`, not errors.
 */
import type { WebClient } from "@slack/web-api";
import type { KeyValueCache } from "../../ports/cache";
import type {
  BotIdentity,
  SlackConversationInfo,
  SlackUserInfo,
  ThreadMessage,
} from "../../ports/slack-gateway";
import type { Logger } from "../pino/logger";
import { SlackCallError } from "./errors";
import type { SlackCalls } from "./slack-calls";
import { readThreadMessages } from "./thread-messages";

const UNKNOWN_USER = new Set(["user_not_found", "user_not_visible", "users_not_found"]);
const UNKNOWN_CONVERSATION = new Set(["channel_not_found"]);

/** The gateway's reads, over its retrying read client. */
export class SlackLookups {
  #identity: Promise<BotIdentity> | undefined;

  constructor(
    private readonly reads: WebClient,
    private readonly calls: SlackCalls,
    private readonly cache: KeyValueCache,
    /** How long looked-up users and conversations stay cached, in seconds. */
    private readonly ttl: number,
    private readonly logger: Logger,
  ) {}

  identity(): Promise<BotIdentity> {
    this.#identity ??= this.calls
      .call("auth.test", () => this.reads.auth.test())
      .then((result) => {
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

  async userInfo(
    teamId: string,
    userId: string,
    options: { fresh?: boolean } = {},
  ): Promise<SlackUserInfo | undefined> {
    return this.#cached(`slack:user:${teamId}:${userId}`, options.fresh ?? false, async () => {
      const result = await this.calls.lookup("users.info", UNKNOWN_USER, () =>
        this.reads.users.info({ user: userId }),
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
        isRestricted: user.is_restricted ?? false,
        isUltraRestricted: user.is_ultra_restricted ?? false,
        isStranger: user.is_stranger ?? false,
        ...(user.enterprise_user?.teams ? { enterpriseTeamIds: user.enterprise_user.teams } : {}),
        timeZone: user.tz || null,
      };
    });
  }

  async conversationInfo(
    teamId: string,
    channelId: string,
    options: { fresh?: boolean } = {},
  ): Promise<SlackConversationInfo | undefined> {
    const key = `slack:conversation:${teamId}:${channelId}`;
    return this.#cached(key, options.fresh ?? false, async () => {
      const result = await this.calls.lookup("conversations.info", UNKNOWN_CONVERSATION, () =>
        this.reads.conversations.info({ channel: channelId }),
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

  /** `conversations.replies` after `afterTs`, never cached: recovery needs Slack's word now. */
  threadMessages(channelId: string, threadTs: string, afterTs: string): Promise<ThreadMessage[]> {
    return readThreadMessages(this.reads, this.calls, this.logger, {
      channelId,
      threadTs,
      afterTs,
    });
  }

  /**
   * Reads `key` from the cache, else loads it and caches it. The cache is an optimisation: when
   * it fails we log and go to Slack. Misses (`undefined`) are not cached. `fresh` skips the read
   * but still stores what Slack said, so everyone else sees the newer copy too.
   */
  async #cached<T>(
    key: string,
    fresh: boolean,
    load: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    try {
      const hit = fresh ? undefined : await this.cache.get(key);
      if (hit !== undefined) return JSON.parse(hit) as T;
    } catch (error) {
      this.logger.warn({ err: error, key }, "Slack lookup cache read failed");
    }
    const value = await load();
    if (value !== undefined) {
      try {
        await this.cache.set(key, JSON.stringify(value), this.ttl);
      } catch (error) {
        this.logger.warn({ err: error, key }, "Slack lookup cache write failed");
      }
    }
    return value;
  }
}
