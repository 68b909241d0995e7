// ShortTermMemory on Redis. Layout, under the configured prefix (`<p>` = `<prefix><team>:<channel>`):
//
//   <p>:c            ZSET  the channel's timeline: member = message ts, score = post time (ms)
//   <p>:t:<threadTs> ZSET  one thread (root and replies), same members and scores
//   <p>:m:<ts>       STRING one message as compact JSON, or a tombstone once it is deleted
//   <p>:c:s, <p>:t:<threadTs>:s  STRING a random token per list, replaced by every append to it
//   <p>:s            STRING a random token for the channel, deleted by every edit or delete
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
import type { MessageRef } from "../../ports/message-store";
import type {
  ShortTermConversation,
  ShortTermMemory,
  ShortTermMessage,
  StampMove,
} from "../../ports/short-term-memory";

/** Entries kept per list (the channel's timeline, each thread). */
export const DEFAULT_SHORT_TERM_CAPACITY = 50;
/** Short-term memory is the last day. */
export const DEFAULT_SHORT_TERM_TTL_SECONDS = 24 * 60 * 60;

/** The member that marks a list reaching back to the conversation's first message. */
const START = "start";
/** What a deleted message's copy is replaced with, so no late write can bring it back. */
const TOMBSTONE = "~deleted";

/**
 * Appends (score, ts) pairs to one list, refusing ones older than its oldest member unless the
 * list reaches the start, then trims and refreshes the expiry.
 * KEYS[1] list; ARGV: capacity, ttl ms, then score, ts pairs.
 */
const APPEND_SCRIPT = `
local key = KEYS[1]
local exists = redis.call("EXISTS", key) == 1
local guarded = exists and not redis.call("ZSCORE", key, "${START}")
for i = 3, #ARGV, 2 do
  local score, ts = tonumber(ARGV[i]), ARGV[i + 1]
  local admit = true
  if guarded then
    local oldest = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
    local low = tonumber(oldest[2])
    if oldest[1] and (score < low or (score == low and ts < oldest[1])) then admit = false end
  end
  if admit then
    redis.call("ZADD", key, score, ts)
    guarded = guarded or not exists
    exists = true
  end
end
if exists then
  redis.call("ZREMRANGEBYRANK", key, 0, -(tonumber(ARGV[1]) + 1))
  redis.call("PEXPIRE", key, ARGV[2])
end
return 0`;

/**
 * Merges what PostgreSQL answered (the conversation's newest live messages, oldest first) into
 * one list. Members older than that answer are dropped unless it is the whole history (they
 * would leave a gap); members inside its range that it does not contain are dropped when their
 * copy is gone or tombstoned (deleted); live ones appended meanwhile stay.
 * KEYS[1] list; ARGV: capacity, ttl ms, complete (1/0), message key prefix, then score, ts pairs.
 */
const WARM_SCRIPT = `
local key, n = KEYS[1], #ARGV
local complete = ARGV[3] == "1"
local function gone(ts)
  local copy = redis.call("GET", ARGV[4] .. ts)
  return (not copy) or copy == "${TOMBSTONE}"
end
if n >= 6 then
  local lowScore, lowTs = tonumber(ARGV[5]), ARGV[6]
  local highScore, highTs = tonumber(ARGV[n - 1]), ARGV[n]
  local given = {}
  for i = 6, n, 2 do given[ARGV[i]] = true end
  local current = redis.call("ZRANGE", key, 0, -1, "WITHSCORES")
  for i = 1, #current, 2 do
    local ts, score = current[i], tonumber(current[i + 1])
    if ts ~= "${START}" and not given[ts] then
      local below = score < lowScore or (score == lowScore and ts < lowTs)
      local above = score > highScore or (score == highScore and ts > highTs)
      if (below and not complete) or (not above and gone(ts)) then redis.call("ZREM", key, ts) end
    end
  end
  for i = 5, n, 2 do redis.call("ZADD", key, ARGV[i], ARGV[i + 1]) end
end
if complete then redis.call("ZADD", key, "-inf", "${START}") end
if redis.call("EXISTS", key) == 1 then
  redis.call("ZREMRANGEBYRANK", key, 0, -(tonumber(ARGV[1]) + 1))
  redis.call("PEXPIRE", key, ARGV[2])
end
return 0`;

/** Replaces the text of a held, live message copy. KEYS[1] copy; ARGV[1] text. */
const EDIT_SCRIPT = `
local copy = redis.call("GET", KEYS[1])
if (not copy) or copy == "${TOMBSTONE}" then return 0 end
local message = cjson.decode(copy)
message["text"] = ARGV[1]
redis.call("SET", KEYS[1], cjson.encode(message), "KEEPTTL")
return 1`;

/** Drops a message copy unless it is a tombstone (a deleted message stays deleted). KEYS[1] copy. */
const FORGET_SCRIPT = `
if redis.call("GET", KEYS[1]) == "${TOMBSTONE}" then return 0 end
return redis.call("DEL", KEYS[1])`;

const COMMANDS = {
  pupShortTermAppend: { numberOfKeys: 1, lua: APPEND_SCRIPT },
  pupShortTermWarm: { numberOfKeys: 1, lua: WARM_SCRIPT },
  pupShortTermEdit: { numberOfKeys: 1, lua: EDIT_SCRIPT },
  pupShortTermForget: { numberOfKeys: 1, lua: FORGET_SCRIPT },
} as const;

type ScriptCall<R> = (key: string, ...args: (string | number)[]) => R;
type Scripts<R> = Record<keyof typeof COMMANDS, ScriptCall<R>>;

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

