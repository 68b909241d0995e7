// RetentionStore over SQL (ADR-030): the statements the cleanup queue runs when a workspace's
// retention runs out. Each call is one short statement or transaction over at most `limit` rows,
// so a year of backlog is worked off in many small steps instead of one long lock.
import { sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import type { RetentionStore } from "../../ports/retention-store";
import { createSqlUserStats } from "./user-stats";

/** The audit action of an expiry batch; its details hold counts and the cutoff, never payloads. */
export const EVENTS_EXPIRED_ACTION = "cleanup.events.expired";

type Row = Record<string, unknown>;

// postgres-js answers `execute` with the rows; PGlite with `{ rows }` (ADR-005: both drivers).
function rowsOf(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : ((result as { rows?: Row[] }).rows ?? []);
}

function count(result: unknown, column = "n"): number {
  return Number(rowsOf(result)[0]?.[column] ?? 0);
}

export function createSqlRetentionStore(db: Database): RetentionStore {
  const stats = createSqlUserStats(db);

  return {
    async pruneDerived(teamId, before) {
      const cutoff = before.toISOString();
      // A summary whose period ended before the cutoff drew only on messages past retention.
      const summaries = await db.execute(sql`
        with gone as (
          delete from conversation_summaries
          where team_id = ${teamId} and period_end < ${cutoff}::timestamptz
          returning id)
        select count(*)::int as n from gone`);
      // A fact lives as long as its newest source. Facts with no source link at all (older
      // rows, hand-made ones) say nothing about their age and are left alone.
      const facts = await db.execute(sql`
        with gone as (
          delete from user_profile_facts f
          where f.team_id = ${teamId}
            and exists (select 1 from user_profile_fact_sources s where s.fact_id = f.id)
            and not exists (
              select 1 from user_profile_fact_sources s
              join messages m on m.id = s.message_id
              where s.fact_id = f.id and m.posted_at >= ${cutoff}::timestamptz)
          returning id)
        select count(*)::int as n from gone`);
      return { summaries: count(summaries), facts: count(facts) };
    },

    async archiveMessages(teamId, before, limit) {
      // One statement: the copy and the delete see the same rows, so a crash leaves either both
      // or neither. `on conflict do nothing` makes a repeat after a partial run harmless. A
      // message deleted in Slack (text already emptied) has nothing to archive: it just goes.
      // The vector and the search column stay behind: archived messages are never recalled.
      const result = await db.execute(sql`
        with batch as (
          select id from messages
          where team_id = ${teamId} and posted_at < ${before.toISOString()}::timestamptz
          order by id
          limit ${limit}
          for update skip locked),
        copied as (
          insert into archived_messages
            (id, team_id, channel_id, ts, thread_ts, user_id, bot_id, text, visibility,
             posted_at, edited_at)
          select m.id, m.team_id, m.channel_id, m.ts, m.thread_ts, m.user_id, m.bot_id, m.text,
                 m.visibility, m.posted_at, m.edited_at
          from messages m join batch b on b.id = m.id
          where m.deleted_at is null
          on conflict (id) do nothing
          returning id),
        gone as (
          delete from messages m using batch b where m.id = b.id
          returning m.id, m.deleted_at)
        select
          (select count(*) from gone where deleted_at is null)::int as archived,
          (select count(*) from gone where deleted_at is not null)::int as dropped,
          (select count(*) from copied)::int as copied`);
      return { archived: count(result, "archived"), dropped: count(result, "dropped") };
    },

    async expireEvents(teamId, before, limit) {
      const cutoff = before.toISOString();
      return db.transaction(async (tx) => {
        // The event log's trigger rejects every DELETE unless the transaction opts in (ADR-007);
        // `set_config(..., true)` is SET LOCAL, so the opt-in ends with this transaction.
        await tx.execute(sql`select set_config('pup.allow_redaction', 'on', true)`);
        const result = await tx.execute(sql`
          with gone as (
            delete from slack_events
            where id in (
              select id from slack_events
              where team_id = ${teamId} and received_at < ${cutoff}::timestamptz
              order by id
              limit ${limit})
            returning id)
          select count(*)::int as n from gone`);
        const expired = count(result);
        // ADR-007: every redaction leaves an audit row in the same transaction.
        if (expired > 0) {
          const details = JSON.stringify({ count: expired, receivedBefore: cutoff });
          await tx.execute(sql`
            insert into audit_log (team_id, actor, action, subject, details)
            values (${teamId}, 'system', ${EVENTS_EXPIRED_ACTION}, ${teamId}, ${details}::jsonb)`);
        }
        return expired;
      });
    },

    async pruneMoodTransitions(teamId, before, limit) {
      const result = await db.execute(sql`
        with gone as (
          delete from mood_transitions
          where id in (
            select id from mood_transitions
            where team_id = ${teamId} and at < ${before.toISOString()}::timestamptz
            order by id
            limit ${limit})
          returning id)
        select count(*)::int as n from gone`);
      return count(result);
    },

    refreshUserStats: () => stats.refresh(),
  };
}
