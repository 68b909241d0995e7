// Runs once per `bun test` process (bunfig.toml): creates and migrates a fresh PostgreSQL
// database for this run, picks a Redis key prefix for it, and removes both when the run ends.
// Tests read PUP_TEST_DATABASE_URL and PUP_TEST_REDIS_PREFIX; nothing is shared between runs.
import { afterAll } from "bun:test";
import { Redis } from "ioredis";
import { createDb } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { adminDatabaseUrl, databaseUrlFor, withAdminConnection } from "./isolation";

const SERVICES_HINT = "Run `bash scripts/ensure-services.sh` to install and start the services.";
const TEST_EMBEDDING_DIMENSIONS = 512;

const runId = `${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
const databaseName = `pup_test_${runId}`;
const redisUrl = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const redisPrefix = `pup-test:${runId}:`;

async function createRunDatabase(): Promise<string> {
  await withAdminConnection(async (sql) => {
    const [vector] = await sql`select 1 from pg_available_extensions where name = 'vector'`;
    if (!vector) {
      throw new Error(`PostgreSQL at ${redactedAdminUrl()} has no pgvector extension.`);
    }
    await sql.unsafe(`create database "${databaseName}"`);
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`test preload: cannot prepare PostgreSQL (${reason}). ${SERVICES_HINT}`);
  });
  const url = databaseUrlFor(adminDatabaseUrl(), databaseName);
  const handle = createDb({
    databaseUrl: url,
    dataDir: "",
    embeddingDimensions: TEST_EMBEDDING_DIMENSIONS,
  });
  try {
    await migrateDatabase(handle, { embeddingDimensions: TEST_EMBEDDING_DIMENSIONS });
  } finally {
    await handle.close();
  }
  return url;
}

function redactedAdminUrl(): string {
  const url = new URL(adminDatabaseUrl());
  url.password = "";
  return url.toString();
}

async function dropRunDatabase(): Promise<void> {
  await withAdminConnection(async (sql) => {
    await sql.unsafe(`drop database if exists "${databaseName}" with (force)`);
  });
}

/** Deletes this run's Redis keys; a run that never touched Redis costs one quick SCAN. */
async function deleteRunRedisKeys(): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } catch (error) {
    console.warn(`test cleanup: could not clear Redis keys ${redisPrefix}*: ${String(error)}`);
  } finally {
    redis.disconnect();
  }
}

process.env.PUP_TEST_RUN_ID = runId;
process.env.PUP_TEST_REDIS_PREFIX = redisPrefix;
process.env.PUP_TEST_DATABASE_URL = await createRunDatabase();

afterAll(async () => {
  await Promise.all([dropRunDatabase(), deleteRunRedisKeys()]);
});
