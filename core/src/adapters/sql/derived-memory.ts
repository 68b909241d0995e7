// DerivedMemory over SQL: profile facts with their source messages, and conversation summaries.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import {
  conversationSummaries,
  userProfileFactSources,
  userProfileFacts,
  userProfiles,
} from "../../../../db/schema";
import type { DerivedMemory } from "../../ports/derived-memory";
import { aliased, visibleIn } from "./visibility";

export function createSqlDerivedMemory(db: Database): DerivedMemory {
  return {
    async addFact(input) {
      return db.transaction(async (tx) => {
        await tx
          .insert(userProfiles)
          .values({ teamId: input.teamId, userId: input.userId })
          .onConflictDoNothing();
        const [row] = await tx
          .insert(userProfileFacts)
          .values({
            teamId: input.teamId,
            userId: input.userId,
            fact: input.fact,
            confidence: input.confidence ?? 1,
          })
          .returning({ id: userProfileFacts.id });
        if (!row) throw new Error("profile fact insert returned no row");
        if (input.sourceMessageIds.length > 0) {
          await tx.insert(userProfileFactSources).values(
            input.sourceMessageIds.map((messageId) => ({
              factId: row.id,
              messageId,
              teamId: input.teamId,
            })),
          );
        }
        return row.id;
      });
    },

    async factsAbout(teamId, userId, fromChannelId, limit, memberOf) {
      const rows = await db
        .select({ fact: userProfileFacts.fact })
        .from(userProfileFacts)
        .where(
          and(
            eq(userProfileFacts.teamId, teamId),
            eq(userProfileFacts.userId, userId),
            // Some source still stands: a fact whose sources were all removed has nothing left
            // to bound where it may show, so it shows nowhere.
            sql`exists (
              select 1 from ${userProfileFactSources} s
              join messages m on m.id = s.message_id
              where s.fact_id = ${userProfileFacts.id} and m.deleted_at is null
            )`,
            // Every source must be visible from here by the recall rule (visibility.ts), read
            // from its message's current visibility.
            sql`not exists (
              select 1 from ${userProfileFactSources} s
              join messages m on m.id = s.message_id
              where s.fact_id = ${userProfileFacts.id}
                and m.team_id = ${teamId}
                and not ${visibleIn(aliased("m"), { fromChannelId, ...(memberOf ? { memberOf } : {}) })}
            )`,
          ),
        )
        .orderBy(desc(userProfileFacts.updatedAt), desc(userProfileFacts.id))
        .limit(limit);
      return rows.map((row) => row.fact);
    },

    async saveSummary(input) {
      const [row] = await db
        .insert(conversationSummaries)
        .values({
          teamId: input.teamId,
          channelId: input.channelId,
          threadTs: input.threadTs ?? null,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          summary: input.summary,
          sourceUserIds: input.sourceUserIds,
          model: input.model ?? null,
        })
        .returning({ id: conversationSummaries.id });
      if (!row) throw new Error("summary insert returned no row");
      return row.id;
    },

    async latestSummary(teamId, channelId) {
      const [row] = await db
        .select({ summary: conversationSummaries.summary })
        .from(conversationSummaries)
        .where(
          and(
            eq(conversationSummaries.teamId, teamId),
            eq(conversationSummaries.channelId, channelId),
            isNull(conversationSummaries.threadTs),
          ),
        )
        .orderBy(desc(conversationSummaries.periodEnd), desc(conversationSummaries.id))
        .limit(1);
      return row?.summary;
    },
  };
}
