// Opens pup's database: PostgreSQL through postgres.js when a URL is given, otherwise embedded
// PGlite (with pgvector) persisted under the data directory. Both come back as the same drizzle
// type, so repositories are written once. No module-level state: each call owns its connections.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

/** The drizzle database both drivers produce; write repository code against this. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseDriver = "postgres" | "pglite";

export interface DbConfig {
  /** PostgreSQL URL; when unset, PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite keeps its files in `<dataDir>/pglite`; `memory://` keeps them in memory. */
  dataDir: string;
  embeddingDimensions: number;
  /** Overrides of {@link SESSION_SETTINGS} (benchmarks sweep `hnsw.ef_search` with it). */
  sessionSettings?: Partial<Record<keyof typeof SESSION_SETTINGS, string>>;
}

export interface DbHandle {
  db: Database;
  driver: DatabaseDriver;
  embeddingDimensions: number;
  /**
   * Runs `work` on a single connection held for the whole call. Session state such as advisory
   * locks belongs to one connection, and a pool would hand each statement to any of them.
   */
  withDedicatedConnection<T>(work: (db: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const IN_MEMORY_DATA_DIR = "memory://";

export function createDb(config: DbConfig): DbHandle {
  const settings = { ...SESSION_SETTINGS, ...config.sessionSettings };
  if (config.databaseUrl) {
    return openPostgres(config.databaseUrl, config.embeddingDimensions, settings);
  }
  return openPglite(config.dataDir, config.embeddingDimensions, settings);
}

/**
 * Settings every session of pup's starts with. `hnsw.iterative_scan`: without it, an HNSW scan
 * hands back `ef_search` candidates and a filter (workspace, visibility) can leave fewer than k;
 * pgvector 0.8 keeps scanning until enough rows pass. Setting it per session instead of per query
 * saves a transaction (BEGIN, SET LOCAL, COMMIT) on every recall. Recall relies on it: both
 * drivers below apply it, and the recall contract test fails without it.
 */
export const SESSION_SETTINGS = {
  "hnsw.iterative_scan": "strict_order",
  // 40 (pgvector's default) gave recall@10 0.86-0.91 against exact search at 100k messages;
  // 150 gave 0.97 at about 30x exact search's speed (`bun run bench memory`, ADR-013).
  "hnsw.ef_search": "150",
} as const;

type SessionSettings = Record<keyof typeof SESSION_SETTINGS, string>;

function openPostgres(
  url: string,
  embeddingDimensions: number,
  settings: SessionSettings,
): DbHandle {
  // NOTICEs ("already exists, skipping") are expected during migrations; keep them off stdout.
  const options = { onnotice: () => {} };
  const client = postgres(url, { ...options, max: 10, connection: settings });
  return {
    db: drizzlePostgres({ client: preparingStatements(client), schema }),
    driver: "postgres",
    embeddingDimensions,
    async withDedicatedConnection(work) {
      const single = postgres(url, { ...options, max: 1 });
      try {
        return await work(drizzlePostgres({ client: single, schema }));
      } finally {
        await single.end();
      }
    },
    close: () => client.end(),
  };
}

/**
 * drizzle sends every query as an unnamed statement unless it was built with `.prepare(name)`,
 * so PostgreSQL parses and plans the same few dozen queries again on every call (measured: about
 * 60% of the server's time per Slack event). postgres.js can keep a named statement per query
 * text on each connection; this asks it to for every query with parameters. Queries without
 * parameters (DDL, SET, BEGIN) stay simple, as postgres.js requires. Transactions run on their
 * own `sql` object and are not affected.
 */
function preparingStatements(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== "unsafe") return Reflect.get(target, property, receiver);
      return (query: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
        target.unsafe(
          query,
          args as postgres.ParameterOrJSON<never>[],
          args.length > 0 ? { ...options, prepare: true } : options,
        );
    },
  });
}

function openPglite(
  dataDir: string,
  embeddingDimensions: number,
  settings: SessionSettings,
): DbHandle {
  let location = IN_MEMORY_DATA_DIR;
  if (!dataDir.startsWith(IN_MEMORY_DATA_DIR)) {
    location = join(dataDir, "pglite");
    mkdirSync(location, { recursive: true });
  }
  const client = new PGlite(location, { extensions: { vector } });
  // PGlite has one session; this runs before any other query (PGlite runs them in order).
  const ready = client.exec(
    Object.entries(settings)
      .map(([name, value]) => `set ${name} = ${value};`)
      .join(" "),
  );
  ready.catch(() => {});
  const db = drizzlePglite({ client, schema });
  return {
    db,
    driver: "pglite",
    embeddingDimensions,
    // PGlite has exactly one connection, so every call already shares it.
    withDedicatedConnection: (work) => work(db),
    close: () => client.close(),
  };
}
