// How pup connects to Redis for commands (cache, queue producers): fail fast while Redis is
// unreachable, so an HTTP request answers 503 instead of hanging on a reconnect loop.
import { Redis } from "ioredis";

export interface RedisClientOptions {
  /** Shown in `CLIENT LIST`, e.g. `pup-core`. */
  connectionName?: string;
  /** Milliseconds to establish a connection; default 2000. */
  connectTimeoutMs?: number;
  /** Connection errors (refused, reset); without it ioredis prints them to the console. */
  onError?: (error: Error) => void;
}

/**
 * A client for plain commands: each command fails after one reconnect attempt instead of
 * waiting (ioredis' default of 20 retries would hold requests for seconds). Workers build their
 * own blocking connections from it (see job-runner.ts).
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const client = new Redis(url, {
    connectionName: options.connectionName,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 1,
    // Reconnect in the background with a capped delay; commands fail fast meanwhile.
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  const { onError } = options;
  if (onError) client.on("error", onError);
  return client;
}
