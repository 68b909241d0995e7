// Raw SQL results differ by driver (postgres.js returns an array, PGlite `{ rows }`); this gives
// both as a plain array so raw queries read the same everywhere.
import type { SQL } from "drizzle-orm";
import type { Database } from "./client";

export async function queryRows<Row extends Record<string, unknown>>(
  db: Pick<Database, "execute">,
  query: SQL,
): Promise<Row[]> {
  const result: unknown = await db.execute<Row>(query);
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}
