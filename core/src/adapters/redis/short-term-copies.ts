// How the Redis short-term memory stores one message (a compact JSON copy under `<p>:m:<ts>`)
// and reads a list's answer back from those copies.
import type { Redis } from "ioredis";
import type { ShortTermConversation, ShortTermMessage } from "../../ports/short-term-memory";
import type { ShortTermKeys } from "./short-term-keys";
import { START, TOMBSTONE } from "./short-term-scripts";

/** The compact JSON a message copy is stored as. */
interface StoredCopy {
  ts: string;
  threadTs: string | null;
  userId: string | null;
  botId: string | null;
  text: string;
  postedAt: string;
}

export function toCopy(message: ShortTermMessage): string {
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
export function fromCopy(raw: string): ShortTermMessage {
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

/**
 * `recent`'s answer from a list's members (ZRANGE 0 -1), reading the copies it needs: undefined
 * when the list cannot vouch for it (a copy is missing, or too few are held and it does not
 * reach the start); tombstoned messages are skipped.
 */
export async function answerFromCopies(
  redis: Redis,
  keys: ShortTermKeys,
  conversation: ShortTermConversation,
  members: string[],
  limit: number,
): Promise<ShortTermMessage[] | undefined> {
  if (limit <= 0) return [];
  const complete = members[0] === START;
  const held = complete ? members.slice(1) : members;
  if (held.length === 0) return complete ? [] : undefined;
  const { teamId, channelId } = conversation;
  const copies = await redis.mget(...held.map((ts) => keys.copyKey({ teamId, channelId, ts })));
  const newestFirst: ShortTermMessage[] = [];
  for (let i = held.length - 1; i >= 0 && newestFirst.length < limit; i--) {
    const raw = copies[i];
    if (raw === null || raw === undefined) return undefined;
    if (raw !== TOMBSTONE) newestFirst.push(fromCopy(raw));
  }
  if (newestFirst.length < limit && !complete) return undefined;
  return newestFirst.reverse();
}