/** The compact JSON a message copy is stored as. */
interface StoredCopy {
  ts: string;
  threadTs: string | null;
  userId: string | null;
  botId: string | null;
  text: string;
  postedAt: string;
}

function toCopy(message: ShortTermMessage): string {
  const copy: StoredCopy = {
    ts: message.ts,
    threadTs: message.threadTs,
    userId: message.userId,
    botId: message.botId,
    text: message.text,
    postedAt: message.postedAt.toISOString(),
  };
  return JSON.stringify(copy);
}

/** Lua's cjson writes JSON null back as null; anything else unexpected reads as null too. */
function fromCopy(raw: string): ShortTermMessage {
  const copy = JSON.parse(raw) as Partial<StoredCopy>;
  const orNull = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    ts: String(copy.ts),
    threadTs: orNull(copy.threadTs),
    userId: orNull(copy.userId),
    botId: orNull(copy.botId),
    text: typeof copy.text === "string" ? copy.text : "",
    postedAt: new Date(String(copy.postedAt)),
  };
}

/** Registers the scripts on the client once (ioredis runs them by EVALSHA, in MULTI too). */
function registerScripts(redis: Redis): void {
  const client = redis as unknown as Record<string, unknown>;
  for (const [name, definition] of Object.entries(COMMANDS)) {
    if (typeof client[name] !== "function") redis.defineCommand(name, definition);
  }
}

/** Runs a MULTI and surfaces the first failed command (exec resolves per-command errors). */
async function run(multi: ChainableCommander): Promise<unknown[]> {
  const results = await multi.exec();
  if (results === null) throw new Error("short-term memory: transaction aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}

/** A fresh stamp token: 96 random bits, never repeated in practice. */
function newToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url");
}

const tokenOrNull = (value: unknown) => (typeof value === "string" ? value : null);

/** Creates a {@link ShortTermMemory} over Redis sorted sets and strings. */
export function createRedisShortTermMemory(options: RedisShortTermMemoryOptions): ShortTermMemory {
  const { redis, prefix } = options;
  const capacity = options.capacity ?? DEFAULT_SHORT_TERM_CAPACITY;
  const ttlMs = Math.round((options.ttlSeconds ?? DEFAULT_SHORT_TERM_TTL_SECONDS) * 1000);
  if (!(capacity >= 1)) throw new RangeError(`short-term capacity must be ≥ 1, got ${capacity}`);
  if (!(ttlMs >= 1)) throw new RangeError("short-term ttl must be positive");
  registerScripts(redis);

  const base = (teamId: string, channelId: string) => `${prefix}${teamId}:${channelId}`;
  const copyPrefix = (teamId: string, channelId: string) => `${base(teamId, channelId)}:m:`;
  const copyKey = (ref: MessageRef) => `${copyPrefix(ref.teamId, ref.channelId)}${ref.ts}`;
  const channelKey = (teamId: string, channelId: string) => `${base(teamId, channelId)}:c`;
  const threadKey = (teamId: string, channelId: string, threadTs: string) =>
    `${base(teamId, channelId)}:t:${threadTs}`;
  const listKey = (c: ShortTermConversation) =>
    c.threadTs === null
      ? channelKey(c.teamId, c.channelId)
      : threadKey(c.teamId, c.channelId, c.threadTs);
  const listStampKey = (c: ShortTermConversation) => `${listKey(c)}:s`;
  const channelStampKey = (teamId: string, channelId: string) => `${base(teamId, channelId)}:s`;
  /** Queues the stamp's reads (creating missing tokens); the returned function reads the replies. */
  const queueStamp = (multi: ChainableCommander, c: ShortTermConversation) => {
    const fresh = [newToken(), newToken()] as const;
    multi
      .set(listStampKey(c), fresh[0], "PX", ttlMs, "NX", "GET")
      .set(channelStampKey(c.teamId, c.channelId), fresh[1], "PX", ttlMs, "NX", "GET");
    return (list: unknown, channel: unknown) =>
      `${tokenOrNull(list) ?? fresh[0]}.${tokenOrNull(channel) ?? fresh[1]}`;
  };
  /** `recent`'s answer from the list's members (ZRANGE 0 -1), reading the copies it needs. */
  const answer = async (
    conversation: ShortTermConversation,
    members: string[],
    limit: number,
  ): Promise<ShortTermMessage[] | undefined> => {
    if (limit <= 0) return [];
    const complete = members[0] === START;
    const held = complete ? members.slice(1) : members;
    if (held.length === 0) return complete ? [] : undefined;
    const { teamId, channelId } = conversation;
    const copies = await redis.mget(...held.map((ts) => copyKey({ teamId, channelId, ts })));
    const newestFirst: ShortTermMessage[] = [];
    for (let i = held.length - 1; i >= 0 && newestFirst.length < limit; i--) {
      const raw = copies[i];
      if (raw === null || raw === undefined) return undefined;
      if (raw !== TOMBSTONE) newestFirst.push(fromCopy(raw));
    }
    if (newestFirst.length < limit && !complete) return undefined;
    return newestFirst.reverse();
  };
  const pairs = (messages: ShortTermMessage[]) =>
    sortedOldestFirst(messages).flatMap((m) => [m.postedAt.getTime(), m.ts]);
  const scripts = (multi: ChainableCommander) => multi as unknown as Scripts<ChainableCommander>;

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
      const stampOf = queueStamp(multi, conversation);
      const [list, channel] = await run(multi);
      return stampOf(list, channel);
    },

    async readStamped(conversation, limit, known) {
      // The list's members come in the stamp's MULTI: they are what that stamp stands for.
      const multi = redis.multi();
      const stampOf = queueStamp(multi, conversation);
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
