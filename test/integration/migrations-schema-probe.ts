// Helpers for the migration tests: a fingerprint of the database schema (to prove a failed
// migration changed nothing) and a copy of the migrations folder with extra migrations appended.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { DEFAULT_MIGRATIONS_FOLDER } from "../../db/migrate";
import { queryRows } from "../../db/query-rows";

export interface SchemaSnapshot {
  tables: string[];
  columns: string[];
  indexes: string[];
  triggers: string[];
  extensions: string[];
  migrations: string[];
}

async function strings(db: Database, query: ReturnType<typeof sql>): Promise<string[]> {
  const rows = await queryRows<{ value: string }>(db, query);
  return rows.map((row) => row.value);
}

/** Everything a migration could change, as sorted text, plus drizzle's bookkeeping rows. */
export async function snapshotSchema(db: Database): Promise<SchemaSnapshot> {
  const [hasMigrationsTable] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  return {
    tables: await strings(
      db,
      sql`select c.relname::text || ':' || c.relkind::text as value from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'm', 'v') order by 1`,
    ),
    columns: await strings(
      db,
      sql`select c.relname::text || '.' || a.attname::text || ' ' || format_type(a.atttypid, a.atttypmod) as value
          from pg_attribute a join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'm') and a.attnum > 0
            and not a.attisdropped order by 1`,
    ),
    indexes: await strings(
      db,
      sql`select indexdef as value from pg_indexes where schemaname = 'public' order by 1`,
    ),
    triggers: await strings(
      db,
      sql`select tgname::text as value from pg_trigger where not tgisinternal order by 1`,
    ),
    extensions: await strings(db, sql`select extname::text as value from pg_extension order by 1`),
    migrations: hasMigrationsTable?.present
      ? await strings(
          db,
          sql`select id::text || ':' || hash || ':' || created_at::text as value
              from drizzle.__drizzle_migrations order by id`,
        )
      : [],
  };
}

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

/** A temporary copy of the committed migrations with `extra` SQL migrations appended in order. */
export function migrationsFolderWith(extra: { tag: string; sql: string }[]): string {
  const folder = join(mkdtempSync(join(tmpdir(), "pup-migrations-")), "migrations");
  cpSync(DEFAULT_MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  for (const migration of extra) {
    const last = journal.entries[journal.entries.length - 1];
    if (!last) throw new Error("the committed journal has no entries");
    const idx = last.idx + 1;
    const tag = `${String(idx).padStart(4, "0")}_${migration.tag}`;
    journal.entries.push({ ...last, idx, when: last.when + 1000, tag });
    writeFileSync(join(folder, `${tag}.sql`), migration.sql);
  }
  writeFileSync(journalPath, JSON.stringify(journal, null, 2));
  return folder;
}

/** A valid migration followed by a broken one: applying both in one transaction must fail whole. */
export function brokenMigrationsFolder(): string {
  return migrationsFolderWith([
    { tag: "valid_probe", sql: "CREATE TABLE migration_probe_valid (id integer);" },
    {
      tag: "broken_probe",
      sql: [
        "CREATE TABLE migration_probe_broken (id integer);",
        "--> statement-breakpoint",
        "ALTER TABLE table_that_does_not_exist ADD COLUMN nope integer;",
      ].join("\n"),
    },
  ]);
}
