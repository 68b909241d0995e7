/**
 * Who is in which conversation: `users.conversations` (a person's conversations) and
 * `conversations.members` (a conversation's people), every page, kept in the shared cache for a
 * short while (default 60 s). Membership bounds what a guest or someone from another
 * organisation may recall, so it must not lag much behind Slack; failures are not cached and
 * reach the caller, who fails closed (features/memory/audience.ts).
 */
import type { WebClient } from "@slack/web-api";
import type { KeyValueCache } from "../../ports/cache";
import type { Logger } from "../pino/logger";
import type { SlackCalls } from "./slack-calls";

/** Pages read at most (200 ids each): a bound on one lookup's cost, not a real-world limit. */
const MAX_PAGES = 50;
const PAGE_SIZE = 200;
/** Every kind of conversation pup may read. */
const CONVERSATION_TYPES = "public_channel,private_channel,mpim,im";

export class SlackMemberships {
  constructor(
    private readonly reads: WebClient,
    private readonly calls: SlackCalls,
    private readonly cache: KeyValueCache,
    /** Seconds a membership list stays cached. */
    private readonly ttl: number,
    private readonly logger: Logger,
  ) {}

  userConversations(teamId: string, userId: string): Promise<string[]> {
    return this.#cached(`slack:member-of:${teamId}:${userId}`, () =>
      this.#allPages("users.conversations", async (cursor) => {
        const page = await this.reads.users.conversations({
          user: userId,
          types: CONVERSATION_TYPES,
          exclude_archived: false,
          limit: PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        });
        return {
          ids: (page.channels ?? []).flatMap((channel) => (channel.id ? [channel.id] : [])),
          next: page.response_metadata?.next_cursor,
        };
      }),
    );
  }

  conversationMembers(teamId: string, channelId: string): Promise<string[]> {
    return this.#cached(`slack:members:${teamId}:${channelId}`, () =>
      this.#allPages("conversations.members", async (cursor) => {
        const page = await this.reads.conversations.members({
          channel: channelId,
          limit: PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        });
        return { ids: page.members ?? [], next: page.response_metadata?.next_cursor };
      }),
    );
  }

  async #allPages(
    method: string,
    read: (cursor: string | undefined) => Promise<{ ids: string[]; next: string | undefined }>,
  ): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const answer = await this.calls.call(method, () => read(cursor));
      ids.push(...answer.ids);
      cursor = answer.next || undefined;
      if (!cursor) return ids;
    }
    this.logger.warn({ method, pages: MAX_PAGES }, "membership list cut off after the page limit");
    return ids;
  }

  async #cached(key: string, load: () => Promise<string[]>): Promise<string[]> {
    try {
      const hit = await this.cache.get(key);
      if (hit !== undefined) return JSON.parse(hit) as string[];
    } catch (error) {
      this.logger.warn({ err: error, key }, "Slack membership cache read failed");
    }
    const ids = await load();
    try {
      await this.cache.set(key, JSON.stringify(ids), this.ttl);
    } catch (error) {
      this.logger.warn({ err: error, key }, "Slack membership cache write failed");
    }
    return ids;
  }
}
