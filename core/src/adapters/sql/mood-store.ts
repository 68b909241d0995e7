// MoodStore over SQL: one row per conversation in mood_states, written only when its version is
// the one the writer read (compare-and-set), and an append-only mood_transitions history.
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { moodStates, moodTransitions } from "../../../../db/schema";
import type { MoodStore, MoodTransitionRecord } from "../../ports/mood-store";

export function createSqlMoodStore(db: Database): MoodStore {
  const conversation = (teamId: string, channelId: string) =>
    and(eq(moodStates.teamId, teamId), eq(moodStates.channelId, channelId));

  return {
    async load(teamId, channelId) {
      const [row] = await db
        .select({
          mood: moodStates.mood,
          since: moodStates.since,
          state: moodStates.state,
          version: moodStates.version,
        })
        .from(moodStates)
        .where(conversation(teamId, channelId));
      return row;
    },

    save(teamId, channelId, expectedVersion, next, transitions) {
      return db.transaction(async (tx) => {
        const values = {
          mood: next.mood,
          since: next.since,
          state: next.state,
          reason: next.reason,
          updatedAt: new Date(),
        };
        const written =
          expectedVersion === 0
            ? await tx
                .insert(moodStates)
                .values({ teamId, channelId, ...values, version: 1 })
                .onConflictDoNothing()
                .returning({ version: moodStates.version })
            : await tx
                .update(moodStates)
                .set({ ...values, version: expectedVersion + 1 })
                .where(
                  and(conversation(teamId, channelId), eq(moodStates.version, expectedVersion)),
                )
                .returning({ version: moodStates.version });
        const [row] = written;
        if (!row) return undefined;
        if (transitions.length > 0) {
          await tx.insert(moodTransitions).values(
            transitions.map((t) => ({
              teamId,
              channelId,
              fromMood: t.from,
              toMood: t.to,
              reason: t.reason,
              triggerMessageTs: t.messageTs ?? null,
              triggerEventId: t.eventId ?? null,
              triggerUserId: t.userId ?? null,
              at: t.at,
            })),
          );
        }
        return row.version;
      });
    },

    async history(teamId, channelId, limit) {
      const rows = await db
        .select()
        .from(moodTransitions)
        .where(and(eq(moodTransitions.teamId, teamId), eq(moodTransitions.channelId, channelId)))
        .orderBy(desc(moodTransitions.at), desc(moodTransitions.id))
        .limit(limit);
      // Who moved it stays out: `/pup mood` shows this history to anyone in the conversation.
      return rows.map(record);
    },

    async transitionsTriggeredBy(teamId, userId, limit) {
      // Along the partial (team, trigger user, at) index.
      const rows = await db
        .select()
        .from(moodTransitions)
        .where(and(eq(moodTransitions.teamId, teamId), eq(moodTransitions.triggerUserId, userId)))
        .orderBy(desc(moodTransitions.at), desc(moodTransitions.id))
        .limit(limit);
      return rows.map((row) => ({
        ...record(row),
        userId: row.triggerUserId,
        channelId: row.channelId,
      }));
    },
  };
}

function record(row: typeof moodTransitions.$inferSelect): MoodTransitionRecord {
  return {
    from: row.fromMood,
    to: row.toMood,
    reason: row.reason,
    at: row.at,
    messageTs: row.triggerMessageTs,
    eventId: row.triggerEventId,
  };
}
