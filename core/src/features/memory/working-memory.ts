/**
 * Working memory: this process's own copies of the live conversations it read or wrote lately,
 * in front of short-term memory (see features/memory/short-term.ts and ADR-015). It is only a cache: each
 * copy carries the short-term stamp that was current before it was read, and is used only while
 * short-term memory still answers that stamp, so a write by any process (which moves the stamp)
 * retires every other process's copy. Bounded by conversations and by approximate bytes, least
 * recently used first out.
 */

import type {
  ShortTermConversation,
  ShortTermMessage,
  StampMove,
} from "../../ports/short-term-memory";
import { LruCache } from "../../shared/lru";

/** What a lookup found: a current copy, a copy whose stamp moved, nothing, or no stamp to check. */
export type WorkingMemoryOutcome = "hit" | "stale" | "miss" | "unavailable";

export interface WorkingMemoryOptions {
  /** Conversations kept at most; default 10,000. */
  maxConversations?: number;
  /** Approximate bytes of all copies at most; default 64 MiB. */
  maxBytes?: number;
  /** Messages a copy grows to by appends before its oldest go; default 50 (short-term's own bound). */
  maxMessagesPerConversation?: number;
  /** Told every lookup's outcome (metrics). */
  onLookup?: (outcome: WorkingMemoryOutcome) => void;
}

export interface WorkingMemory {
  /** The stamp of a copy that holds the newest `count` messages, if there is one (not a lookup). */
  heldStamp(conversation: ShortTermConversation, count: number): string | undefined;
  /** The newest `count` messages, oldest first, if a copy is held at `stamp` and covers them. */
  lookup(
    conversation: ShortTermConversation,
    stamp: string,
    count: number,
  ): ShortTermMessage[] | undefined;
  /** Counts a lookup short-term memory could not stamp (nothing is served then). */
  unavailable(): void;
  /**
   * Keeps an answer read after `stamp` was read: the conversation's newest messages, oldest
   * first; `complete` when they are its whole history.
   */
  store(
    conversation: ShortTermConversation,
    stamp: string,
    messages: ShortTermMessage[],
    complete: boolean,
  ): void;
  /**
   * After this process appended `messages` to `conversations`: a copy whose stamp is the move's
   * `from` takes them and moves to `to`; any other copy of those conversations is dropped (its
   * stamp is no longer current, or the write may not have happened).
   */
  appended(
    conversations: ShortTermConversation[],
    moves: StampMove[],
    messages: ShortTermMessage[],
  ): void;
  /** Drops every copy of a channel's conversations (after an edit or a delete in it). */
  forgetChannel(teamId: string, channelId: string): void;
  /** Drops every copy of a workspace (its data is being purged, ADR-034). */
  forgetTeam(teamId: string): void;
  /** Drops every copy (after a gap on the memory bus: a forget may have been missed). */
  clear(): void;
  /** Copies held, and their approximate bytes. */
  readonly size: number;
  readonly bytes: number;
}

interface Copy {
  stamp: string;
  /** Oldest first, in the message store's order. */
  messages: ShortTermMessage[];
  complete: boolean;
  bytes: number;
}

/** Rough heap cost of one message beyond its strings (object, Date, array slot). */
const MESSAGE_OVERHEAD_BYTES = 160;
/** Rough cost of one copy beyond its messages (entry, key, map slot). */
const COPY_OVERHEAD_BYTES = 200;

function messageBytes(m: ShortTermMessage): number {
  const chars =
    m.text.length +
    m.ts.length +
    (m.threadTs?.length ?? 0) +
    (m.userId?.length ?? 0) +
    (m.botId?.length ?? 0);
  return MESSAGE_OVERHEAD_BYTES + 2 * chars;
}

function clone(m: ShortTermMessage): ShortTermMessage {
  return { ...m, postedAt: new Date(m.postedAt.getTime()) };
}

/** The message store's order: post time, then ts. */
function compare(a: ShortTermMessage, b: ShortTermMessage): number {
  return a.postedAt.getTime() - b.postedAt.getTime() || (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);
}

