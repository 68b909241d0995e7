// Port: a small key-value cache with expiry (Redis in production, in-process for the demo).
// A cache, never the only copy of anything: callers must cope with a miss at any time.

export interface KeyValueCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets only if absent; true when this call set it (e.g. a replay guard). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes every key starting with `prefix` (a forgotten user's or workspace's entries). */
  deletePrefix(prefix: string): Promise<number>;
  /** Round trip to the backing store, for /health. */
  ping(): Promise<void>;
}
