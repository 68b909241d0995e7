// ForgetStore over SQL (ADR-034): "forget me" and "forget this message" as one transaction each,
// with their audit row inside it. The steps are forget-steps.ts. What a purge removes is found
// before anything goes: pup's replies through the payloads and send keys of the forgotten
// messages, summaries and facts through their source links, before those links cascade away.
import { sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import type { ForgetStore, PurgeResult } from "../../ports/forget-store";
import {
  AUTHORED_BY_PATH,
  deleteIds,
  dropFactSources,
  dropSummaries,
  markReplies,
  recordPurge,
  redactPayloads,
  repliesTo,
  rows,
  rowsAt,
  type Spot,
  unlinkMoods,
} from "./forget-steps";
import { createSqlUserStats } from "./user-stats";

const spotOf = (row: { channel_id: string; ts: string }): Spot => ({
  channelId: row.channel_id,
  ts: row.ts,
});

function resultOf(
  teamId: string,
  spots: readonly Spot[],
  summaryPeriods: PurgeResult["summaryPeriods"],
  eventIds: readonly string[],
  counts: Record<string, number>,
): PurgeResult {
  const unique = new Map(spots.map((spot) => [`${spot.channelId}:${spot.ts}`, spot]));
  const refs = [...unique.values()].map(({ channelId, ts }) => ({ teamId, channelId, ts }));
  return {
    refs,
    channelIds: [...new Set(refs.map((ref) => ref.channelId))],
    summaryPeriods,
    eventIds: [...new Set(eventIds)],
    counts,
  };
}

export function createSqlForgetStore(db: Database): ForgetStore {
  const stats = createSqlUserStats(db);

  return {
    async markForgotten(teamId, userId, at) {
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`insert into workspaces (team_id) values (${teamId}) on conflict do nothing`,
        );
        // Their names go with their words; a later, repeated forget keeps the later time.
        await tx.execute(
          sql`insert into users (team_id, user_id, forgotten_at)
              values (${teamId}, ${userId}, ${at.toISOString()}::timestamptz)
              on conflict (team_id, user_id) do update
                set forgotten_at = greatest(users.forgotten_at, excluded.forgotten_at),
                    name = null, display_name = null, real_name = null, updated_at = now()`,
        );
      });
    },

    async forgottenAt(teamId, userId) {
      const [row] = await rows<{ forgotten_at: string | Date | null }>(
        db,
        sql`select forgotten_at from users where team_id = ${teamId} and user_id = ${userId}`,
      );
      return row?.forgotten_at ? new Date(row.forgotten_at) : undefined;
    },

    async authorOf(ref) {
      const [row] = await rows<{ user_id: string | null }>(
        db,
        sql`select user_id from messages
            where team_id = ${ref.teamId} and channel_id = ${ref.channelId} and ts = ${ref.ts}
            union all
            select user_id from archived_messages
            where team_id = ${ref.teamId} and channel_id = ${ref.channelId} and ts = ${ref.ts}
            limit 1`,
      );
      return row ? row.user_id : undefined;
    },

    async purgeUser(teamId, userId, audit) {
      const result = await db.transaction(async (tx) => {
        // What they said until they were forgotten: a sweep after they speak to pup again
        // leaves the new conversation alone (unmarked, everything they ever said).
        const [mark] = await rows<{ at: string | Date | null }>(
          tx,
          sql`select forgotten_at as at from users
              where team_id = ${teamId} and user_id = ${userId}`,
        );
        const until = mark?.at ? new Date(mark.at).toISOString() : null;
        const own = await rows<{ id: number; channel_id: string; ts: string; source: number }>(
          tx,
          sql`select id, channel_id, ts, source_event_id as source from messages
              where team_id = ${teamId} and user_id = ${userId}
                and (${until}::timestamptz is null or posted_at <= ${until}::timestamptz)`,
        );
        const archived = await rows<{ id: number; channel_id: string; ts: string }>(
          tx,
          sql`select id, channel_id, ts from archived_messages
              where team_id = ${teamId} and user_id = ${userId}
                and (${until}::timestamptz is null or posted_at <= ${until}::timestamptz)`,
        );
        // Their payloads, found before they go: pup's replies are claimed under their ids. An
        // event counts from its own time (as the log's refusal does), anything else from its
        // arrival.
        const events = await rows<{ id: number; event_id: string }>(
          tx,
          sql`select id, event_id from slack_events
              where team_id = ${teamId}
                and (user_id = ${userId}
                     or jsonb_path_exists(payload, ${AUTHORED_BY_PATH}::jsonpath,
                                          jsonb_build_object('u', ${userId}::text)))
                and (${until}::timestamptz is null
                     or coalesce(case when kind = 'event'
                                       and payload #>> '{event,event_ts}' ~ '^[0-9]+([.][0-9]+)?$'
                                      then to_timestamp((payload #>> '{event,event_ts}')::float8)
                                      when kind = 'event'
                                       and payload #>> '{event,ts}' ~ '^[0-9]+([.][0-9]+)?$'
                                      then to_timestamp((payload #>> '{event,ts}')::float8)
                                      when kind = 'event'
                                       and jsonb_typeof(payload -> 'event_time') = 'number'
                                      then to_timestamp((payload ->> 'event_time')::float8 + 1)
                                 end,
                                 received_at) <= ${until}::timestamptz)`,
        );
        const ownSpots = [...own, ...archived].map(spotOf);
        const replies = await repliesTo(
          tx,
          teamId,
          ownSpots,
          events.map((event) => event.event_id),
          true,
        );
        const replySpots = replies.flatMap((reply) => (reply.spot ? [reply.spot] : []));
        const replyRows = await rowsAt(tx, teamId, "messages", replySpots);
        const archivedReplies = await rowsAt(tx, teamId, "archived_messages", replySpots);
        const messageIds = [...own.map((row) => Number(row.id)), ...replyRows.map((r) => r.id)];

        const summaryPeriods = await dropSummaries(tx, teamId, messageIds, userId);
        // Their profile, as learned until then. (A profile job still in flight cannot write
        // facts of the messages gone: their source links would break a foreign key.)
        const ownFacts = await rows<{ id: number }>(
          tx,
          sql`delete from user_profile_facts
              where team_id = ${teamId} and user_id = ${userId}
                and (${until}::timestamptz is null or created_at <= ${until}::timestamptz)
              returning id`,
        );
        const profiles = await rows<{ user_id: string }>(
          tx,
          sql`delete from user_profiles p
              where p.team_id = ${teamId} and p.user_id = ${userId}
                and not exists (select 1 from user_profile_facts f
                                where f.team_id = p.team_id and f.user_id = p.user_id)
              returning p.user_id`,
        );
        const otherFacts = await dropFactSources(tx, teamId, messageIds, userId);
        // Every message that goes: theirs and pup's replies to them, live or archived.
        const spots = [...ownSpots, ...replyRows, ...archivedReplies];
        const redacted = await redactPayloads(tx, teamId, {
          rowIds: [
            ...events.map((event) => Number(event.id)),
            ...own.flatMap((row) => (row.source ? [Number(row.source)] : [])),
          ],
          spots,
        });
        const moods = await unlinkMoods(tx, teamId, spots, redacted, { userId, until });
        // The word statistics follow through the messages trigger (migration 0003).
        const messages = await deleteIds(tx, teamId, "messages", messageIds);
        const archivedGone = await deleteIds(tx, teamId, "archived_messages", [
          ...archived.map((row) => Number(row.id)),
          ...archivedReplies.map((row) => row.id),
        ]);
        const bots = await markReplies(
          tx,
          replies.map((reply) => reply.id),
        );
        const named = await rows<{ user_id: string }>(
          tx,
          sql`update users set name = null, display_name = null, real_name = null,
                               updated_at = now()
              where team_id = ${teamId} and user_id = ${userId}
                and (name is not null or display_name is not null or real_name is not null)
              returning user_id`,
        );
        const counts = {
          messages,
          archived_messages: archivedGone,
          bot_replies: bots,
          conversation_summaries: summaryPeriods.length,
          user_profiles: profiles.length,
          user_profile_facts: ownFacts.length + otherFacts,
          mood_transitions: moods,
          slack_events: redacted.length,
          users: named.length,
        };
        await recordPurge(tx, teamId, audit, userId, counts);
        return resultOf(teamId, spots, summaryPeriods, redacted, counts);
      });
      // The statistics view must not keep a row of theirs (CONCURRENTLY: readers go on).
      await stats.refresh();
      return result;
    },

    purgeMessage(ref, audit) {
      return db.transaction(async (tx) => {
        const { teamId } = ref;
        const [row] = await rows<{ id: number; source: number | null; event_id: string | null }>(
          tx,
          sql`select m.id, m.source_event_id as source, e.event_id
              from messages m left join slack_events e on e.id = m.source_event_id
              where m.team_id = ${teamId} and m.channel_id = ${ref.channelId}
                and m.ts = ${ref.ts}
              for update of m`,
        );
        const spot: Spot = { channelId: ref.channelId, ts: ref.ts };
        const archived = await rowsAt(tx, teamId, "archived_messages", [spot]);
        const replies = await repliesTo(
          tx,
          teamId,
          [spot],
          row?.event_id ? [row.event_id] : [],
          false,
        );
        const replySpots = replies.flatMap((reply) => (reply.spot ? [reply.spot] : []));
        const replyRows = await rowsAt(tx, teamId, "messages", replySpots);
        const archivedReplies = await rowsAt(tx, teamId, "archived_messages", replySpots);
        const messageIds = [...(row ? [Number(row.id)] : []), ...replyRows.map((r) => r.id)];

        const summaryPeriods = await dropSummaries(tx, teamId, messageIds, null);
        const facts = await dropFactSources(tx, teamId, messageIds, null);
        const spots = [spot, ...replySpots];
        const redacted = await redactPayloads(tx, teamId, {
          rowIds: row?.source ? [Number(row.source)] : [],
          spots,
        });
        const moods = await unlinkMoods(tx, teamId, spots, redacted, null);
        // The row stays as an empty tombstone: the same ts is never stored again (upsert keeps
        // a deleted row deleted), and the trigger takes its words out of the statistics.
        const emptied = row
          ? await rows<{ id: number }>(
              tx,
              sql`update messages
                  set text = '', embedding = null, embedding_model = null, embedded_at = null,
                      deleted_at = coalesce(deleted_at, now())
                  where team_id = ${teamId} and id = ${Number(row.id)}
                    and (text <> '' or embedding is not null or deleted_at is null)
                  returning id`,
            )
          : [];
        const replyMessages = await deleteIds(
          tx,
          teamId,
          "messages",
          replyRows.map((r) => r.id),
        );
        const archivedGone = await deleteIds(tx, teamId, "archived_messages", [
          ...archived.map((r) => r.id),
          ...archivedReplies.map((r) => r.id),
        ]);
        const bots = await markReplies(
          tx,
          replies.map((reply) => reply.id),
        );
        const counts = {
          messages: emptied.length + replyMessages,
          archived_messages: archivedGone,
          bot_replies: bots,
          conversation_summaries: summaryPeriods.length,
          user_profile_facts: facts,
          mood_transitions: moods,
          slack_events: redacted.length,
        };
        await recordPurge(tx, teamId, audit, `${ref.channelId}:${ref.ts}`, counts);
        return resultOf(teamId, spots, summaryPeriods, redacted, counts);
      });
    },
  };
}
