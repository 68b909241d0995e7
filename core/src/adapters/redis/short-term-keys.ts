// Where the Redis short-term memory keeps things, under the configured prefix
// (`<p>` = `<prefix><team>:<channel>`):
//
//   <p>:c            ZSET  the channel's timeline: member = message ts, score = post time (ms)
//   <p>:t:<threadTs> ZSET  one thread (root and replies), same members and scores
//   <p>:m:<ts>       STRING one message as compact JSON, or a tombstone once it is deleted
//   <p>:c:s, <p>:t:<threadTs>:s  STRING a random token per list, replaced by every append to it
//   <p>:s            STRING a random token for the channel, deleted by every edit or delete
//
// And the stamp tokens themselves: random, so a stamp is never given twice, even after expiry or
// a flush.
import type { ChainableCommander } from "ioredis";
import type { MessageRef } from "../../ports/message-store";
import type { ShortTermConversation } from "../../ports/short-term-memory";

/** The key names of one short-term memory (see the layout above). */
export type ShortTermKeys = ReturnType<typeof shortTermKeys>;

export function shortTermKeys(prefix: string) {
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
  return {
    copyPrefix,
    copyKey,
    channelKey,
    threadKey,
    listKey,
    listStampKey,
    channelStampKey,
  };
}

/** A fresh stamp token: 96 random bits, never repeated in practice. */
export function newToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("base64url");
}

export const tokenOrNull = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * Queues the stamp's reads on `multi` (creating missing tokens, SET NX GET); the returned
 * function reads the replies.
 */
export function queueStamp(
  multi: ChainableCommander,
  keys: ShortTermKeys,
  ttlMs: number,
  c: ShortTermConversation,
) {
  const fresh = [newToken(), newToken()] as const;
  multi
    .set(keys.listStampKey(c), fresh[0], "PX", ttlMs, "NX", "GET")
    .set(keys.channelStampKey(c.teamId, c.channelId), fresh[1], "PX", ttlMs, "NX", "GET");
  return (list: unknown, channel: unknown) =>
    `${tokenOrNull(list) ?? fresh[0]}.${tokenOrNull(channel) ?? fresh[1]}`;
}
