// Dropping whole channels (or everything) from the Redis short-term memory after invalidations
// were lost in an outage: SCAN the keys, delete lists and stamps, and delete message copies
// through the forget script so a tombstone stays (a deleted message never comes back).
import type { Redis } from "ioredis";
import { scripts } from "./short-term-scripts";

/** Keys per SCAN step and per pipeline: small enough not to hold Redis up. */
const SCAN_COUNT = 500;

/** Escapes SCAN MATCH's glob characters in a literal part of a pattern. */
export function globEscape(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}

/** `<p>:m:<ts>`: a message copy (a ts has a dot and no colon). */
const COPY_KEY = /:m:[^:]+$/;

/** Forgets every short-term key matching `pattern` (tombstones kept); returns how many went. */
export async function forgetMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let forgotten = 0;
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
    cursor = next;
    if (found.length === 0) continue;
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
  } while (cursor !== "0");
  return forgotten;
}
