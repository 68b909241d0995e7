// DerivedMemory's summary half over SQL: conversation summaries with the messages they drew on
// (conversation_summary_sources), the messages a summary may draw on, and summaries offered to
// recall. Every read that can reach a prompt passes the one visibility rule (visibility.ts).
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import {
  channels,
  conversationSummaries,
  conversationSummarySources,
  messages,
} from "../../../../db/schema";
import type { DerivedMemory, RecalledSummary, SummaryPeriod } from "../../ports/derived-memory";
import { textArrayLiteral } from "./message-batches";
import { visibleIn } from "./visibility";

type SummaryMemory = Pick<
  DerivedMemory,
  | "saveSummary"
  | "removeSummary"
  | "latestSummary"
  | "summarySources"
  | "activeConversations"
  | "summariesCiting"
  | "recallSummaries"
>;

/** Messages people wrote that still say something (no bots, nothing deleted or emptied). */
const spoken = () =>
  and(isNull(messages.botId), isNull(messages.deletedAt), sql`${messages.text} <> ''`);

/** Words of a query worth matching: letters and digits only, so they are safe in a tsquery. */
function queryWords(query: string): string[] {
  return [...new Set(query.toLowerCase().match(/[\p{L}\p{N}_-]{2,}/gu) ?? [])].slice(0, 20);
}

/** The summary rows of one conversation and period. */
function samePeriod(period: SummaryPeriod) {
  return and(
    eq(conversationSummaries.teamId, period.teamId),
    eq(conversationSummaries.channelId, period.channelId),
    period.threadTs
      ? eq(conversationSummaries.threadTs, period.threadTs)
      : isNull(conversationSummaries.threadTs),
    eq(conversationSummaries.periodStart, period.periodStart),
    eq(conversationSummaries.periodEnd, period.periodEnd),
  );
}

