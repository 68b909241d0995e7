// Migrations on both drivers: a fresh database reaches the latest schema, re-running is a no-op,
// a failing migration changes nothing, the embedding column follows EMBEDDING_DIMENSIONS while it
// is empty, and concurrent migrators on one PostgreSQL database both succeed.
// Tests in each driver's block run in order against one database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "drizzle-orm";
import { createDb, type DbHandle } from "../../db/client";
import {
  EmbeddingDimensionMismatchError,
  readEmbeddingDimensions,
} from "../../db/embedding-dimensions";
import { countAppliedMigrations, migrateDatabase } from "../../db/migrate";
import journal from "../../db/migrations/meta/_journal.json";
import { createScratchDatabase } from "../setup/isolation";
import { brokenMigrationsFolder, snapshotSchema } from "./migrations-schema-probe";

/** Every committed migration (the journal drizzle-kit keeps). */
const MIGRATIONS = journal.entries.length;

const EXPECTED_TABLES = [
  "archived_messages:r",
  "audit_log:r",
  "bot_replies:r",
  "channels:r",
  "conversation_summaries:r",
  "conversation_summary_sources:r",
  "lexeme_stats:r",
  "lexeme_totals:r",
  "messages:r",
  "mood_states:r",
  "mood_transitions:r",
  "role_grants:r",
  "slack_events:r",
  "slack_installations:r",
  "user_profile_fact_sources:r",
  "user_profile_facts:r",
  "user_profiles:r",
  "user_stats:m",
  "users:r",
  "workspace_settings:r",
  "workspaces:r",
];
const OPEN_TIMEOUT_MS = 60_000;

function registerMigrationBehaviour(
  driverName: string,
  open: () => Promise<{
    handle: DbHandle;
    reopen?: () => Promise<DbHandle>;
    dispose(): Promise<void>;
  }>,
): void {
  describe(`migrations (${driverName})`, () => {
    let opened: Awaited<ReturnType<typeof open>>;
    const handle = () => opened.handle;

    beforeAll(async () => {
      opened = await open();
    }, OPEN_TIMEOUT_MS);
    afterAll(async () => {
      await opened?.dispose();
    });

    test("a fresh database migrates to the latest schema", async () => {
      const outcome = await migrateDatabase(handle(), { embeddingDimensions: 512 });
      expect(outcome).toMatchObject({
        applied: MIGRATIONS,
        total: MIGRATIONS,
        dimensions: { kind: "unchanged" },
      });
      const schema = await snapshotSchema(handle().db);
      expect(schema.tables).toEqual(EXPECTED_TABLES);
      expect(schema.extensions).toContain("vector");
      expect(schema.columns).toContain("messages.embedding vector(512)");
      expect(schema.columns).toContain("messages.search tsvector");
      const indexes = schema.indexes.join("\n");
      expect(indexes).toContain(
        "messages_embedding_hnsw_idx ON public.messages USING hnsw (embedding vector_cosine_ops)",
      );
      expect(indexes).toContain("messages_search_idx ON public.messages USING gin (search)");
      expect(indexes).toContain("UNIQUE INDEX slack_events_team_event_uq");
      expect(indexes).toContain("UNIQUE INDEX user_stats_team_user_uq");
      expect(schema.triggers).toEqual([
        "audit_log_append_only",
        "audit_log_no_truncate",
        "messages_lexeme_stats",
        "slack_events_append_only",
        "slack_events_no_truncate",
      ]);
      expect(schema.migrations).toHaveLength(MIGRATIONS);
    });

    test("migrating again applies nothing and changes nothing", async () => {
      const before = await snapshotSchema(handle().db);
      const outcome = await migrateDatabase(handle(), { embeddingDimensions: 512 });
      expect(outcome.applied).toBe(0);
      expect(await snapshotSchema(handle().db)).toEqual(before);
    });

    test("a failing migration leaves the schema and the migrations table unchanged", async () => {
      const before = await snapshotSchema(handle().db);
      const migrationsFolder = brokenMigrationsFolder();
      const failure = await migrateDatabase(handle(), {
        embeddingDimensions: 512,
        migrationsFolder,
      })
        .then(
          () => "(migrated)",
          (error: unknown) => String((error as Error).cause ?? error),
        )
        .finally(() => rmSync(dirname(migrationsFolder), { recursive: true, force: true }));
      expect(failure).toContain("table_that_does_not_exist");
      const after = await snapshotSchema(handle().db);
      expect(after).toEqual(before);
      expect(after.tables.join()).not.toContain("migration_probe");
    });

    test("the embedding column follows EMBEDDING_DIMENSIONS only while it holds no embedding", async () => {
      const { db } = handle();
      const altered = await migrateDatabase(handle(), { embeddingDimensions: 384 });
      expect(altered.dimensions).toEqual({ kind: "altered", from: 512, to: 384 });
      expect(await readEmbeddingDimensions(db)).toBe(384);
      const indexes = (await snapshotSchema(db)).indexes.join("\n");
      expect(indexes).toContain("messages_embedding_hnsw_idx ON public.messages USING hnsw");

      await db.execute(sql`insert into workspaces (team_id) values ('T_DIM')`);
      await db.execute(
        sql`insert into channels (team_id, channel_id, visibility) values ('T_DIM', 'C1', 'dm')`,
      );
      await db.execute(
        sql`insert into messages (team_id, channel_id, ts, visibility, posted_at, embedding)
            values ('T_DIM', 'C1', '1.0', 'dm', now(), ${JSON.stringify(Array(384).fill(0.5))})`,
      );
      const refused = migrateDatabase(handle(), { embeddingDimensions: 512 });
      await expect(refused).rejects.toBeInstanceOf(EmbeddingDimensionMismatchError);
      await expect(refused).rejects.toThrow(
        /EMBEDDING_DIMENSIONS is 512 .* vector\(384\) .*1 message/,
      );
      expect(await readEmbeddingDimensions(db)).toBe(384);
    });

    if (driverName === "pglite") {
      test(
        "the embedded database persists across restarts",
        async () => {
          if (!opened.reopen) throw new Error("pglite factory must offer reopen");
          const reopened = await opened.reopen();
          opened.handle = reopened;
          expect(await countAppliedMigrations(reopened.db)).toBe(MIGRATIONS);
          expect(await readEmbeddingDimensions(reopened.db)).toBe(384);
        },
        OPEN_TIMEOUT_MS,
      );
    }
  });
}

