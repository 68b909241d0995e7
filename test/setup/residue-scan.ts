/**
 * Residue scans for the memory-rights tests (issue 16, ADR-034): after a "forget", search every
 * place pup keeps anything for the forgotten words. A scan counts what it read, so a test can
 * show it looked (and a positive control with words that must remain proves it can find them).
 */
import type { Redis } from "ioredis";

/** One needle found in Redis: in a key's name, or in one of its values (`field` says which). */
export interface RedisHit {
  key: string;
  type: string;
  needle: string;
  in: "key" | "value";
  /** The hash field, list index, set member, zset member, stream entry id (with its field). */
  field?: string;
}

export interface RedisScan {
  /** Keys read. */
  keys: number;
  /** Values read: a string is one, a hash one per field, a list/set/zset one per member, ... */
  values: number;
  hits: RedisHit[];
}

/** A glob that matches `prefix` literally followed by anything (SCAN MATCH). */
function globUnder(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
}

/**
 * The needles (lowercase) found in `text`, or in any string inside it once it is decoded as JSON,
 * recursively: a job's `data` is JSON that may hold a Slack payload, whose text may be escaped
 * (`\u00e9`, `\"`) so that only the decoded form carries the needle verbatim.
 */
export function needlesIn(text: string, needles: readonly string[], depth = 0): string[] {
  const found = new Set<string>();
  const lower = text.toLowerCase();
  for (const needle of needles) if (lower.includes(needle)) found.add(needle);
  if (depth < 6 && /^\s*[[{"]/.test(text)) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch {
      decoded = undefined;
    }
    if (decoded !== undefined) {
      for (const leaf of stringsOf(decoded)) {
        for (const needle of needlesIn(leaf, needles, depth + 1)) found.add(needle);
      }
    }
  }
  return [...found];
}

/** Every string in a decoded JSON value: object keys and string leaves. */
function stringsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 32) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out, depth + 1);
  else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      out.push(key);
      stringsOf(inner, out, depth + 1);
    }
  }
  return out;
}

/** A key's values as [field, text] pairs (the field empty for a plain string). */
async function valuesOf(redis: Redis, key: string, type: string): Promise<[string, string][]> {
  const utf8 = (buffer: Buffer | null) => (buffer === null ? "" : buffer.toString("utf8"));
  switch (type) {
    case "string":
      return [["", utf8(await redis.getBuffer(key))]];
    case "hash": {
      const pairs = await redis.hgetallBuffer(key);
      return Object.entries(pairs).map(([field, value]) => [field, utf8(value)]);
    }
    case "list":
      return (await redis.lrangeBuffer(key, 0, -1)).map((value, i) => [String(i), utf8(value)]);
    case "set":
      return (await redis.smembersBuffer(key)).map((member) => ["member", utf8(member)]);
    case "zset": {
      // Members are the values (scores are numbers): read them all.
      const members = await redis.zrangeBuffer(key, "0", "-1");
      return members.map((member) => ["member", utf8(member)]);
    }
    case "stream": {
      const entries = (await redis.xrangeBuffer(key, "-", "+")) as [Buffer, Buffer[]][];
      const out: [string, string][] = [];
      for (const [id, fields] of entries) {
        for (let i = 0; i + 1 < fields.length; i += 2) {
          out.push([`${utf8(id)}/${utf8(fields[i] ?? null)}`, utf8(fields[i + 1] ?? null)]);
        }
      }
      return out;
    }
    default:
      // Modules' types (none expected): say so rather than skip them silently.
      throw new Error(`residue scan: key ${key} has type ${type}, which the scan cannot read`);
  }
}

/**
 * SCANs every key under each prefix (a test's `PUP_REDIS_PREFIX`, which covers its cache,
 * short-term memory, limits and BullMQ's `<prefix>:bull:*`), reads every value of every type
 * (string, hash, list, set, zset, stream) and searches key names, field names and values, also
 * JSON-decoded, for each needle (case-insensitive). Keys that expire mid-scan are skipped.
 */
