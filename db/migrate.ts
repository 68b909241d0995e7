// Applies the committed migrations, then sizes the embedding column. Holds a PostgreSQL advisory
// lock throughout, so processes starting at the same time take turns instead of racing.
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Database, DbHandle } from "./client";
import {
  type DimensionReconcileOutcome,
  reconcileEmbeddingDimensions,
} from "./embedding-dimensions";
import { queryRows } from "./query-rows";

export const DEFAULT_MIGRATIONS_FOLDER = join(import.meta.dir, "migrations");

/** Arbitrary but fixed: every pup process must agree on it ("pupmigr" in ASCII). */
const MIGRATION_LOCK_KEY = sql.raw("31653731366053746");

export interface MigrateOptions {
  embeddingDimensions: number;
  migrationsFolder?: string;
  /** Progress lines for a human (the CLI prints them). */
  onProgress?: (line: string) => void;
}

export interface MigrateOutcome {
  applied: number;
  total: number;
  dimensions: DimensionReconcileOutcome;
}

/**
 * Runs drizzle's migrator: every pending migration in ONE transaction, so a failing migration
 * leaves both the schema and `drizzle.__drizzle_migrations` as they were.
 */
export async function migrateDatabase(
  handle: DbHandle,
  options: MigrateOptions,
): Promise<MigrateOutcome> {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  const progress = options.onProgress ?? (() => {});
  const total = readMigrationFiles({ migrationsFolder }).length;

  return handle.withDedicatedConnection(async (db) => {
    progress(`waiting for the migration lock (${handle.driver})`);
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      const before = await countAppliedMigrations(db);
      progress(`${before} of ${total} migrations already applied`);
      if (handle.driver === "postgres") {
        await migratePostgres(db as Parameters<typeof migratePostgres>[0], { migrationsFolder });
      } else {
        await migratePglite(db as Parameters<typeof migratePglite>[0], { migrationsFolder });
      }
      const applied = (await countAppliedMigrations(db)) - before;
      progress(`applied ${applied} migration(s)`);
      const dimensions = await reconcileEmbeddingDimensions(db, options.embeddingDimensions);
      progress(
        dimensions.kind === "altered"
          ? `messages.embedding re-typed from vector(${dimensions.from}) to vector(${dimensions.to})`
          : `messages.embedding is vector(${dimensions.dimensions})`,
      );
      return { applied, total, dimensions };
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

/** Rows in drizzle's bookkeeping table; 0 when it does not exist yet. */
export async function countAppliedMigrations(db: Database): Promise<number> {
  const [exists] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists?.present) return 0;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::integer as n from drizzle.__drizzle_migrations`,
  );
  return row?.n ?? 0;
}
