/**
 * The ports forgetting adds (ADR-034): the database's purges (SQL), and the memory bus (Redis
 * pub/sub beside a Redis short-term memory, in process otherwise) that working memory follows
 * (working-memory-bus.ts).
 */
import type { Redis } from "ioredis";
import type { Database } from "../../../db/client";
import { createInProcessMemoryBus } from "../adapters/in-process";
import { createRedisMemoryBus } from "../adapters/redis";
import { createSqlForgetStore, createSqlWorkspaceLifecycle } from "../adapters/sql";
import type { Ports } from "../ports";
import type { Logger } from "../ports/logger";

export type ForgetPorts = Pick<Ports, "forgets" | "workspaceLifecycle" | "memoryBus">;

/** `redis`: the command client and pup's key prefix (`pup:`), when REDIS_URL is set. */
export function createForgetPorts(
  db: Database,
  redis: { client: Redis; prefix: string } | undefined,
  logger: Logger,
): ForgetPorts {
  return {
    forgets: createSqlForgetStore(db),
    workspaceLifecycle: createSqlWorkspaceLifecycle(db),
    // Pub/sub channel `<prefix>memory-bus`: every process on this Redis and prefix hears it.
    memoryBus: redis
      ? createRedisMemoryBus({
          redis: redis.client,
          prefix: redis.prefix,
          onError: (error) => logger.warn({ err: error }, "memory bus connection error"),
        })
      : createInProcessMemoryBus(),
  };
}
