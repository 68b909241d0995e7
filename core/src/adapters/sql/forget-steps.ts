// The steps "forget" is made of (ADR-034), each one statement inside the purge's transaction
// (forget-store.ts): finding pup's replies to what is forgotten, deleting the summaries and facts
// drawn from it, unlinking mood history, and redacting the event log's payloads that carry it.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { queryRows } from "../../../../db/query-rows";
import type { SummaryPeriod } from "../../ports/derived-memory";
import { textArrayLiteral } from "./message-batches";
import { removeUnsourced } from "./profile-store";

/** A transaction, as the statements here use it. */
export type Tx = Pick<Database, "execute">;

/** A message by where it lives (its workspace is the purge's). */
export interface Spot {
  channelId: string;
  ts: string;
}

/**
 * What `bot_replies.error` says once a reply's trigger was forgotten: the text an error held
 * could quote the words, and the mark lets a later sweep find a reply stored after the purge
 * (a reply in flight during it), whose trigger can no longer be looked up.
 */
export const FORGOTTEN_REPLY_MARK = "forgotten";

/**
 * Payloads naming the person: any object whose `user` (a string, or an object's `id`) or
 * `user_id` is them (a message, an edit's `message`, a deletion's `previous_message`, a
 * command, an interaction's `user`). A rich-text mention (`{"type": "user", "user_id": …}`) in
 * someone else's message does not count. Lax mode: a missing key is no match, not an error.
 */
export const AUTHORED_BY_PATH =
  'lax $.** ? (@.user == $u || @.user.id == $u || (@.user_id == $u && !(@.type == "user")))';

export const rows = <Row extends Record<string, unknown>>(tx: Tx, query: SQL) =>
  queryRows<Row>(tx, query);

export const bigintArray = (ids: readonly number[]) =>
  `{${ids.map((id) => Math.trunc(Number(id))).join(",")}}`;

const spotArrays = (spots: readonly Spot[]) => ({
  channels: textArrayLiteral(spots.map((spot) => spot.channelId)),
  stamps: textArrayLiteral(spots.map((spot) => spot.ts)),
});

/** The reply send key of a message (ports/bot-reply-log.ts `replySendKey`). */
const replyKey = (spot: Spot) => `reply:${spot.channelId}:${spot.ts}`;

/**
 * pup's replies to the messages at `spots` or to the payloads `eventIds`, and with `marked`
 * every reply whose trigger an earlier purge forgot (see {@link FORGOTTEN_REPLY_MARK}).
 */
export async function repliesTo(
  tx: Tx,
  teamId: string,
  spots: readonly Spot[],
  eventIds: readonly string[],
  marked: boolean,
): Promise<{ id: number; spot: Spot | null }[]> {
  const found = await rows<{ id: number; channel_id: string; reply_ts: string | null }>(
    tx,
    sql`select id, channel_id, reply_ts from bot_replies
        where team_id = ${teamId}
          and (send_key = any(${textArrayLiteral(spots.map(replyKey))}::text[])
               or trigger_event_id = any(${textArrayLiteral(eventIds)}::text[])
               or (${marked}::boolean and error = ${FORGOTTEN_REPLY_MARK}))`,
  );
  return found.map((row) => ({
    id: Number(row.id),
    spot: row.reply_ts ? { channelId: row.channel_id, ts: row.reply_ts } : null,
  }));
}

/** `from messages` or `from archived_messages`, spelled out (the messages-table allow-list reads it). */
const fromTable = (table: "messages" | "archived_messages") =>
  table === "messages" ? sql`from messages` : sql`from archived_messages`;

