/**
 * pup's daily summaries as the evaluation's derived memory (ADR-031): after a conversation is
 * stored, one summary per conversation-day is written by the summaries feature itself
 * (`writeSummary` with the offline model, which answers a summary prompt extractively) and
 * stored with its sources by the SQL derived memory (`saveSummary`, conversation_summary_sources),
 * as the daily `summarize` job does; recall is recallMemories' order: the summary lines
 * `recallSummaryLines` offers first, then the recalled messages. A summary line counts by the
 * messages it cites, which are every message of its day (what pup records), not only the few it
 * quotes: the report prints how many that is.
 *
 * Profile facts are not derived here: replies read them about the asker (`factsAbout`), not by
 * the question, and the evaluation's questions have no asker.
 */
import { sql } from "drizzle-orm";
import { createOfflineModel } from "../../core/src/adapters/offline/model";
import { createSqlDerivedMemory } from "../../core/src/adapters/sql/derived-memory";
import { createSqlDirectory } from "../../core/src/adapters/sql/directory";
import type { RecallDeps } from "../../core/src/features/memory/deps";
import { recallSummaryLines } from "../../core/src/features/memory/summary-recall";
import { DAY_MS, writeSummary } from "../../core/src/features/summaries";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/query-rows";
import type { DerivedMemoryHook } from "./run";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Slack is only asked for permalinks here (a summary line links its first source); nothing is
 * posted, so the link's shape is all that matters.
 */
const permalinks = {
  permalink: (_teamId: string, channelId: string, ts: string) => `slack://${channelId}/${ts}`,
} as unknown as RecallDeps["slack"];

/** The UTC days (as their start, Unix ms) on which people said something in the conversation. */
async function conversationDays(db: Database, teamId: string, channelId: string) {
  const rows = await queryRows<{ day: string }>(
    db,
    sql`select distinct floor(extract(epoch from posted_at) * 1000 / ${DAY_MS})::bigint as day
        from messages where team_id = ${teamId} and channel_id = ${channelId}
        order by day`,
  );
  return rows.map((row) => Number(row.day) * DAY_MS);
}

export function dailySummaries(): DerivedMemoryHook {
  const model = createOfflineModel();
  return {
    name: "summaries",
    async derive({ db, teamId, channelId }) {
      const derived = createSqlDerivedMemory(db);
      const directory = createSqlDirectory(db);
      for (const start of await conversationDays(db, teamId, channelId)) {
        const periodStart = new Date(start);
        const periodEnd = new Date(start + DAY_MS);
        // What the daily job's `summarize` does for one conversation and period.
        const written = await writeSummary(
          { derived, model, directory },
          { teamId, fromChannelId: channelId, onlyChannelId: channelId },
          periodStart,
          periodEnd,
          "over one day",
        );
        if (!written || written.text === "") continue;
        await derived.saveSummary({
          teamId,
          channelId,
          periodStart,
          periodEnd,
          summary: written.text,
          sourceUserIds: written.sourceUserIds,
          sourceMessageIds: written.sources.map((m) => m.id),
          model: written.model,
        });
      }
    },
    async recall({ db, teamId, channelId, question, messages }) {
      const lines = await recallSummaryLines(
        { derived: createSqlDerivedMemory(db), slack: permalinks, logger: silent },
        { teamId, channelId, query: question },
      );
      return [
        ...lines.map((line) => ({
          kind: "summary" as const,
          messageIds: line.sources.map((source) => source.messageId),
        })),
        ...messages.map((hit) => ({ kind: "message" as const, messageIds: [hit.message.id] })),
      ];
    },
  };
}
