// Recall queries over messages: vector nearest neighbours and full-text search, both limited to
// what the asking conversation may see (visibility.ts: its own messages plus the workspace's
// public channels, those the asker is a member of for guests).
import { and, asc, cosineDistance, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { messages } from "../../../../db/schema";
import type { RecalledMessage, RecallScope } from "../../ports/message-store";
import { storedMessageColumns } from "./message-columns";
import { visibleIn } from "./visibility";

function visibleFrom(scope: RecallScope) {
  return and(
    eq(messages.teamId, scope.teamId),
    isNull(messages.deletedAt),
    visibleIn(messages, scope),
  );
}

export async function nearestMessages(
  db: Database,
  scope: RecallScope,
  embedding: number[],
): Promise<RecalledMessage[]> {
  const distance = cosineDistance(messages.embedding, embedding);
  // Sessions start with `hnsw.iterative_scan = strict_order` (db/client.ts SESSION_SETTINGS), so
  // a filtered scan keeps going until `limit` rows pass the filter.
  const rows = await db
    .select({ ...storedMessageColumns, distance: sql<number>`${distance}` })
    .from(messages)
    .where(and(visibleFrom(scope), isNotNull(messages.embedding)))
    .orderBy(asc(distance))
    .limit(scope.limit);
  return rows.map(({ distance: score, ...message }) => ({ message, score: Number(score) }));
}

export async function searchMessages(
  db: Database,
  scope: RecallScope,
  query: string,
): Promise<RecalledMessage[]> {
  const tsquery = sql`websearch_to_tsquery('english', ${query})`;
  const rank = sql<number>`ts_rank(${messages.search}, ${tsquery})`;
  const rows = await db
    .select({ ...storedMessageColumns, rank })
    .from(messages)
    .where(and(visibleFrom(scope), sql`${messages.search} @@ ${tsquery}`))
    .orderBy(desc(rank), desc(messages.postedAt))
    .limit(scope.limit);
  return rows.map(({ rank: score, ...message }) => ({ message, score: Number(score) }));
}