const keyOf = (c: ShortTermConversation) =>
  `${c.teamId}\u0000${c.channelId}\u0000${c.threadTs ?? ""}`;

function copyOf(stamp: string, messages: ShortTermMessage[], complete: boolean): Copy {
  let bytes = COPY_OVERHEAD_BYTES;
  for (const m of messages) bytes += messageBytes(m);
  return { stamp, messages, complete, bytes };
}

/**
 * The copy after appending `added`: what short-term memory's lists do (a message older than the
 * copy's oldest joins only a complete copy, since an incomplete one may lack what lies between;
 * one already held keeps its text), trimmed from the old end to `max`.
 */
function withAppended(copy: Copy, added: ShortTermMessage[], to: string, max: number): Copy {
  const held = new Set(copy.messages.map((m) => m.ts));
  const oldest = copy.messages[0];
  const fresh = added.filter(
    (m) => !held.has(m.ts) && (copy.complete || oldest === undefined || compare(m, oldest) > 0),
  );
  const messages = [...copy.messages, ...fresh.map(clone)].sort(compare);
  const keep = Math.max(max, copy.messages.length);
  const trimmed = messages.length > keep ? messages.slice(-keep) : messages;
  return copyOf(to, trimmed, copy.complete && trimmed.length === messages.length);
}

/** Creates an empty working memory. */
export function createWorkingMemory(options: WorkingMemoryOptions = {}): WorkingMemory {
  const maxMessages = options.maxMessagesPerConversation ?? 50;
  if (!(maxMessages >= 1)) throw new RangeError("maxMessagesPerConversation must be ≥ 1");
  const copies = new LruCache<string, Copy>({
    maxEntries: options.maxConversations ?? 10_000,
    maxWeight: options.maxBytes ?? 64 * 1024 * 1024,
    weigh: (copy) => copy.bytes,
  });
  const observe = options.onLookup ?? (() => {});

  const covers = (copy: Copy, count: number) => copy.complete || copy.messages.length >= count;

  return {
    heldStamp(conversation, count) {
      const copy = copies.peek(keyOf(conversation));
      return copy && covers(copy, count) ? copy.stamp : undefined;
    },

    lookup(conversation, stamp, count) {
      const key = keyOf(conversation);
      const copy = copies.peek(key);
      if (!copy) {
        observe("miss");
        return undefined;
      }
      if (copy.stamp !== stamp) {
        copies.delete(key);
        observe("stale");
        return undefined;
      }
      if (!covers(copy, count)) {
        observe("miss");
        return undefined;
      }
      copies.get(key);
      observe("hit");
      return count <= 0 ? [] : copy.messages.slice(-count).map(clone);
    },

    unavailable() {
      observe("unavailable");
    },

    store(conversation, stamp, messages, complete) {
      copies.set(keyOf(conversation), copyOf(stamp, messages.map(clone), complete));
    },

    appended(conversations, moves, messages) {
      for (const conversation of conversations) {
        const key = keyOf(conversation);
        const copy = copies.peek(key);
        if (!copy) continue;
        const move = moves.find((m) => keyOf(m.conversation) === key);
        if (!move || move.from !== copy.stamp) {
          copies.delete(key);
          continue;
        }
        const added =
          conversation.threadTs === null
            ? messages
            : messages.filter((m) => m.threadTs === conversation.threadTs);
        copies.set(key, withAppended(copy, added, move.to, maxMessages));
      }
    },

    forgetChannel(teamId, channelId) {
      const prefix = `${teamId}\u0000${channelId}\u0000`;
      copies.deleteWhere((key) => key.startsWith(prefix));
    },

    forgetTeam(teamId) {
      const prefix = `${teamId}\u0000`;
      copies.deleteWhere((key) => key.startsWith(prefix));
    },

    clear() {
      copies.clear();
    },

    get size() {
      return copies.size;
    },

    get bytes() {
      return copies.weight;
    },
  };
}
