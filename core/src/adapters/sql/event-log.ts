// EventLog over SQL: INSERT ... ON CONFLICT DO NOTHING makes duplicates a value, not an error.
import { and, eq } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { slackEvents } from "../../../../db/schema";
import type { EventLog, StoredSlackEvent } from "../../ports/event-log";

export function createSqlEventLog(db: Database): EventLog {
  return {
    async append(event) {
      const rows = await db
        .insert(slackEvents)
        .values({
          teamId: event.teamId,
          eventId: event.eventId,
          kind: event.kind,
          eventType: event.eventType,
          userId: event.userId ?? null,
          channelId: event.channelId ?? null,
          payload: event.payload,
          retryNum: event.retryNum ?? null,
          retryReason: event.retryReason ?? null,
        })
        .onConflictDoNothing({ target: [slackEvents.teamId, slackEvents.eventId] })
        .returning({ id: slackEvents.id });
      const row = rows[0];
      return row ? { inserted: true, id: row.id } : { inserted: false };
    },

    async find(teamId, eventId): Promise<StoredSlackEvent | undefined> {
      const [row] = await db
        .select()
        .from(slackEvents)
        .where(and(eq(slackEvents.teamId, teamId), eq(slackEvents.eventId, eventId)));
      return row;
    },
  };
}
