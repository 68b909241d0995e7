// Keeps messages.embedding sized to EMBEDDING_DIMENSIONS. Migrations are static and commit
// vector(512); a deployment that embeds with another size gets its column re-typed here, but
// only while no embedding is stored: re-typing would otherwise destroy data of the old size.
import { sql } from "drizzle-orm";
import { PupError } from "../core/src/shared/errors";
import type { Database } from "./client";
import { queryRows } from "./query-rows";

/** pgvector's HNSW index accepts at most this many dimensions for `vector`. */
export const MAX_INDEXED_EMBEDDING_DIMENSIONS = 2000;

/** EMBEDDING_DIMENSIONS differs from the stored vectors' size: the operator must decide. */
export class EmbeddingDimensionMismatchError extends PupError {
  override readonly name = "EmbeddingDimensionMismatchError";
  constructor(message: string) {
    super(message, { code: "embedding_dimensions_mismatch" });
  }
}

export type DimensionReconcileOutcome =
  | { kind: "unchanged"; dimensions: number }
  | { kind: "altered"; from: number; to: number };

/** Reads the declared dimension of messages.embedding, e.g. 512 for `vector(512)`. */
export async function readEmbeddingDimensions(db: Database): Promise<number> {
  const rows = await queryRows<{ type: string }>(
    db,
    sql`select format_type(atttypid, atttypmod) as type from pg_attribute
        where attrelid = 'messages'::regclass and attname = 'embedding' and not attisdropped`,
  );
  const match = /^vector\((\d+)\)$/.exec(rows[0]?.type ?? "");
  if (!match?.[1]) {
    throw new Error(`messages.embedding has unexpected type "${rows[0]?.type ?? "(missing)"}"`);
  }
  return Number(match[1]);
}

export async function reconcileEmbeddingDimensions(
  db: Database,
  wanted: number,
): Promise<DimensionReconcileOutcome> {
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > MAX_INDEXED_EMBEDDING_DIMENSIONS) {
    throw new EmbeddingDimensionMismatchError(
      `EMBEDDING_DIMENSIONS must be an integer from 1 to ${MAX_INDEXED_EMBEDDING_DIMENSIONS} ` +
        `(the HNSW index limit), got ${wanted}`,
    );
  }
  const current = await readEmbeddingDimensions(db);
  if (current === wanted) return { kind: "unchanged", dimensions: current };

  return db.transaction(async (tx) => {
    // Exclusive lock first, so no embedding can be written between the check and the re-type.
    await tx.execute(sql`lock table messages in access exclusive mode`);
    const [counted] = await queryRows<{ embedded: number }>(
      tx,
      sql`select count(*)::integer as embedded from messages where embedding is not null`,
    );
    const embedded = counted?.embedded ?? 0;
    if (embedded > 0) {
      throw new EmbeddingDimensionMismatchError(
        `EMBEDDING_DIMENSIONS is ${wanted} but messages.embedding is vector(${current}) and ` +
          `${embedded} message(s) already have embeddings. Either set EMBEDDING_DIMENSIONS=${current} ` +
          "(and keep the embedding model that produced them), or clear them with " +
          "`UPDATE messages SET embedding = NULL, embedding_model = NULL, embedded_at = NULL` " +
          "and run `bun run db:migrate` again, then re-embed with the new model.",
      );
    }
    await tx.execute(sql`drop index if exists messages_embedding_hnsw_idx`);
    await tx.execute(sql.raw(`alter table messages alter column embedding type vector(${wanted})`));
    await tx.execute(
      sql`create index messages_embedding_hnsw_idx on messages using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 128)`,
    );
    return { kind: "altered" as const, from: current, to: wanted };
  });
}
