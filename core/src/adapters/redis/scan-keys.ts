// Walking Redis keys by pattern without blocking it (SCAN, never KEYS): the cache's deletePrefix
// and short-term memory's forgets both go through here.
import type { Redis } from "ioredis";

/** Keys per SCAN step and per pipeline: small enough not to hold Redis up. */
export const SCAN_COUNT = 500;

/** Escapes SCAN MATCH's glob characters in a literal part of a pattern. */
export function globEscape(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}

/**
 * Calls `onBatch` with each non-empty batch of keys matching `pattern`. SCAN may return a key
 * twice (when the keyspace rehashes), so `onBatch` must be idempotent; a key that exists for the
 * whole walk is seen at least once.
 */
export async function scanKeys(
  redis: Redis,
  pattern: string,
  onBatch: (keys: string[]) => Promise<void>,
): Promise<void> {
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
    cursor = next;
    if (found.length > 0) await onBatch(found);
  } while (cursor !== "0");
}

/** Deletes every key matching `pattern` (batched DEL); returns how many existed. */
export async function deleteMatching(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  await scanKeys(redis, pattern, async (keys) => {
    deleted += await redis.del(...keys);
  });
  return deleted;
}