registerMigrationBehaviour("postgres", async () => {
  const scratch = await createScratchDatabase();
  const handle = createDb({ databaseUrl: scratch.url, dataDir: "", embeddingDimensions: 512 });
  return {
    handle,
    async dispose() {
      await handle.close();
      await scratch.drop();
    },
  };
});

registerMigrationBehaviour("pglite", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "pup-pglite-"));
  const state = { handle: createDb({ dataDir, embeddingDimensions: 512 }) };
  // PGlite compiles its WASM on first use; do it here, under the open timeout.
  await state.handle.db.execute(sql`select 1`);
  return {
    get handle() {
      return state.handle;
    },
    set handle(next) {
      state.handle = next;
    },
    async reopen() {
      await state.handle.close();
      state.handle = createDb({ dataDir, embeddingDimensions: 512 });
      return state.handle;
    },
    async dispose() {
      await state.handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe("concurrent migrations (postgres)", () => {
  test("two processes migrating one database at once both succeed", async () => {
    const scratch = await createScratchDatabase();
    const first = createDb({ databaseUrl: scratch.url, dataDir: "", embeddingDimensions: 512 });
    const second = createDb({ databaseUrl: scratch.url, dataDir: "", embeddingDimensions: 512 });
    try {
      const outcomes = await Promise.all([
        migrateDatabase(first, { embeddingDimensions: 512 }),
        migrateDatabase(second, { embeddingDimensions: 512 }),
      ]);
      expect(outcomes.map((o) => o.applied).sort()).toEqual([0, MIGRATIONS]);
      expect(await countAppliedMigrations(first.db)).toBe(MIGRATIONS);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await scratch.drop();
    }
  });
});
