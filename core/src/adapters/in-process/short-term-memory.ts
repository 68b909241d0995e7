// ShortTermMemory in process memory, for the demo (no REDIS_URL). The same model as the Redis
// adapter (see its header): lists of timestamps per channel and per thread, one copy of each
// message, tombstones for deleted ones, a `start` mark for lists that reach the conversation's
// first message, the same rules for appending, warming, trimming and expiry, and the same stamps
// (a token per list, moved by appends, and one per channel, moved by edits and deletes), so the
// same contract tests pass on both.
import type { MessageRef } from "../../ports/message-store";
import type {
  ShortTermConversation,
  ShortTermMemory,
  ShortTermMessage,
  StampMove,
} from "../../ports/short-term-memory";
import { clone, compare, createShortTermTables, type Member } from "./short-term-tables";

/** Entries kept per list (the channel's timeline, each thread). */
const DEFAULT_CAPACITY = 50;
/** Short-term memory is the last day. */
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

export interface InProcessShortTermOptions {
  /** Entries per list; default 50. */
  capacity?: number;
  /** Expiry of every list and copy, refreshed on write; default a day. */
  ttlSeconds?: number;
  /** Unix milliseconds; default `Date.now` (tests pass their own clock). */
  now?: () => number;
  /** How often expired entries are swept; default 60 s. 0 disables the sweep. */
  sweepIntervalMs?: number;
}

/** An in-process short-term memory; `close()` stops its sweep timer. */
export interface InProcessShortTermMemory extends ShortTermMemory {
  close(): void;
}