export function createSqlSummaries(db: Database): SummaryMemory {
  return {
    async saveSummary(input) {
      return db.transaction(async (tx) => {
        const period = [
          input.teamId,
          input.channelId,
          input.threadTs ?? "",
          input.periodStart.toISOString(),
          input.periodEnd.toISOString(),
        ].join("|");
        // One summary per conversation and period even when two runs race: they queue here.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${period}))`);
        await tx
          .delete(conversationSummaries)
          .where(samePeriod({ ...input, threadTs: input.threadTs ?? null }));
        const [row] = await tx
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
        const sources = [...new Set(input.sourceMessageIds ?? [])];
        if (sources.length > 0) {
          await tx
            .insert(conversationSummarySources)
            .values(
              sources.map((messageId) => ({ summaryId: row.id, messageId, teamId: input.teamId })),
            );
        }
        return row.id;
      });
    },

    async removeSummary(period) {
      await db.delete(conversationSummaries).where(samePeriod(period));
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

    async summarySources(scope, since, until, limit) {
      const rows = await db
        .select({
          id: messages.id,
          channelId: messages.channelId,
          channelName: channels.name,
          visibility: channels.visibility,
          ts: messages.ts,
          userId: messages.userId,
          text: messages.text,
          postedAt: messages.postedAt,
        })
        .from(messages)
        .leftJoin(
          channels,
          and(eq(channels.teamId, messages.teamId), eq(channels.channelId, messages.channelId)),
        )
        .where(
          and(
            eq(messages.teamId, scope.teamId),
            scope.onlyChannelId ? eq(messages.channelId, scope.onlyChannelId) : undefined,
            gte(messages.postedAt, since),
            lt(messages.postedAt, until),
            spoken(),
            visibleIn(messages, scope),
          ),
        )
        // The newest `limit`, then oldest first: a summary reads in order.
        .orderBy(desc(messages.postedAt), desc(messages.id))
        .limit(limit);
      return rows.reverse().map((row) => ({
        id: row.id,
        channelId: row.channelId,
        channelName:
          row.visibility === "dm" || row.visibility === "group_dm"
            ? null
            : (row.channelName ?? null),
        ts: row.ts,
        userId: row.userId,
        text: row.text,
        postedAt: row.postedAt,
      }));
    },

    async activeConversations(teamId, since, until) {
      const rows = await db
        .selectDistinct({ channelId: messages.channelId })
        .from(messages)
        .where(
          and(
            eq(messages.teamId, teamId),
            gte(messages.postedAt, since),
            lt(messages.postedAt, until),
            spoken(),
          ),
        )
        .orderBy(asc(messages.channelId));
      return rows.map((row) => row.channelId);
    },

    async summariesCiting(teamId, messageIds) {
      if (messageIds.length === 0) return [];
      return db
        .selectDistinct({
          teamId: conversationSummaries.teamId,
          channelId: conversationSummaries.channelId,
          threadTs: conversationSummaries.threadTs,
          periodStart: conversationSummaries.periodStart,
          periodEnd: conversationSummaries.periodEnd,
        })
        .from(conversationSummarySources)
        .innerJoin(
          conversationSummaries,
          eq(conversationSummaries.id, conversationSummarySources.summaryId),
        )
        .where(
          and(
            eq(conversationSummarySources.teamId, teamId),
            inArray(conversationSummarySources.messageId, [...messageIds]),
          ),
        );
    },

    async recallSummaries(scope, query, limit) {
      const words = queryWords(query);
      if (words.length === 0) return [];
      // A channel the question names ("#design") or the summary's own words: either is relevant.
      const tsquery = words.map((word) => word.replace(/[^\p{L}\p{N}]/gu, "")).filter(Boolean);
      const named = sql`lower(coalesce(${channels.name}, '')) = any(${textArrayLiteral(words)}::text[])`;
      const matched =
        tsquery.length > 0
          ? sql`to_tsvector('english', ${conversationSummaries.summary}) @@ to_tsquery('english', ${tsquery.join(" | ")})`
          : sql`false`;
      const rank =
        tsquery.length > 0
          ? sql`ts_rank(to_tsvector('english', ${conversationSummaries.summary}), to_tsquery('english', ${tsquery.join(" | ")}))`
          : sql`0`;
      const rows = await db
        .select({
          id: conversationSummaries.id,
          teamId: conversationSummaries.teamId,
          channelId: conversationSummaries.channelId,
          threadTs: conversationSummaries.threadTs,
          periodStart: conversationSummaries.periodStart,
          periodEnd: conversationSummaries.periodEnd,
          summary: conversationSummaries.summary,
          channelName: channels.name,
          visibility: channels.visibility,
        })
        .from(conversationSummaries)
        .innerJoin(
          channels,
          and(
            eq(channels.teamId, conversationSummaries.teamId),
            eq(channels.channelId, conversationSummaries.channelId),
          ),
        )
        .where(
          and(
            eq(conversationSummaries.teamId, scope.teamId),
            isNull(conversationSummaries.threadTs),
            // The channel's visibility now, as every recalled turn is read (ADR-022).
            visibleIn(channels, scope),
            sql`(${named} or ${matched})`,
          ),
        )
        // A named channel's summaries newest first ("what happened in #design yesterday?");
        // otherwise the summaries that share the most of the question's words, not merely the
        // newest that shares one (a speaker's name matches every day: ADR-031).
        .orderBy(
          desc(sql`(${named})::int`),
          desc(sql`case when ${named} then ${conversationSummaries.periodEnd} end`),
          desc(rank),
          desc(conversationSummaries.periodEnd),
          desc(conversationSummaries.id),
        )
        .limit(limit);
      if (rows.length === 0) return [];
      const sources = await db
        .select({
          summaryId: conversationSummarySources.summaryId,
          messageId: messages.id,
          channelId: messages.channelId,
          ts: messages.ts,
        })
        .from(conversationSummarySources)
        .innerJoin(messages, eq(messages.id, conversationSummarySources.messageId))
        .where(
          and(
            eq(messages.teamId, scope.teamId),
            inArray(
              conversationSummarySources.summaryId,
              rows.map((row) => row.id),
            ),
          ),
        )
        .orderBy(asc(messages.postedAt));
      return rows.map(
        (row): RecalledSummary => ({
          id: row.id,
          teamId: row.teamId,
          channelId: row.channelId,
          threadTs: row.threadTs,
          periodStart: row.periodStart,
          periodEnd: row.periodEnd,
          summary: row.summary,
          channelName:
            row.visibility === "dm" || row.visibility === "group_dm" ? null : row.channelName,
          sources: sources
            .filter((source) => source.summaryId === row.id)
            .map(({ messageId, channelId, ts }) => ({ messageId, channelId, ts })),
        }),
      );
    },
  };
}
