// UserStats over the user_stats materialized view.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { userStats } from "../../../../db/schema";
import type { UserStats } from "../../ports/user-stats";

export function createSqlUserStats(db: Database): UserStats {
  return {
    async refresh() {
      // CONCURRENTLY (allowed by the view's unique index) keeps readers unblocked meanwhile.
      await db.execute(sql`refresh materialized view concurrently user_stats`);
    },

    async get(teamId, userId) {
      const [row] = await db
        .select()
        .from(userStats)
        .where(and(eq(userStats.teamId, teamId), eq(userStats.userId, userId)));
      return row;
    },

    listForTeam(teamId, limit = 50) {
      return db
        .select()
        .from(userStats)
        .where(eq(userStats.teamId, teamId))
        .orderBy(desc(userStats.messageCount), userStats.userId)
        .limit(limit);
    },
  };
}
