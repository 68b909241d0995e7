// BotReplyLog over SQL. The unique (team_id, send_key) index makes a claim atomic: of any number
// of concurrent claims, exactly one inserts the row.
import { and, asc, eq, lt, ne, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { botReplies } from "../../../../db/schema";
import type { BotReplyLog } from "../../ports/bot-reply-log";

function byKey(teamId: string, sendKey: string) {
  return and(eq(botReplies.teamId, teamId), eq(botReplies.sendKey, sendKey));
}

export function createSqlBotReplyLog(db: Database): BotReplyLog {
  return {
    async claim(claim) {
      const rows = await db
        .insert(botReplies)
        .values({
          teamId: claim.teamId,
          sendKey: claim.sendKey,
          channelId: claim.channelId,
          threadTs: claim.threadTs ?? null,
          triggerEventId: claim.triggerEventId ?? null,
        })
        .onConflictDoUpdate({
          target: [botReplies.teamId, botReplies.sendKey],
          set: { status: "claimed", error: null, claimedAt: new Date(), finishedAt: null },
          // A failed attempt is known not to have posted, so it may be claimed again.
          setWhere: sql`${botReplies.status} = 'failed'`,
        })
        .returning({ id: botReplies.id });
      return rows.length > 0;
    },

    async recordSent(teamId, sendKey, outcome) {
      await db
        .update(botReplies)
        .set({
          status: "sent",
          replyTs: outcome.replyTs,
          model: outcome.model ?? null,
          promptTokens: outcome.promptTokens ?? null,
          completionTokens: outcome.completionTokens ?? null,
          latencyMs: outcome.latencyMs ?? null,
          mood: outcome.mood ?? null,
          finishedAt: new Date(),
        })
        .where(byKey(teamId, sendKey));
    },

    async recordFailed(teamId, sendKey, error) {
      await db
        .update(botReplies)
        .set({ status: "failed", error, finishedAt: new Date() })
        .where(byKey(teamId, sendKey));
    },

    async repliedInThread(teamId, channelId, threadTs) {
      const rows = await db
        .select({ id: botReplies.id })
        .from(botReplies)
        .where(
          and(
            eq(botReplies.teamId, teamId),
            eq(botReplies.channelId, channelId),
            eq(botReplies.threadTs, threadTs),
            ne(botReplies.status, "failed"),
          ),
        )
        .limit(1);
      return rows.length > 0;
    },

    async stuckClaims(claimedBefore, limit) {
      return db
        .select({
          teamId: botReplies.teamId,
          sendKey: botReplies.sendKey,
          channelId: botReplies.channelId,
          claimedAt: botReplies.claimedAt,
        })
        .from(botReplies)
        .where(and(eq(botReplies.status, "claimed"), lt(botReplies.claimedAt, claimedBefore)))
        .orderBy(asc(botReplies.claimedAt))
        .limit(limit);
    },

    async takeOver(teamId, sendKey, claimedBefore) {
      // A compare-and-set: PostgreSQL re-checks the WHERE on the row a concurrent UPDATE left,
      // so of two retriers racing for one old claim only the first sees it still old.
      const rows = await db
        .update(botReplies)
        .set({ claimedAt: new Date(), error: null })
        .where(
          and(
            byKey(teamId, sendKey),
            eq(botReplies.status, "claimed"),
            lt(botReplies.claimedAt, claimedBefore),
          ),
        )
        .returning({ id: botReplies.id });
      return rows.length > 0;
    },

    async find(teamId, sendKey) {
      const [row] = await db.select().from(botReplies).where(byKey(teamId, sendKey));
      return row;
    },
  };
}