export async function scanRedis(
  redis: Redis,
  prefix: string | readonly string[],
  needles: readonly string[],
): Promise<RedisScan> {
  const wanted = [...new Set(needles.map((needle) => needle.toLowerCase()))].filter(Boolean);
  const prefixes = typeof prefix === "string" ? [prefix] : [...prefix];
  if (prefixes.some((p) => p.length < 4)) {
    throw new Error("residue scan: a prefix this short would read other tests' keys");
  }
  const seen = new Set<string>();
  const scan: RedisScan = { keys: 0, values: 0, hits: [] };
  for (const under of prefixes) {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", globUnder(under), "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        if (seen.has(key)) continue;
        seen.add(key);
        const type = await redis.type(key);
        if (type === "none") continue;
        scan.keys += 1;
        for (const needle of needlesIn(key, wanted)) {
          scan.hits.push({ key, type, needle, in: "key" });
        }
        for (const [field, text] of await valuesOf(redis, key, type)) {
          scan.values += 1;
          const where = field === "" ? {} : { field };
          const found = new Set([...needlesIn(field, wanted), ...needlesIn(text, wanted)]);
          for (const needle of found) scan.hits.push({ key, type, needle, in: "value", ...where });
        }
      }
    } while (cursor !== "0");
  }
  return scan;
}

// ---- The database (PostgreSQL) ----------------------------------------------------------------
// Self-contained: nothing above is used, so either half can change without the other.

/** One needle found in the database: in which column of which table or materialized view. */
export interface DatabaseHit {
  table: string;
  column: string;
  needle: string;
}

export interface DatabaseScan {
  /** Tables and materialized views read. */
  tables: number;
  /** Rows read, over all of them. */
  rows: number;
  /** Columns searched (those that can hold words), over all of them. */
  columns: number;
  hits: DatabaseHit[];
}

/** A query runner: postgres.js's `sql` (only `unsafe` is used, so any client shaped so works). */
export interface DatabaseScanClient {
  unsafe(query: string, parameters?: unknown[]): PromiseLike<readonly Record<string, unknown>[]>;
}

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Column types that can hold words or ids: read as text. (Enums, numbers, times, bytes: not.) */
const WORDY_TYPES = new Set(["text", "varchar", "bpchar", "json", "jsonb", "tsvector", "name"]);

/**
 * Searches every column that can hold words (text, varchar, json, jsonb, tsvector, and arrays
 * of those) of every table and materialized view in the `public` schema, listed from the
 * catalog so a table added later is scanned too, for each needle: case-insensitively, in the
 * column's text form (JSON as PostgreSQL prints it, so use plain words, not quotes or
 * backslashes). Answers what it read and where each needle was found.
 */
export async function scanDatabase(
  sql: DatabaseScanClient,
  needles: string[],
): Promise<DatabaseScan> {
  const wanted = [...new Set(needles.map((needle) => needle.toLowerCase()))].filter(Boolean);
  const columns = (await sql.unsafe(
    `select c.relname as "table", a.attname as "column",
            coalesce(elem.typname, t.typname) as "type"
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     join pg_type t on t.oid = a.atttypid
     left join pg_type elem on elem.oid = t.typelem and t.typcategory = 'A'
     where n.nspname = 'public' and c.relkind in ('r', 'p', 'm')
     order by c.relname, a.attnum`,
  )) as { table: string; column: string; type: string }[];
  const byTable = new Map<string, string[]>();
  for (const { table, column, type } of columns) {
    const wordy = byTable.get(table) ?? [];
    if (WORDY_TYPES.has(type)) wordy.push(column);
    byTable.set(table, wordy);
  }
  const scan: DatabaseScan = { tables: 0, rows: 0, columns: 0, hits: [] };
  for (const [table, wordy] of byTable) {
    const [counted] = await sql.unsafe(`select count(*)::int as n from ${identifier(table)}`);
    scan.tables += 1;
    scan.rows += Number(counted?.n ?? 0);
    scan.columns += wordy.length;
    if (wanted.length === 0) continue;
    for (const column of wordy) {
      const found = await sql.unsafe(
        `select w.needle from unnest($1::text[]) as w(needle)
         where exists (select 1 from ${identifier(table)} x
                       where strpos(lower(x.${identifier(column)}::text), w.needle) > 0)`,
        [wanted],
      );
      for (const row of found) scan.hits.push({ table, column, needle: String(row.needle) });
    }
  }
  return scan;
}