/** Creates an in-process {@link ShortTermMemory} with the Redis adapter's semantics. */
export function createInProcessShortTermMemory(
  options: InProcessShortTermOptions = {},
): InProcessShortTermMemory {
  const now = options.now ?? Date.now;
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  const ttlMs = Math.round((options.ttlSeconds ?? DEFAULT_TTL_SECONDS) * 1000);
  if (!(capacity >= 1)) throw new RangeError(`short-term capacity must be ≥ 1, got ${capacity}`);
  if (!(ttlMs >= 1)) throw new RangeError("short-term ttl must be positive");
  const {
    lists,
    copies,
    tokens,
    liveList,
    liveToken,
    issue,
    liveCopy,
    ordered,
    trimAndTouch,
    append,
    sweepExpired,
  } = createShortTermTables(now, ttlMs, capacity);

  const base = (teamId: string, channelId: string) => `${teamId}:${channelId}`;
  const copyKey = (ref: MessageRef) => `${base(ref.teamId, ref.channelId)}:m:${ref.ts}`;
  const channelKey = (teamId: string, channelId: string) => `${base(teamId, channelId)}:c`;
  const threadKey = (teamId: string, channelId: string, threadTs: string) =>
    `${base(teamId, channelId)}:t:${threadTs}`;
  const listKey = (c: ShortTermConversation) =>
    c.threadTs === null
      ? channelKey(c.teamId, c.channelId)
      : threadKey(c.teamId, c.channelId, c.threadTs);
  const listStampKey = (c: ShortTermConversation) => `${listKey(c)}:s`;
  const channelStampKey = (teamId: string, channelId: string) => `${base(teamId, channelId)}:s`;
  const storeIfAbsent = (teamId: string, channelId: string, message: ShortTermMessage) => {
    const key = copyKey({ teamId, channelId, ts: message.ts });
    if (!liveCopy(key)) copies.set(key, { message: clone(message), expiresAt: now() + ttlMs });
  };
  const gone = (teamId: string, channelId: string, ts: string) => {
    const copy = liveCopy(copyKey({ teamId, channelId, ts }));
    return !copy || copy.message === "deleted";
  };

  const recent = (conversation: ShortTermConversation, limit: number) => {
    if (limit <= 0) return [];
    const list = liveList(listKey(conversation));
    if (!list || (list.members.size === 0 && !list.start)) return undefined;
    const held = ordered(list);
    const newestFirst: ShortTermMessage[] = [];
    for (let i = held.length - 1; i >= 0 && newestFirst.length < limit; i--) {
      const [ts] = held[i] as Member;
      const copy = liveCopy(copyKey({ ...conversation, ts }));
      if (!copy) return undefined;
      if (copy.message !== "deleted") newestFirst.push(clone(copy.message));
    }
    if (newestFirst.length < limit && !list.start) return undefined;
    return newestFirst.reverse();
  };
  const stampOf = (conversation: ShortTermConversation) => {
    const listStamp = listStampKey(conversation);
    const channelStamp = channelStampKey(conversation.teamId, conversation.channelId);
    return `${liveToken(listStamp) ?? issue(listStamp)}.${liveToken(channelStamp) ?? issue(channelStamp)}`;
  };

  /** Drops the lists, stamps and live copies whose keys match; tombstones stay. */
  const forgetWhere = (matches: (key: string) => boolean) => {
    for (const key of lists.keys()) if (matches(key)) lists.delete(key);
    for (const key of tokens.keys()) if (matches(key)) tokens.delete(key);
    for (const [key, copy] of copies) {
      if (matches(key) && copy.message !== "deleted") copies.delete(key);
    }
  };

  const sweepMs = options.sweepIntervalMs ?? 60_000;
  const sweep = sweepMs > 0 ? setInterval(sweepExpired, sweepMs) : undefined;
  // Housekeeping must never keep the process alive on its own.
  sweep?.unref?.();

  return {
    async remember(teamId, channelId, messages) {
      if (messages.length === 0) return [];
      const sorted = [...messages].sort((a, b) =>
        compare([a.ts, a.postedAt.getTime()], [b.ts, b.postedAt.getTime()]),
      );
      for (const message of sorted) storeIfAbsent(teamId, channelId, message);
      append(channelKey(teamId, channelId), sorted);
      const byThread = new Map<string, ShortTermMessage[]>();
      for (const message of sorted) {
        if (message.threadTs === null) continue;
        byThread.set(message.threadTs, [...(byThread.get(message.threadTs) ?? []), message]);
      }
      for (const [threadTs, replies] of byThread) {
        append(threadKey(teamId, channelId, threadTs), replies);
      }
      const channelToken = liveToken(channelStampKey(teamId, channelId));
      const moves: StampMove[] = [];
      const moved: ShortTermConversation[] = [
        { teamId, channelId, threadTs: null },
        ...[...byThread.keys()].map((threadTs) => ({ teamId, channelId, threadTs })),
      ];
      for (const conversation of moved) {
        const key = listStampKey(conversation);
        const before = liveToken(key);
        if (before === undefined) continue;
        const after = issue(key);
        if (channelToken === undefined) continue;
        moves.push({
          conversation,
          from: `${before}.${channelToken}`,
          to: `${after}.${channelToken}`,
        });
      }
      return moves;
    },

    async replaceText(ref, text) {
      tokens.delete(channelStampKey(ref.teamId, ref.channelId));
      const copy = liveCopy(copyKey(ref));
      if (!copy || copy.message === "deleted") return;
      copy.message = { ...copy.message, text };
    },

    async remove(ref) {
      const held = liveCopy(copyKey(ref));
      const threadTs = held && held.message !== "deleted" ? held.message.threadTs : null;
      tokens.delete(channelStampKey(ref.teamId, ref.channelId));
      copies.set(copyKey(ref), { message: "deleted", expiresAt: now() + ttlMs });
      liveList(channelKey(ref.teamId, ref.channelId))?.members.delete(ref.ts);
      liveList(threadKey(ref.teamId, ref.channelId, ref.ts))?.members.delete(ref.ts);
      if (threadTs !== null) {
        liveList(threadKey(ref.teamId, ref.channelId, threadTs))?.members.delete(ref.ts);
      }
    },

    stamp: async (conversation) => stampOf(conversation),

    async readStamped(conversation, limit, known) {
      const stamp = stampOf(conversation);
      if (stamp === known) return { stamp, unchanged: true };
      return { stamp, unchanged: false, messages: recent(conversation, limit) };
    },

    recent: async (conversation, limit) => recent(conversation, limit),

    async warm(conversation, messages, complete) {
      const { teamId, channelId } = conversation;
      const key = listKey(conversation);
      for (const message of messages) storeIfAbsent(teamId, channelId, message);
      const given: Member[] = messages
        .map((m): Member => [m.ts, m.postedAt.getTime()])
        .sort(compare);
      let list = liveList(key);
      const low = given[0];
      const high = given.at(-1);
      if (low && high) {
        list ??= { members: new Map(), start: false, expiresAt: 0 };
        const names = new Set(given.map(([ts]) => ts));
        for (const member of ordered(list)) {
          if (names.has(member[0])) continue;
          const below = compare(member, low) < 0;
          const above = compare(member, high) > 0;
          if ((below && !complete) || (!above && gone(teamId, channelId, member[0]))) {
            list.members.delete(member[0]);
          }
        }
        for (const [ts, score] of given) list.members.set(ts, score);
      }
      if (complete) {
        list ??= { members: new Map(), start: false, expiresAt: 0 };
        list.start = true;
      }
      if (list) trimAndTouch(key, list);
    },

    async forgetConversation(conversation) {
      lists.delete(listKey(conversation));
      tokens.delete(listStampKey(conversation));
    },

    async forgetMessage(ref) {
      tokens.delete(channelStampKey(ref.teamId, ref.channelId));
      const copy = liveCopy(copyKey(ref));
      if (copy && copy.message !== "deleted") copies.delete(copyKey(ref));
    },

    async forgetChannel(teamId, channelId) {
      forgetWhere((key) => key.startsWith(`${base(teamId, channelId)}:`));
    },

    async forgetAll() {
      forgetWhere(() => true);
    },

    async forgetAuthor(teamId, userId) {
      // The copies themselves, not the lists: a copy in no list is found too (as in Redis).
      const channels = new Set<string>();
      for (const key of [...copies.keys()]) {
        if (!key.startsWith(`${teamId}:`)) continue;
        const copy = liveCopy(key);
        if (!copy || copy.message === "deleted" || copy.message.userId !== userId) continue;
        channels.add(key.slice(teamId.length + 1).split(":", 1)[0] ?? "");
      }
      for (const channelId of channels) {
        forgetWhere((key) => key.startsWith(`${base(teamId, channelId)}:`));
      }
      return [...channels];
    },

    async forgetTeam(teamId) {
      const ofTeam = (key: string) => key.startsWith(`${teamId}:`);
      for (const table of [lists, copies, tokens]) {
        for (const key of [...table.keys()]) if (ofTeam(key)) table.delete(key);
      }
    },

    close() {
      if (sweep) clearInterval(sweep);
    },
  };
}
