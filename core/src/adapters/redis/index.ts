// The Redis adapters: cache (ioredis) and job queue/runner (BullMQ).
export { createRedisCache, type RedisCacheOptions } from "./cache";
export { createRedisClient, type RedisClientOptions } from "./connection";
export { createBullMqJobAdmin, type JobAdmin } from "./job-admin";
export {
  type BullMqQueueOptions,
  createBullMqJobQueue,
  DEFAULT_QUEUE_PREFIX,
} from "./job-queue";
export { type BullMqRunnerOptions, createBullMqJobRunner } from "./job-runner";
export { createRedisMemoryBus, memoryBusChannel, type RedisMemoryBusOptions } from "./memory-bus";