/** The stored rows of the messages at `spots`, in the live table or the archive. */
export async function rowsAt(
  tx: Tx,
  teamId: string,
  table: "messages" | "archived_messages",
  spots: readonly Spot[],
): Promise<(Spot & { id: number })[]> {
  if (spots.length === 0) return [];
  const { channels, stamps } = spotArrays(spots);
  const found = await rows<{ id: number; channel_id: string; ts: string }>(
    tx,
    sql`select m.id, m.channel_id, m.ts ${fromTable(table)} m
        join unnest(${channels}::text[], ${stamps}::text[]) as r(channel_id, ts)
          on m.channel_id = r.channel_id and m.ts = r.ts
        where m.team_id = ${teamId}`,
  );
  return found.map((row) => ({ id: Number(row.id), channelId: row.channel_id, ts: row.ts }));
}

/**
 * Deletes the summaries that drew on `messageIds`, or (with `userId`) on anything that person
 * said, sources gone since included, and answers their periods so they can be written again.
 */
export async function dropSummaries(
  tx: Tx,
  teamId: string,
  messageIds: readonly number[],
  userId: string | null,
): Promise<SummaryPeriod[]> {
  const gone = await rows<{
    channel_id: string;
    thread_ts: string | null;
    period_start: string | Date;
    period_end: string | Date;
  }>(
    tx,
    sql`delete from conversation_summaries s
        where s.team_id = ${teamId}
          and (s.id in (select summary_id from conversation_summary_sources
                        where message_id = any(${bigintArray(messageIds)}::bigint[]))
               or (${userId}::text is not null and s.source_user_ids @> array[${userId}::text]))
        returning s.channel_id, s.thread_ts, s.period_start, s.period_end`,
  );
  return gone.map((row) => ({
    teamId,
    channelId: row.channel_id,
    threadTs: row.thread_ts,
    periodStart: new Date(row.period_start),
    periodEnd: new Date(row.period_end),
  }));
}

/**
 * Unlinks facts from `messageIds` and deletes those left with no source at all (a fact they
 * had superseded is current again, as on a deletion); a fact with another source stays.
 * Facts about `exceptUserId` are left alone (the caller deletes them all). Returns how many
 * facts were deleted.
 */
export async function dropFactSources(
  tx: Tx,
  teamId: string,
  messageIds: readonly number[],
  exceptUserId: string | null,
): Promise<number> {
  if (messageIds.length === 0) return 0;
  const unlinked = await rows<{ fact_id: number }>(
    tx,
    sql`delete from user_profile_fact_sources s
        using user_profile_facts f
        where s.team_id = ${teamId} and f.id = s.fact_id
          and s.message_id = any(${bigintArray(messageIds)}::bigint[])
          and (${exceptUserId}::text is null or f.user_id <> ${exceptUserId}::text)
        returning s.fact_id`,
  );
  const factIds = [...new Set(unlinked.map((row) => Number(row.fact_id)))];
  return removeUnsourced(tx as Database, teamId, factIds);
}

/**
 * Redacts (deletes, through the event log's audited path: ADR-007) the payloads with ids
 * `rowIds` (a person's, found with {@link AUTHORED_BY_PATH}) and those carrying a message at
 * `spots` (the message, its edits, its deletion, a thread notice quoting it, an interaction on
 * it). The caller writes the audit row in the same transaction. Returns their event ids.
 */
