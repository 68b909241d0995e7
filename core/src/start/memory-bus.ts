/**
 * The memory bus forgetting needs beside the SQL stores (ADR-034): Redis pub/sub beside a Redis
 * short-term memory, in process otherwise. Working memory follows it (working-memory-bus.ts).
 */
import type { Redis } from "ioredis";
import { createInProcessMemoryBus } from "../adapters/in-process";
import { createRedisMemoryBus } from "../adapters/redis";
import type { Logger } from "../ports/logger";
import type { MemoryBus } from "../ports/memory-bus";

/** `redis`: the command client and pup's key prefix (`pup:`), when REDIS_URL is set. */
export function createMemoryBus(
  redis: { client: Redis; prefix: string } | undefined,
  logger: Logger,
): MemoryBus {
  // Pub/sub channel `<prefix>memory-bus`: every process on this Redis and prefix hears it.
  return redis
    ? createRedisMemoryBus({
        redis: redis.client,
        prefix: redis.prefix,
        onError: (error) => logger.warn({ err: error }, "memory bus connection error"),
      })
    : createInProcessMemoryBus();
}
