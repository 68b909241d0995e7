// The MessageStore's many-rows-at-once statements (findMany, setEmbeddings). Each sends its rows
// as a few array parameters unnested by the server, so a batch is one round trip and the query
// text stays the same for every batch size (one prepared statement, not one per size).
import { sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { queryRows } from "../../../../db/query-rows";
import { messages } from "../../../../db/schema";
import type { EmbeddingItem, MessageRef, StoredMessage } from "../../ports/message-store";
import { storedMessageColumns } from "./message-columns";

/** A PostgreSQL array literal of texts (`{"a","b\"c",NULL}`), for a `$n::text[]` parameter. */
export function textArrayLiteral(values: readonly (string | null | undefined)[]): string {
  const elements = values.map((value) =>
    value === null || value === undefined
      ? "NULL"
      : `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`,
  );
  return `{${elements.join(",")}}`;
}

/** pgvector's text form of a vector, `[0.1,-2e-7,…]`; non-finite values are refused. */
export function vectorLiteral(vector: readonly number[]): string {
  for (const value of vector) {
    if (!Number.isFinite(value)) throw new RangeError("an embedding holds a non-finite number");
  }
  return `[${vector.join(",")}]`;
}

export async function findMessages(
  db: Database,
  refs: readonly MessageRef[],
): Promise<StoredMessage[]> {
  if (refs.length === 0) return [];
  const teams = textArrayLiteral(refs.map((ref) => ref.teamId));
  const channels = textArrayLiteral(refs.map((ref) => ref.channelId));
  const stamps = textArrayLiteral(refs.map((ref) => ref.ts));
  // Shaped so the plan cannot degrade into a scan of the table (a plain IN over the refs gets a
  // hash join over every row while statistics are missing or the table is small): one probe of
  // the (team, channel, ts) index per ref collects the ids, then the primary key fetches them.
  return db
    .select(storedMessageColumns)
    .from(messages)
    .where(
      sql`${messages.id} = any(array(
        select (select m.id from messages m
                where m.team_id = r.team_id and m.channel_id = r.channel_id and m.ts = r.ts)
        from unnest(${teams}::text[], ${channels}::text[], ${stamps}::text[])
          as r(team_id, channel_id, ts)))`,
    );
}

export async function storeEmbeddings(
  db: Database,
  teamId: string,
  items: readonly EmbeddingItem[],
  model: string,
): Promise<number> {
  if (items.length === 0) return 0;
  const ids = `{${items.map((item) => Math.trunc(item.messageId)).join(",")}}`;
  // Vector literals hold no quotes or backslashes, so they can be quoted as they are.
  const vectors = `{${items.map((item) => `"${vectorLiteral(item.embedding)}"`).join(",")}}`;
  const texts = textArrayLiteral(items.map((item) => item.text));
  // `m.id = any(ids)` makes the rows' lookup a primary-key index scan whatever the statistics.
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update messages as m
        set embedding = v.embedding, embedding_model = ${model}, embedded_at = now()
        from unnest(${ids}::bigint[], ${vectors}::vector[], ${texts}::text[])
          as v(id, embedding, text)
        where m.id = any(${ids}::bigint[]) and m.id = v.id
          and m.team_id = ${teamId} and m.deleted_at is null
          and (v.text is null or m.text = v.text)
        returning m.id`,
  );
  return rows.length;
}