export async function redactPayloads(
  tx: Tx,
  teamId: string,
  options: { rowIds: readonly number[]; spots: readonly Spot[] },
): Promise<string[]> {
  const { channels, stamps } = spotArrays(options.spots);
  // SET LOCAL: the opt-in ends with this transaction.
  await tx.execute(sql`select set_config('pup.allow_redaction', 'on', true)`);
  // One pass over the workspace's payloads: each row's six places a message ts can sit, hash-
  // joined with the forgotten spots. (A correlated `exists` over the spots per row was quadratic:
  // 28 s for 5,000 spots against 50,000 payloads in `bun run bench forget`.)
  const gone = await rows<{ event_id: string }>(
    tx,
    sql`with spots as (
          select * from unnest(${channels}::text[], ${stamps}::text[]) as r(channel_id, ts)),
        carrying as (
          select e.id
          from slack_events e
          cross join lateral (values (e.payload #>> '{event,ts}'),
                                     (e.payload #>> '{event,message,ts}'),
                                     (e.payload #>> '{event,deleted_ts}'),
                                     (e.payload #>> '{event,previous_message,ts}'),
                                     (e.payload #>> '{message,ts}'),
                                     (e.payload #>> '{container,message_ts}')) as v(ts)
          join spots r on r.channel_id = e.channel_id and r.ts = v.ts
          where e.team_id = ${teamId} and e.channel_id = any(${channels}::text[]))
        delete from slack_events e
        where e.team_id = ${teamId}
          and (e.id = any(${bigintArray(options.rowIds)}::bigint[])
               or e.id in (select id from carrying))
        returning e.event_id`,
  );
  return gone.map((row) => row.event_id);
}

/**
 * Mood history keeps the change but not its link to what is forgotten: the message at `spots`,
 * the payloads `eventIds`, and (with `author`) who moved it, until they were forgotten (ISO
 * time; null: ever). Returns the rows changed.
 */
export async function unlinkMoods(
  tx: Tx,
  teamId: string,
  spots: readonly Spot[],
  eventIds: readonly string[],
  author: { userId: string; until: string | null } | null,
): Promise<number> {
  const { channels, stamps } = spotArrays(spots);
  const events = textArrayLiteral(eventIds);
  const linked = sql`exists (select 1 from unnest(${channels}::text[], ${stamps}::text[])
                                as r(channel_id, ts)
                              where r.channel_id = t.channel_id and r.ts = t.trigger_message_ts)`;
  const until = author?.until ?? null;
  const moved = sql`(t.trigger_user_id = ${author?.userId ?? null}::text
                     and (${until}::timestamptz is null or t.at <= ${until}::timestamptz))`;
  const changed = await rows<{ id: number }>(
    tx,
    sql`update mood_transitions t
        set trigger_message_ts = case when ${linked} then null else t.trigger_message_ts end,
            trigger_event_id = case when t.trigger_event_id = any(${events}::text[]) then null
                                    else t.trigger_event_id end,
            trigger_user_id = case when ${moved} then null else t.trigger_user_id end
        where t.team_id = ${teamId}
          and (${linked} or t.trigger_event_id = any(${events}::text[]) or ${moved})
        returning t.id`,
  );
  return changed.length;
}

/** Marks pup's replies `replyIds` as forgotten (their error text goes); returns rows changed. */
export async function markReplies(tx: Tx, replyIds: readonly number[]): Promise<number> {
  if (replyIds.length === 0) return 0;
  const changed = await rows<{ id: number }>(
    tx,
    sql`update bot_replies set error = ${FORGOTTEN_REPLY_MARK}
        where id = any(${bigintArray(replyIds)}::bigint[])
          and error is distinct from ${FORGOTTEN_REPLY_MARK}
        returning id`,
  );
  return changed.length;
}

/** Deletes the workspace's rows of `table` with these ids; returns how many went. */
export async function deleteIds(
  tx: Tx,
  teamId: string,
  table: "messages" | "archived_messages",
  ids: readonly number[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const gone = await rows<{ id: number }>(
    tx,
    sql`delete ${fromTable(table)}
        where team_id = ${teamId} and id = any(${bigintArray(ids)}::bigint[])
        returning id`,
  );
  return gone.length;
}

/** The purge's audit row: who asked, what, and counts; never content (ADR-007). */
export async function recordPurge(
  tx: Tx,
  teamId: string,
  audit: { actor: string; action: string },
  subject: string,
  counts: Record<string, number>,
): Promise<void> {
  await tx.execute(
    sql`insert into audit_log (team_id, actor, action, subject, details)
        values (${teamId}, ${audit.actor}, ${audit.action}, ${subject},
                ${JSON.stringify({ counts })}::jsonb)`,
  );
}
