// ShortTermMemory on Redis: lists of message timestamps per channel and per thread, one copy of
// each message, and stamps (the key layout is in short-term-keys.ts).
//
// A conversation's stamp is its list's token and the channel's token. Reading it creates missing
// tokens (SET NX GET); appends replace an existing list token (SET XX GET, in the append's MULTI,
// so the old and new stamps are exact); invalidations delete tokens. Tokens are random, so a
// stamp is never given twice, even after expiry or a flush.
//
// Lists hold timestamps and the messages live once, so an edit or a delete touches one key for
// every list that holds the message. Equal scores sort by member, i.e. by ts: the message
// store's order (post time, then ts). Every key expires a day after its last write.
//
// A list only answers when it can vouch for the answer. Invariant: it holds every live message
// newer than its oldest member. Warming from PostgreSQL establishes it; appends keep it (an
// append older than the oldest member of a list that does not reach the start is refused); the
// bound trims from the old end, which keeps it. A `start` member (score -inf) marks a list that
// reaches the conversation's first message, so short conversations are answered too; trimming
// removes it first. A member whose message copy is missing (expired, forgotten) makes the read
// miss; a tombstoned one is skipped. Writes are one MULTI round trip; the conditional parts are
// small Lua scripts inside it.
import type { ChainableCommander, Redis } from "ioredis";
import type {
  ShortTermConversation,
  ShortTermMemory,
  ShortTermMessage,
  StampMove,
} from "../../ports/short-term-memory";
import { answerFromCopies, fromCopy, toCopy } from "./short-term-copies";
import { deleteTeam, forgetAuthorChannels, forgetMatching, globEscape } from "./short-term-forget";
import { newToken, queueStamp, shortTermKeys, tokenOrNull } from "./short-term-keys";
import { registerScripts, scripts, TOMBSTONE } from "./short-term-scripts";

/** Entries kept per list (the channel's timeline, each thread). */
export const DEFAULT_SHORT_TERM_CAPACITY = 50;
/** Short-term memory is the last day. */
export const DEFAULT_SHORT_TERM_TTL_SECONDS = 24 * 60 * 60;

export interface RedisShortTermMemoryOptions {
  /** A connected (or connecting) client; the caller owns it and closes it. */
  redis: Redis;
  /** Prepended to every key, e.g. `pup:stm:`. */
  prefix: string;
  /** Entries per list; default 50. Reads of more than this are only answered for short lists. */
  capacity?: number;
  /** Expiry of every key, refreshed on write; default a day. */
  ttlSeconds?: number;
}

