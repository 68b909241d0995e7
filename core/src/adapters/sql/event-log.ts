// EventLog over SQL: INSERT ... ON CONFLICT DO NOTHING makes duplicates a value, not an error.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { slackEvents } from "../../../../db/schema";
import type { EventLog, StoredSlackEvent } from "../../ports/event-log";

export function createSqlEventLog(db: Database): EventLog {
  // Acceptance appends on every request: a prepared statement skips drizzle's query building
  // and the server's planning (measured: 0.41-0.75 ms of CPU per insert down to ~0.19 ms).
  const placeholder = (name: string) => sql.placeholder(name);
  const appendStatement = db
    .insert(slackEvents)
    .values({
      teamId: placeholder("teamId"),
      eventId: placeholder("eventId"),
      kind: placeholder("kind"),
      eventType: placeholder("eventType"),
      userId: placeholder("userId"),
      channelId: placeholder("channelId"),
      payload: placeholder("payload"),
      retryNum: placeholder("retryNum"),
      retryReason: placeholder("retryReason"),
    })
    .onConflictDoNothing({ target: [slackEvents.teamId, slackEvents.eventId] })
    .returning({ id: slackEvents.id })
    .prepare("pup_append_slack_event");
  return {
    async append(event) {
      const rows = await appendStatement.execute({
        teamId: event.teamId,
        eventId: event.eventId,
        kind: event.kind,
        eventType: event.eventType,
        userId: event.userId ?? null,
        channelId: event.channelId ?? null,
        // jsonb: placeholders skip the column's own encoding, so it is encoded here.
        payload: JSON.stringify(event.payload),
        retryNum: event.retryNum ?? null,
        retryReason: event.retryReason ?? null,
      });
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
