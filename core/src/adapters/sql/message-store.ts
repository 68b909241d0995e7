// MessageStore over SQL: the projection writes (upsert, edit, delete, embeddings) and the reads
// memory needs. Recall queries live in message-recall.ts.
import { and, asc, desc, eq, gte, isNull, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { queryRows } from "../../../../db/query-rows";
import { messages } from "../../../../db/schema";
import type {
  MessageInput,
  MessageRef,
  MessageStore,
  StoredMessage,
} from "../../ports/message-store";
import type { ChannelVisibility } from "../../ports/slack-vocabulary";
import { findMessages, storeEmbeddings } from "./message-batches";
import { storedMessageColumns } from "./message-columns";
import { lexicalMessages } from "./message-lexical";
import { nearestMessages, searchMessages } from "./message-recall";

function byRef(ref: MessageRef) {
  return and(
    eq(messages.teamId, ref.teamId),
    eq(messages.channelId, ref.channelId),
    eq(messages.ts, ref.ts),
  );
}

/** Live (not deleted) messages of one conversation. */
function liveInChannel(teamId: string, channelId: string) {
  return and(
    eq(messages.teamId, teamId),
    eq(messages.channelId, channelId),
    isNull(messages.deletedAt),
  );
}

/**
 * What upsert answers for a message of a forgotten author: a tombstone that is not in the store
 * (id 0), so callers skip it as they skip a message deleted before it arrived.
 */
function notStored(
  message: MessageInput,
  outcome: { forgotten_at: string | Date | null; visibility: string | null },
): StoredMessage {
  return {
    id: 0,
    teamId: message.teamId,
    channelId: message.channelId,
    ts: message.ts,
    threadTs: message.threadTs ?? null,
    userId: message.userId ?? null,
    botId: message.botId ?? null,
    text: "",
    visibility: (outcome.visibility ??
      message.visibility ??
      "private_channel") as ChannelVisibility,
    postedAt: message.postedAt,
    editedAt: null,
    deletedAt: new Date(outcome.forgotten_at ?? Date.now()),
  };
}

/** Column values that forget an embedding, for when the text it was computed from changes. */
const noEmbedding = { embedding: null, embeddingModel: null, embeddedAt: null };

export function createSqlMessageStore(db: Database): MessageStore {
  const find = async (ref: MessageRef) => {
    const [row] = await db.select(storedMessageColumns).from(messages).where(byRef(ref));
    return row;
  };

  return {
    find,

    async upsert(message) {
      // The visibility is the channel row's, read under a share lock: a conversion committing
      // meanwhile (channels.ts) either waits for this insert, then rewrites it too, or is waited
      // for, and its visibility is what is read. A late delivery of a message from before a
      // conversion cannot widen it again. (A missing channel row inserts nothing: caught below.)
      // An author forgotten since the message was posted (ADR-034) makes the same statement
      // insert and refresh nothing, so a retry cannot slip in between a check and the insert.
      const [outcome] = await queryRows<{
        forgotten_at: string | Date | null;
        visibility: string | null;
      }>(
        db,
        sql`with refused as (
              select u.forgotten_at from users u
              where u.team_id = ${message.teamId} and u.user_id = ${message.userId ?? null}::text
                and u.forgotten_at >= ${message.postedAt.toISOString()}::timestamptz),
            added as (
              insert into messages (team_id, channel_id, ts, thread_ts, user_id, bot_id, text,
                                    visibility, posted_at, source_event_id)
              select ${message.teamId}, ${message.channelId}, ${message.ts}, ${message.threadTs ?? null},
                     ${message.userId ?? null}, ${message.botId ?? null}, ${message.text},
                     c.visibility, ${message.postedAt.toISOString()}::timestamptz,
                     ${message.sourceEventId ?? null}::bigint
              from channels c
              where c.team_id = ${message.teamId} and c.channel_id = ${message.channelId}
                and not exists (select 1 from refused)
              for share of c
              on conflict (team_id, channel_id, ts) do update
                set text = excluded.text, embedding = null, embedding_model = null, embedded_at = null
                -- Only a live, unedited message whose text really changed: a deleted one stays a
                -- tombstone, and an edit (even one that arrived before its message) stays the text.
                where messages.deleted_at is null and messages.edited_at is null
                  and messages.text is distinct from excluded.text
              returning 1)
            select (select forgotten_at from refused) as forgotten_at,
                   (select visibility::text from channels
                    where team_id = ${message.teamId} and channel_id = ${message.channelId}) as visibility`,
      );
      if (outcome?.forgotten_at) return notStored(message, outcome);
      const stored = await find(message);
      if (!stored) {
        throw new Error(
          `message ${message.ts} not stored: conversation ${message.channelId} of ${message.teamId} is not in the directory`,
        );
      }
      return stored;
    },

    async edit(ref, text, editedAt) {
      const rows = await db
        .update(messages)
        .set({ text, editedAt, ...noEmbedding })
        .where(and(byRef(ref), isNull(messages.deletedAt)))
        .returning({ id: messages.id });
      return rows.length > 0;
    },

    async softDelete(ref, deletedAt) {
      const rows = await db
        .update(messages)
        .set({ text: "", deletedAt, ...noEmbedding })
        .where(and(byRef(ref), isNull(messages.deletedAt)))
        .returning({ id: messages.id });
      return rows.length > 0;
    },

    async hardDelete(ref) {
      const rows = await db.delete(messages).where(byRef(ref)).returning({ id: messages.id });
      return rows.length > 0;
    },

    thread(teamId, channelId, threadTs, limit = 200) {
      return db
        .select(storedMessageColumns)
        .from(messages)
        .where(
          and(
            liveInChannel(teamId, channelId),
            or(eq(messages.threadTs, threadTs), eq(messages.ts, threadTs)),
          ),
        )
        .orderBy(asc(messages.postedAt), asc(messages.ts))
        .limit(limit);
    },

    async recentInChannel(teamId, channelId, limit) {
      const newestFirst = await db
        .select(storedMessageColumns)
        .from(messages)
        .where(liveInChannel(teamId, channelId))
        .orderBy(desc(messages.postedAt), desc(messages.ts))
        .limit(limit);
      return newestFirst.reverse();
    },

    async recentFromUser(teamId, channelId, userId, since, limit) {
      // Along the (team, channel, posted_at) index: a conversation's last minutes are few rows.
      const rows = await db
        .select({ ...storedMessageColumns, embedding: messages.embedding })
        .from(messages)
        .where(
          and(
            liveInChannel(teamId, channelId),
            eq(messages.userId, userId),
            gte(messages.postedAt, since),
          ),
        )
        .orderBy(desc(messages.postedAt), desc(messages.ts))
        .limit(limit);
      return rows.map((row) => ({ ...row, embedding: row.embedding ?? null }));
    },

    recentByAuthor(teamId, userId, limit, offset = 0) {
      // Along (team, user): one person's rows. An emptied row (a forgotten message) is no memory.
      return db
        .select(storedMessageColumns)
        .from(messages)
        .where(
          and(
            eq(messages.teamId, teamId),
            eq(messages.userId, userId),
            isNull(messages.deletedAt),
            ne(messages.text, ""),
          ),
        )
        .orderBy(desc(messages.postedAt), desc(messages.ts))
        .limit(limit)
        .offset(offset);
    },

    async setEmbedding(teamId, messageId, embedding, model, text) {
      const item = { messageId, embedding, ...(text === undefined ? {} : { text }) };
      return (await storeEmbeddings(db, teamId, [item], model)) > 0;
    },

    findMany: (refs) => findMessages(db, refs),
    setEmbeddings: (teamId, items, model) => storeEmbeddings(db, teamId, items, model),

    nearest: (scope, embedding) => nearestMessages(db, scope, embedding),
    lexical: (scope, query, around, embedding) =>
      lexicalMessages(db, scope, query, around, embedding),
    search: (scope, query) => searchMessages(db, scope, query),
  };
}