/** Runs a MULTI and surfaces the first failed command (exec resolves per-command errors). */
async function run(multi: ChainableCommander): Promise<unknown[]> {
  const results = await multi.exec();
  if (results === null) throw new Error("short-term memory: transaction aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}

/** Creates a {@link ShortTermMemory} over Redis sorted sets and strings. */
export function createRedisShortTermMemory(options: RedisShortTermMemoryOptions): ShortTermMemory {
  const { redis, prefix } = options;
  const capacity = options.capacity ?? DEFAULT_SHORT_TERM_CAPACITY;
  const ttlMs = Math.round((options.ttlSeconds ?? DEFAULT_SHORT_TERM_TTL_SECONDS) * 1000);
  if (!(capacity >= 1)) throw new RangeError(`short-term capacity must be ≥ 1, got ${capacity}`);
  if (!(ttlMs >= 1)) throw new RangeError("short-term ttl must be positive");
  registerScripts(redis);

  const keys = shortTermKeys(prefix);
  const { copyPrefix, copyKey, channelKey, threadKey, listKey, listStampKey, channelStampKey } =
    keys;
  const answer = (conversation: ShortTermConversation, members: string[], limit: number) =>
    answerFromCopies(redis, keys, conversation, members, limit);
  const pairs = (messages: ShortTermMessage[]) =>
    sortedOldestFirst(messages).flatMap((m) => [m.postedAt.getTime(), m.ts]);

  return {
    async remember(teamId, channelId, messages) {
      if (messages.length === 0) return [];
      const multi = redis.multi();
      for (const message of messages) {
        multi.set(
          copyKey({ teamId, channelId, ts: message.ts }),
          toCopy(message),
          "PX",
          ttlMs,
          "NX",
        );
      }
      scripts(multi).pupShortTermAppend(
        channelKey(teamId, channelId),
        capacity,
        ttlMs,
        ...pairs(messages),
      );
      const byThread = new Map<string, ShortTermMessage[]>();
      for (const message of messages) {
        if (message.threadTs === null) continue;
        byThread.set(message.threadTs, [...(byThread.get(message.threadTs) ?? []), message]);
      }
      for (const [threadTs, replies] of byThread) {
        scripts(multi).pupShortTermAppend(
          threadKey(teamId, channelId, threadTs),
          capacity,
          ttlMs,
          ...pairs(replies),
        );
      }
      // The stamps move last, in the same MULTI: old and new stamps bracket exactly this write.
      const moved: ShortTermConversation[] = [
        { teamId, channelId, threadTs: null },
        ...[...byThread.keys()].map((threadTs) => ({ teamId, channelId, threadTs })),
      ];
      const tokens = moved.map(() => newToken());
      moved.forEach((c, i) => {
        multi.set(listStampKey(c), tokens[i] as string, "PX", ttlMs, "XX", "GET");
      });
      multi.get(channelStampKey(teamId, channelId));
      const results = await run(multi);
      const stamps = results.slice(-(moved.length + 1));
      const channelToken = tokenOrNull(stamps.at(-1));
      if (channelToken === null) return [];
      const moves: StampMove[] = [];
      moved.forEach((conversation, i) => {
        const before = tokenOrNull(stamps[i]);
        if (before === null) return;
        moves.push({
          conversation,
          from: `${before}.${channelToken}`,
          to: `${tokens[i]}.${channelToken}`,
        });
      });
      return moves;
    },

    async replaceText(ref, text) {
      await run(
        scripts(redis.multi())
          .pupShortTermEdit(copyKey(ref), text)
          .del(channelStampKey(ref.teamId, ref.channelId)),
      );
    },

    async remove(ref) {
      const held = await redis.get(copyKey(ref));
      const threadTs = held && held !== TOMBSTONE ? fromCopy(held).threadTs : null;
      const multi = redis
        .multi()
        .set(copyKey(ref), TOMBSTONE, "PX", ttlMs)
        .del(channelStampKey(ref.teamId, ref.channelId))
        .zrem(channelKey(ref.teamId, ref.channelId), ref.ts)
        // A deleted root leaves its thread (the replies stay, as in the message store).
        .zrem(threadKey(ref.teamId, ref.channelId, ref.ts), ref.ts);
      if (threadTs !== null) multi.zrem(threadKey(ref.teamId, ref.channelId, threadTs), ref.ts);
      await run(multi);
    },

    async stamp(conversation) {
      const multi = redis.multi();
      const stampOf = queueStamp(multi, keys, ttlMs, conversation);
      const [list, channel] = await run(multi);
      return stampOf(list, channel);
    },

    async readStamped(conversation, limit, known) {
      // The list's members come in the stamp's MULTI: they are what that stamp stands for.
      const multi = redis.multi();
      const stampOf = queueStamp(multi, keys, ttlMs, conversation);
      multi.zrange(listKey(conversation), "0", "-1");
      const [list, channel, members] = await run(multi);
      const stamp = stampOf(list, channel);
      if (stamp === known) return { stamp, unchanged: true };
      const messages = await answer(conversation, members as string[], limit);
      return { stamp, unchanged: false, messages };
    },

    async recent(conversation, limit) {
      if (limit <= 0) return [];
      return answer(conversation, await redis.zrange(listKey(conversation), "0", "-1"), limit);
    },

    async warm(conversation, messages, complete) {
      const { teamId, channelId } = conversation;
      const multi = redis.multi();
      for (const message of messages) {
        multi.set(
          copyKey({ teamId, channelId, ts: message.ts }),
          toCopy(message),
          "PX",
          ttlMs,
          "NX",
        );
      }
      scripts(multi).pupShortTermWarm(
        listKey(conversation),
        capacity,
        ttlMs,
        complete ? 1 : 0,
        copyPrefix(teamId, channelId),
        ...pairs(messages),
      );
      await run(multi);
    },

    async forgetConversation(conversation) {
      await redis.del(listKey(conversation), listStampKey(conversation));
    },

    async forgetChannel(teamId, channelId) {
      await forgetMatching(redis, `${globEscape(`${prefix}${teamId}:${channelId}`)}:*`);
    },

    async forgetAll() {
      await forgetMatching(redis, `${globEscape(prefix)}*`);
    },

    async forgetAuthor(teamId, userId) {
      return forgetAuthorChannels(redis, `${prefix}${teamId}:`, userId);
    },

    async forgetTeam(teamId) {
      await deleteTeam(redis, `${prefix}${teamId}:`);
    },

    async forgetMessage(ref) {
      // A tombstone stays: forgetting must never make a deleted message readable again.
      await run(
        scripts(redis.multi())
          .pupShortTermForget(copyKey(ref))
          .del(channelStampKey(ref.teamId, ref.channelId)),
      );
    },
  };
}

/** The message store's order: post time, then ts. */
export function sortedOldestFirst(messages: ShortTermMessage[]): ShortTermMessage[] {
  return [...messages].sort(
    (a, b) =>
      a.postedAt.getTime() - b.postedAt.getTime() || (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0),
  );
}
