// KeyValueCache on Redis (ioredis). Every key gets a configurable prefix so several deployments
// or test runs can share one Redis without seeing each other's keys.
import type { Redis } from "ioredis";
import type { KeyValueCache } from "../../ports/cache";
import { deleteMatching, globEscape } from "./scan-keys";

export interface RedisCacheOptions {
  /** A connected (or connecting) client; the caller owns it and closes it. */
  redis: Redis;
  /** Prepended to every key, e.g. `pup:`. */
  prefix: string;
}

/** Creates a {@link KeyValueCache} over Redis strings with millisecond expiry. */
export function createRedisCache(options: RedisCacheOptions): KeyValueCache {
  const { redis, prefix } = options;
  const key = (name: string) => `${prefix}${name}`;
  return {
    async get(name) {
      return (await redis.get(key(name))) ?? undefined;
    },
    async set(name, value, ttlSeconds) {
      await redis.set(key(name), value, "PX", ttlMs(ttlSeconds));
    },
    async setIfAbsent(name, value, ttlSeconds) {
      return (await redis.set(key(name), value, "PX", ttlMs(ttlSeconds), "NX")) === "OK";
    },
    async delete(name) {
      await redis.del(key(name));
    },
    async deletePrefix(start) {
      // The cache's prefix is shared with other key families (`<p>stm:`, `<p>bull:`...): an
      // empty start would reach them all, so it is refused rather than taken as "everything".
      return deleteMatching(redis, `${globEscape(key(nonEmpty(start)))}*`);
    },
    async ping() {
      await redis.ping();
    },
  };
}

function nonEmpty(start: string): string {
  if (start === "") throw new RangeError("cache deletePrefix needs a non-empty prefix");
  return start;
}

function ttlMs(ttlSeconds: number): number {
  if (!(ttlSeconds > 0)) throw new RangeError(`cache ttl must be positive, got ${ttlSeconds}`);
  return Math.max(1, Math.round(ttlSeconds * 1000));
}
