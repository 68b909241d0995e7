/**
 * Builds pup's services from configuration: the database, the cache and the queues (Redis and
 * BullMQ when REDIS_URL is set, in-process otherwise), Slack, the models, and the one object
 * that satisfies every feature's dependencies. The process starter (start-pup.ts) is its only
 * production caller; tests that need real services call it too.
 */
import type { Redis } from "ioredis";
import { createDb, type DbHandle } from "../../../db/client";
import { migrateDatabase } from "../../../db/migrate";
import { createTokenCipher, type TokenCipher } from "../../../db/token-cipher";
import { loadPersona } from "../adapters/fs/persona-file";
import { createInProcessCache, createInProcessJobs } from "../adapters/in-process";
import { createInProcessRateLimiter } from "../adapters/in-process/rate-limiter";
import { createInProcessShortTermMemory } from "../adapters/in-process/short-term-memory";
import { createModelsFromConfig, type Models } from "../adapters/openai";
import {
  createBullMqJobQueue,
  createBullMqJobRunner,
  createRedisCache,
  createRedisClient,
} from "../adapters/redis";
import { createRedisRateLimiter } from "../adapters/redis/rate-limiter";
import { createRedisShortTermMemory } from "../adapters/redis/short-term-memory";
import { createSqlDataAccess, type SqlDataAccess } from "../adapters/sql";
import { DEFAULT_LIMITS } from "../config/limits";
import { cachedDirectory } from "../features/directory";
import { fallbackRateLimiter } from "../features/limits";
import { cachedDerivedMemory } from "../features/memory";
import { type CoreMetrics, createCoreMetrics } from "../features/observability";
import { countingTransitions, tunedPersonality } from "../features/personality";
import { DEFAULT_PROFILE_SETTINGS } from "../features/profiles";
import { DEFAULT_REPLY_SETTINGS } from "../features/reply";
import type { KeyValueCache } from "../ports/cache";
import type { JobQueue, JobRunner, QueueName } from "../ports/job-queue";
import type { RateLimiter } from "../ports/rate-limiter";
import type { ShortTermMemory } from "../ports/short-term-memory";
import type { SlackGateway } from "../ports/slack-gateway";
import { PupError } from "../shared/errors";
import { type FeatureDeps, type PupDeps, slackListeners } from "./feature-deps";

/** Slack's own Web API, when SLACK_API_URL is not set. */
import { filteredSlack } from "./filtered-slack";
import { createMemoryBus } from "./memory-bus";
import { followingWorkingMemory } from "./working-memory-bus";

export { SLACK_API_DEFAULT_URL } from "./filtered-slack";
export type { ServicesConfig, ServicesOptions } from "./services-config";

import type { ServicesConfig, ServicesOptions } from "./services-config";

export interface CoreServices {
  db: DbHandle;
  data: SqlDataAccess;
  cache: KeyValueCache;
  queue: JobQueue;
  runner: JobRunner;
  slack: SlackGateway;
  models: Models;
  /** What every feature needs (each takes the part its Deps type names). */
  deps: PupDeps;
  /** Present when REDIS_URL is set. */
  redis: Redis | undefined;
  metrics: CoreMetrics;
  /** Stops the runner (if started), then closes queues, Redis and the database. */
  close(graceMs?: number): Promise<void>;
}

/** A cipher that refuses to seal or open: installations need PUP_TOKEN_ENCRYPTION_KEY. */
const NO_TOKEN_CIPHER: TokenCipher = {
  async seal() {
    throw new PupError("storing a Slack installation needs PUP_TOKEN_ENCRYPTION_KEY", {
      code: "config_missing",
    });
  },
  async open() {
    throw new PupError("reading a Slack installation needs PUP_TOKEN_ENCRYPTION_KEY", {
      code: "config_missing",
    });
  },
};

