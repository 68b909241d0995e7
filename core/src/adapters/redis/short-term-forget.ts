// Dropping whole channels (or everything) from the Redis short-term memory: after invalidations
// were lost in an outage, after a "forget me" (every channel still holding a copy by the person),
// and when a workspace is purged. SCAN the keys, delete lists and stamps, and delete message
// copies through the forget script so a tombstone stays (a deleted message never comes back);
// only a workspace purge deletes tombstones too, since nothing of the workspace may stay.
import type { Redis } from "ioredis";
import { deleteMatching, globEscape, scanKeys } from "./scan-keys";
import { fromCopy } from "./short-term-copies";
import { scripts, TOMBSTONE } from "./short-term-scripts";

export { globEscape };

/** `<p>:m:<ts>`: a message copy (a ts has a dot and no colon). */
const COPY_KEY = /:m:[^:]+$/;

/**
 * Forgets every short-term key matching `pattern` (and `pick`, when given; tombstones kept);
 * returns how many went.
 */
export async function forgetMatching(
  redis: Redis,
  pattern: string,
  pick: (key: string) => boolean = () => true,
): Promise<number> {
  let forgotten = 0;
  await scanKeys(redis, pattern, async (all) => {
    const found = all.filter(pick);
    if (found.length === 0) return;
    const pipeline = redis.pipeline();
    for (const key of found) {
      if (COPY_KEY.test(key)) scripts(pipeline).pupShortTermForget(key);
      else pipeline.del(key);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error, count] of results) {
      if (error) throw error;
      forgotten += Number(count) || 0;
    }
  });
  return forgotten;
}

/** The channel of a key under `teamBase` (`<prefix><team>:`). */
export function channelOfKey(teamBase: string, key: string): string {
  return key.slice(teamBase.length).split(":", 1)[0] ?? "";
}

/** True when the copy was written by `userId`, or cannot be read (then it may have been). */
function writtenBy(raw: string, userId: string): boolean {
  try {
    return fromCopy(raw).userId === userId;
  } catch {
    return true;
  }
}

/**
 * The channels of one workspace (keys under `teamBase`, i.e. `<prefix><team>:`) holding a live
 * copy written by `userId`. Reads the copies themselves, not the lists, so a copy that is in no
 * list (a `remember` whose append was refused, a list that expired first) is found too.
 */
export async function channelsWithAuthor(
  redis: Redis,
  teamBase: string,
  userId: string,
): Promise<string[]> {
  const channels = new Set<string>();
  const channelOf = (key: string) => channelOfKey(teamBase, key);
  await scanKeys(redis, `${globEscape(teamBase)}*:m:*`, async (found) => {
    // A channel already known need not be read again.
    const copies = found.filter((key) => COPY_KEY.test(key) && !channels.has(channelOf(key)));
    if (copies.length === 0) return;
    const values = await redis.mget(...copies);
    copies.forEach((key, i) => {
      const raw = values[i];
      if (raw === null || raw === undefined || raw === TOMBSTONE) return;
      if (writtenBy(raw, userId)) channels.add(channelOf(key));
    });
  });
  return [...channels].filter((channel) => channel !== "");
}

/**
 * Forgets the channels of `userId`'s copies in one workspace as forgetChannel does (tombstones
 * kept); returns them. Two walks of the keyspace however many channels: one to find them, one
 * to forget them (SCAN reads every key of the database whatever its pattern).
 */
export async function forgetAuthorChannels(
  redis: Redis,
  teamBase: string,
  userId: string,
): Promise<string[]> {
  const channels = await channelsWithAuthor(redis, teamBase, userId);
  if (channels.length === 0) return [];
  const wanted = new Set(channels);
  await forgetMatching(redis, `${globEscape(teamBase)}*`, (key) =>
    wanted.has(channelOfKey(teamBase, key)),
  );
  return channels;
}

/** Deletes every key of one workspace (`<prefix><team>:`), tombstones included. */
export async function deleteTeam(redis: Redis, teamBase: string): Promise<number> {
  return deleteMatching(redis, `${globEscape(teamBase)}*`);
}
