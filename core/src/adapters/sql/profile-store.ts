// ProfileStore over SQL: facts with their source messages, supersession kept as history, and the
// messages the profile job reads. Writes for one user are serialised by a transaction-scoped
// advisory lock, so two profile jobs for the same person (a retry overlapping the next window)
// cannot both supersede the same fact.
import { and, asc, desc, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import {
  messages,
  userProfileFactSources,
  userProfileFacts,
  userProfiles,
} from "../../../../db/schema";
import type { FactKind, ProfileFact, ProfileStore } from "../../ports/profile-store";
import { applyFactsLocked } from "./profile-apply";

export function createSqlProfileStore(db: Database): ProfileStore {
  return {
    async messagesSince(teamId, userId, since, limit, botUserId) {
      // The turn just before each message in its conversation: the same thread for a reply,
      // the channel for a top-level message. Its text only matters when pup said it.
      // (Qualified by hand: drizzle writes a lone table's columns unqualified, which inside
      // the subquery would name the inner row.)
      const before = sql<string | null>`(
        select case when p.user_id = ${botUserId} then p.text end from messages p
        where p.team_id = "messages"."team_id" and p.channel_id = "messages"."channel_id"
          and p.deleted_at is null and p.id <> "messages"."id"
          and p.posted_at <= "messages"."posted_at"
          and ("messages"."thread_ts" is null
               or p.thread_ts = "messages"."thread_ts" or p.ts = "messages"."thread_ts")
        order by p.posted_at desc, p.id desc limit 1)`;
      const rows = await db
        .select({
          id: messages.id,
          channelId: messages.channelId,
          threadTs: messages.threadTs,
          text: messages.text,
          postedAt: messages.postedAt,
          pupBefore: before,
        })
        .from(messages)
        .where(
          and(
            eq(messages.teamId, teamId),
            eq(messages.userId, userId),
            isNull(messages.deletedAt),
            gte(messages.createdAt, since),
          ),
        )
        .orderBy(asc(messages.postedAt), asc(messages.id))
        .limit(limit);
      return rows.map((row) => ({ ...row, pupBefore: row.pupBefore ?? null }));
    },

    applyFacts(teamId, userId, facts) {
      return db.transaction(async (tx) => {
        await tx.insert(userProfiles).values({ teamId, userId }).onConflictDoNothing();
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtext(${`profile:${teamId}:${userId}`}))`,
        );
        return applyFactsLocked(tx as unknown as Database, teamId, userId, facts);
      });
    },

    async facts(teamId, userId, options = {}) {
      const rows = await db
        .select()
        .from(userProfileFacts)
        .where(
          and(
            eq(userProfileFacts.teamId, teamId),
            eq(userProfileFacts.userId, userId),
            ...(options.includeSuperseded ? [] : [isNull(userProfileFacts.supersededAt)]),
            // A fact left with no source (its messages removed outright) is no one's to show.
            sql`exists (select 1 from ${userProfileFactSources} s where s.fact_id = "user_profile_facts"."id")`,
          ),
        )
        .orderBy(desc(userProfileFacts.validFrom), desc(userProfileFacts.id));
      if (rows.length === 0) return [];
      const sources = await db
        .select({
          factId: userProfileFactSources.factId,
          messageId: messages.id,
          channelId: messages.channelId,
          ts: messages.ts,
          deletedAt: messages.deletedAt,
        })
        .from(userProfileFactSources)
        .innerJoin(messages, eq(messages.id, userProfileFactSources.messageId))
        .where(
          inArray(
            userProfileFactSources.factId,
            rows.map((row) => row.id),
          ),
        )
        .orderBy(asc(messages.postedAt));
      return rows.map(
        (row): ProfileFact => ({
          id: row.id,
          kind: row.kind as FactKind,
          subject: row.subject,
          fact: row.fact,
          validFrom: row.validFrom,
          supersededAt: row.supersededAt,
          supersededBy: row.supersededBy,
          sources: sources
            .filter((source) => source.factId === row.id)
            .map((source) => ({
              messageId: source.messageId,
              channelId: source.channelId,
              ts: source.ts,
              deleted: source.deletedAt !== null,
            })),
        }),
      );
    },

    dropSource(teamId, messageId) {
      return db.transaction(async (tx) => {
        const unlinked = await tx
          .delete(userProfileFactSources)
          .where(
            and(
              eq(userProfileFactSources.teamId, teamId),
              eq(userProfileFactSources.messageId, messageId),
            ),
          )
          .returning({ factId: userProfileFactSources.factId });
        if (unlinked.length === 0) return 0;
        return removeUnsourced(
          tx as unknown as Database,
          teamId,
          unlinked.map((row) => row.factId),
        );
      });
    },
  };
}

/**
 * Removes those of `factIds` with no source left. A fact they had superseded becomes current
 * again: the statement that replaced it is gone, and what remains is the last word (ADR-029).
 */
export async function removeUnsourced(
  db: Database,
  teamId: string,
  factIds: number[],
): Promise<number> {
  if (factIds.length === 0) return 0;
  const removed = await db
    .delete(userProfileFacts)
    .where(
      and(
        eq(userProfileFacts.teamId, teamId),
        inArray(userProfileFacts.id, factIds),
        sql`not exists (select 1 from ${userProfileFactSources} s where s.fact_id = ${userProfileFacts.id})`,
      ),
    )
    .returning({
      id: userProfileFacts.id,
      supersededAt: userProfileFacts.supersededAt,
      supersededBy: userProfileFacts.supersededBy,
    });
  // Splice each removed fact out of its subject's chain: what it had superseded takes its place
  // (current again when the removed one was current, else superseded by its successor).
  for (const gone of removed) {
    await db
      .update(userProfileFacts)
      .set({
        supersededAt: gone.supersededAt,
        supersededBy: gone.supersededBy,
        updatedAt: sql`now()`,
      })
      .where(and(eq(userProfileFacts.teamId, teamId), eq(userProfileFacts.supersededBy, gone.id)));
  }
  return removed.length;
}
