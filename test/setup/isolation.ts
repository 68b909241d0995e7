// Names and databases private to one test (and one `bun test` run), so runs and tests never see
// each other's data. The preload sets PUP_TEST_RUN_ID before any test file loads.
import postgres from "postgres";

export const DEFAULT_ADMIN_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";

let counter = 0;

/** The id of this `bun test` run (lowercase letters, digits and underscores). */
export function testRunId(): string {
  return process.env.PUP_TEST_RUN_ID ?? "local";
}

/**
 * A name no other test or run uses, e.g. `team_m3x9k2_7_a81f`. Safe as a PostgreSQL identifier,
 * Redis key part, queue name or Slack id when the prefix is.
 */
export function uniqueName(prefix: string): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 6);
  return `${prefix}_${Date.now().toString(36)}_${counter}_${random}`;
}

export function adminDatabaseUrl(): string {
  return process.env.PUP_TEST_ADMIN_DATABASE_URL || DEFAULT_ADMIN_DATABASE_URL;
}

/** The same server as `url`, another database. */
export function databaseUrlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `work` over a short-lived admin connection. */
export async function withAdminConnection<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminDatabaseUrl(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database, disconnecting anyone still connected. */
  drop(): Promise<void>;
}

/** A fresh, empty (unmigrated) database on the test server, for tests that need one. */
export async function createScratchDatabase(prefix = "pup_scratch"): Promise<ScratchDatabase> {
  const name = uniqueName(prefix).toLowerCase();
  await withAdminConnection((sql) => sql.unsafe(`create database "${name}"`));
  return {
    name,
    url: databaseUrlFor(adminDatabaseUrl(), name),
    drop: () =>
      withAdminConnection(async (sql) => {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      }),
  };
}
