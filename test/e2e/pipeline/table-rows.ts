/**
 * How many rows of each table name something (a workspace id, a word), for the uninstall test
 * (issue 16): a purge of one workspace must leave another's rows exactly as they were. Every
 * column that can hold words or ids (text, json, arrays, full-text vectors) of every table in the
 * public schema is read as text, listed from the catalog so a table added later counts too.
 * (Finding residue is test/setup/residue-scan.ts's scanDatabase; this counts rows.)
 */
import type postgres from "postgres";

/** Column types that can hold a word or an id; read through `::text`. */
const SEARCHED_TYPES = ["text", "character varying", "character", "json", "jsonb", "ARRAY"];

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Per table, how many rows hold `needle` in any such column (tables without any left out). */
export async function rowsPerTable(
  sql: postgres.Sql,
  needle: string,
): Promise<Record<string, number>> {
  const columns = await sql<{ table: string; column: string }[]>`
    select c.table_name as table, c.column_name as column
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      and (c.data_type = any(${SEARCHED_TYPES}) or c.udt_name = 'tsvector')
    order by c.table_name, c.column_name`;
  if (columns.length < 20) throw new Error(`table rows: only ${columns.length} columns found`);
  const byTable = new Map<string, string[]>();
  for (const { table, column } of columns) {
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const pattern = `%${needle.replace(/[\\%_]/g, "\\$&")}%`;
  const counts: Record<string, number> = {};
  for (const [table, names] of byTable) {
    const where = names.map((column) => `${quoted(column)}::text ilike $1`).join(" or ");
    const [row] = await sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from ${quoted(table)} where ${where}`,
      [pattern],
    );
    if ((row?.n ?? 0) > 0) counts[table] = row?.n ?? 0;
  }
  return counts;
}
