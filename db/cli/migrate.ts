// `bun run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded
// PGlite database under PUP_DATA_DIR when no URL is set, then sizes the embedding column.
import * as v from "valibot";
import { createDb } from "../client";
import { migrateDatabase } from "../migrate";

const MigrateEnv = v.object({
  DATABASE_URL: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
    ),
  ),
  PUP_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1, "must not be empty")), ".pup/"),
  EMBEDDING_DIMENSIONS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "must be a whole number"),
      v.transform(Number),
      v.minValue(1, "must be at least 1"),
      v.maxValue(2000, "must be at most 2000 (pgvector's HNSW limit)"),
    ),
    "512",
  ),
});

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => `${v.getDotPath(issue) ?? "environment"}: ${issue.message}`)
    .join("\n");
}

/** drizzle wraps driver errors ("Failed query: ..."); the cause says what actually went wrong. */
function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message.split("\n")[0]}${cause}`;
}

async function main(): Promise<number> {
  const parsed = v.safeParse(MigrateEnv, {
    DATABASE_URL: process.env.DATABASE_URL || undefined,
    PUP_DATA_DIR: process.env.PUP_DATA_DIR || undefined,
    EMBEDDING_DIMENSIONS: process.env.EMBEDDING_DIMENSIONS || undefined,
  });
  if (!parsed.success) {
    console.error(`db:migrate: invalid configuration\n${describeIssues(parsed.issues)}`);
    return 2;
  }
  const env = parsed.output;
  const handle = createDb({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.PUP_DATA_DIR,
    embeddingDimensions: env.EMBEDDING_DIMENSIONS,
  });
  // Never print the URL itself: it may carry a password.
  const target = env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${env.PUP_DATA_DIR}`;
  console.log(`db:migrate: migrating ${target}`);
  try {
    await migrateDatabase(handle, {
      embeddingDimensions: env.EMBEDDING_DIMENSIONS,
      onProgress: (line) => console.log(`db:migrate: ${line}`),
    });
    console.log("db:migrate: done");
    return 0;
  } catch (error) {
    console.error(`db:migrate: failed: ${explain(error)}`);
    return 1;
  } finally {
    await handle.close();
  }
}

process.exit(await main());
