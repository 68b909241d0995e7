// KeyValueCache in process memory, for the demo (no REDIS_URL): a Map with expiry times, swept
// lazily on read and periodically so expired keys do not pile up.
import type { KeyValueCache } from "../../ports/cache";

export interface InProcessCacheOptions {
  /** Unix milliseconds; default `Date.now` (tests pass their own clock). */
  now?: () => number;
  /** How often expired entries are swept; default 60 s. 0 disables the sweep. */
  sweepIntervalMs?: number;
}

/** An in-process cache; `close()` stops its sweep timer. */
export interface InProcessCache extends KeyValueCache {
  close(): void;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/** Creates an in-process {@link KeyValueCache} with the same semantics as the Redis one. */
export function createInProcessCache(options: InProcessCacheOptions = {}): InProcessCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweepMs = options.sweepIntervalMs ?? 60_000;
  const sweep =
    sweepMs > 0
      ? setInterval(() => {
          const at = now();
          for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
        }, sweepMs)
      : undefined;
  // The sweep is housekeeping: it must never keep the process alive on its own.
  sweep?.unref?.();

  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: now() + ttlMs(ttlSeconds) });
    },
    async setIfAbsent(key, value, ttlSeconds) {
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: now() + ttlMs(ttlSeconds) });
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async deletePrefix(start) {
      // Refused when empty, as the Redis cache refuses it (there it would reach other keys).
      if (start === "") throw new RangeError("cache deletePrefix needs a non-empty prefix");
      let deleted = 0;
      for (const key of [...entries.keys()]) {
        if (!key.startsWith(start)) continue;
        // An expired entry is dropped but not counted: Redis would not have held it either.
        if (live(key)) deleted += 1;
        entries.delete(key);
      }
      return deleted;
    },
    async ping() {},
    close() {
      if (sweep) clearInterval(sweep);
    },
  };
}

function ttlMs(ttlSeconds: number): number {
  if (!(ttlSeconds > 0)) throw new RangeError(`cache ttl must be positive, got ${ttlSeconds}`);
  return Math.round(ttlSeconds * 1000);
}