/** Builds every service; call `close()` when done. */
export async function createCoreServices(
  config: ServicesConfig,
  options: ServicesOptions,
): Promise<CoreServices> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  // Read and checked before anything opens: a bad persona file stops the start, clearly.
  const persona = await loadPersona(config.personality?.personaFile);
  const db = createDb({
    databaseUrl: config.database.url,
    dataDir: config.database.dataDir,
    embeddingDimensions: config.embedding.dimensions,
  });
  const closers: (() => Promise<void>)[] = [() => db.close()];
  try {
    if (options.migrate !== false) {
      await migrateDatabase(db, {
        embeddingDimensions: config.embedding.dimensions,
        onProgress: options.onMigrationProgress,
      });
    }
    const cipher = config.tokenEncryptionKey
      ? await createTokenCipher({
          currentKeyId: "k1",
          keys: { k1: Buffer.from(config.tokenEncryptionKey).toString("base64") },
        })
      : NO_TOKEN_CIPHER;
    const data = createSqlDataAccess(db.db, cipher);

    let redis: Redis | undefined;
    let cache: KeyValueCache;
    let shortTerm: ShortTermMemory;
    let limiter: RateLimiter;
    let queue: JobQueue;
    let runner: JobRunner;
    const onFailure = (job: { id: string; queue: QueueName }, error: unknown, willRetry: boolean) =>
      logger[error instanceof PupError && error.expected && willRetry ? "info" : "warn"](
        { jobId: job.id, queue: job.queue, err: error, willRetry },
        "job attempt failed",
      );
    if (config.redis.url) {
      const client = createRedisClient(config.redis.url, {
        connectionName: "pup",
        onError: (error) => logger.warn({ err: error }, "redis connection error"),
      });
      redis = client;
      closers.unshift(async () => {
        client.disconnect();
      });
      const prefix = options.redisPrefix ?? config.redis.prefix ?? "pup";
      cache = createRedisCache({ redis: client, prefix: `${prefix}:` });
      // Short-term memory's keys live under `<prefix>:stm:` (tests flush exactly those).
      shortTerm = createRedisShortTermMemory({ redis: client, prefix: `${prefix}:stm:` });
      // Shared by every process; while Redis cannot answer, each process limits on its own.
      const primary = createRedisRateLimiter({ redis: client, prefix: `${prefix}:limits:` });
      limiter = fallbackRateLimiter({
        primary,
        fallback: createInProcessRateLimiter(),
        logger,
        now,
      });
      queue = createBullMqJobQueue({ connection: client, prefix: `${prefix}:bull` });
      runner = createBullMqJobRunner({
        connection: client,
        prefix: `${prefix}:bull`,
        onFailure,
        onError: (name, error) => logger.warn({ queue: name, err: error }, "worker error"),
        onDeferred: (job, error, delayMs) =>
          logger.warn(
            { jobId: job.id, queue: job.queue, err: error, delayMs },
            "a dependency is down: job put back to wait, attempt not counted",
          ),
      });
    } else {
      cache = createInProcessCache();
      shortTerm = createInProcessShortTermMemory();
      limiter = createInProcessRateLimiter();
      const jobs = createInProcessJobs({ onFailure });
      queue = jobs.queue;
      runner = jobs.runner;
    }
    closers.unshift(() => queue.close());

    const { slack, canary, output } = filteredSlack(config, cache, logger);
    const models = createModelsFromConfig(config.llm, config.embedding, {
      ...options.models,
      logger,
    });
    const metrics = createCoreMetrics();
    const prefix = `${options.redisPrefix ?? config.redis.prefix ?? "pup"}:`;
    const memoryBus = createMemoryBus(redis && { client: redis, prefix }, logger);
    // Working memory in front of Redis (ADR-015), following every forget (ADR-034); an
    // in-process short-term memory needs none.
    const onLookup = (result: string) => metrics.workingMemoryLookups.inc({ result });
    const workingMemory =
      redis && (await followingWorkingMemory(memoryBus, logger, closers, { onLookup }));
    const features: FeatureDeps = {
      eventLog: data.eventLog,
      messages: data.messages,
      shortTerm,
      ...(workingMemory && { workingMemory }),
      // Every message reads its workspace, channel and author: cached for a minute.
      directory: cachedDirectory(data.directory),
      botReplies: data.botReplies,
      // Every stored transition is counted (pup_mood_transitions_total).
      moods: countingTransitions(data.moods, (from, to) =>
        metrics.moodTransitions.inc({ from, to }),
      ),
      auditLog: data.auditLog,
      roleGrants: data.roleGrants,
      workspaceSettings: data.workspaceSettings,
      retention: data.retention,
      forgets: data.forgets,
      workspaceLifecycle: data.workspaceLifecycle,
      memoryBus,
      // PrivacyConfig's fields are ForgetDeps' settings, by the same names.
      ...config.privacy,
      limiter,
      limits: config.limits ?? DEFAULT_LIMITS,
      // Every reply reads the author's facts and the channel's summary: cached for a minute.
      derived: cachedDerivedMemory(data.derived),
      profiles: data.profiles,
      profileSettings: {
        ...DEFAULT_PROFILE_SETTINGS,
        extractor: models.mode === "openai" ? "model" : "offline",
        ...options.profiles,
      },
      queue,
      cache,
      slack,
      model: models.model,
      embedder: models.embedder,
      logger,
      now,
      reply: { ...DEFAULT_REPLY_SETTINGS, ...config.reply, canary, output, ...options.reply },
      personality: {
        ...tunedPersonality(config.personality ?? {}),
        ...options.personality,
        persona,
      },
    };
    // One object: the listeners see whatever the deps hold (tests swap a port on it at run time).
    const deps: PupDeps = Object.assign(features, { slackListeners: slackListeners(features) });
    let closed = false;
    return {
      db,
      data,
      cache,
      queue,
      runner,
      slack,
      models,
      deps,
      redis,
      metrics,
      async close(graceMs = 20_000) {
        if (closed) return;
        closed = true;
        await runner.stop(graceMs).catch((error: unknown) => {
          logger.warn({ err: error }, "job runner did not stop cleanly");
        });
        for (const close of closers) {
          await close().catch((error: unknown) => logger.warn({ err: error }, "close failed"));
        }
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    throw error;
  }
}
