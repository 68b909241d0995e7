// The in-process short-term memory's storage (see short-term-memory.ts): lists of timestamps,
// message copies and stamp tokens, each expiring on its own, and the list rules it shares with
// the Redis adapter (an append older than a guarded list's oldest member is refused; trimming
// keeps `capacity` members, dropping the start mark first).
import type { ShortTermMessage } from "../../ports/short-term-memory";

interface List {
  /** ts -> post time (ms). */
  members: Map<string, number>;
  /** Reaches back to the conversation's first message (until trimmed). */
  start: boolean;
  expiresAt: number;
}

interface Copy {
  message: ShortTermMessage | "deleted";
  expiresAt: number;
}

interface Token {
  value: string;
  expiresAt: number;
}

export type Member = [ts: string, score: number];

/** Post time, then ts: the message store's order (and a Redis sorted set's). */
export function compare(a: Member, b: Member): number {
  return a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

export function clone(message: ShortTermMessage): ShortTermMessage {
  return { ...message, postedAt: new Date(message.postedAt.getTime()) };
}

/** The maps and the rules over them, for one memory with its clock, expiry and capacity. */
export function createShortTermTables(now: () => number, ttlMs: number, capacity: number) {
  const lists = new Map<string, List>();
  const copies = new Map<string, Copy>();
  const tokens = new Map<string, Token>();
  let issued = 0;
  // Unique per instance too, so two instances' stamps are never mistaken for each other.
  const instance = crypto.randomUUID();

  const liveList = (key: string): List | undefined => {
    const list = lists.get(key);
    if (list && list.expiresAt <= now()) {
      lists.delete(key);
      return undefined;
    }
    return list;
  };
  const liveToken = (key: string): string | undefined => {
    const token = tokens.get(key);
    if (token && token.expiresAt <= now()) {
      tokens.delete(key);
      return undefined;
    }
    return token?.value;
  };
  const issue = (key: string): string => {
    issued += 1;
    const value = `${instance}-${issued}`;
    tokens.set(key, { value, expiresAt: now() + ttlMs });
    return value;
  };
  const liveCopy = (key: string): Copy | undefined => {
    const copy = copies.get(key);
    if (copy && copy.expiresAt <= now()) {
      copies.delete(key);
      return undefined;
    }
    return copy;
  };
  const ordered = (list: List): Member[] => [...list.members].sort(compare);
  /** Keeps `capacity` members, the start mark counting as the oldest (as in Redis). */
  const trimAndTouch = (key: string, list: List) => {
    let excess = list.members.size + (list.start ? 1 : 0) - capacity;
    if (excess > 0 && list.start) {
      list.start = false;
      excess -= 1;
    }
    if (excess > 0) for (const [ts] of ordered(list).slice(0, excess)) list.members.delete(ts);
    list.expiresAt = now() + ttlMs;
    lists.set(key, list);
  };
  const append = (key: string, messages: ShortTermMessage[]) => {
    let list = liveList(key);
    let guarded = list !== undefined && !list.start;
    for (const m of messages) {
      const member: Member = [m.ts, m.postedAt.getTime()];
      if (list && guarded) {
        const [oldest] = ordered(list);
        if (oldest && compare(member, oldest) < 0) continue;
      }
      if (!list) {
        list = { members: new Map(), start: false, expiresAt: 0 };
        guarded = true;
      }
      list.members.set(member[0], member[1]);
    }
    if (list) trimAndTouch(key, list);
  };
  /** Drops every expired entry. */
  const sweepExpired = () => {
    const at = now();
    for (const [key, list] of lists) if (list.expiresAt <= at) lists.delete(key);
    for (const [key, copy] of copies) if (copy.expiresAt <= at) copies.delete(key);
    for (const [key, token] of tokens) if (token.expiresAt <= at) tokens.delete(key);
  };

  return {
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
  };
}
