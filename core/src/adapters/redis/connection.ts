// How pup connects to Redis for commands (cache, queue producers): fail fast while Redis is
// unreachable, so an HTTP request answers 503 instead of hanging on a reconnect loop.
import { Redis } from "ioredis";

export interface RedisClientOptions {
  /** Shown in `CLIENT LIST`, e.g. `pup-core`. */
  connectionName?: string;
  /** Milliseconds to establish a connection; default 2000. */
  connectTimeoutMs?: number;
  /** Longest one command may take before it fails; default COMMAND_TIMEOUT_MS. */
  commandTimeoutMs?: number;
  /** Connection errors (refused, reset); without it ioredis prints them to the console. */
  onError?: (error: Error) => void;
}

/**
 * Longest a plain command waits. Core's acceptance path makes two Redis round trips in sequence
 * (the replay guard, then the enqueue) and must answer within a second while Redis is down, so
 * the edge keeps the payload (ADR-027); the reconnect loop alone could hold a command for 2 s.
 */
export const COMMAND_TIMEOUT_MS = 400;

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
    commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
    // Reconnect in the background with a capped delay; commands fail fast meanwhile.
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  const { onError } = options;
  if (onError) client.on("error", onError);
  return client;
}
