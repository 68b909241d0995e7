/**
 * Part 2 of the forget benchmark: "forget me" in the database. The real purge
 * (createSqlForgetStore(db).purgeUser: messages, payloads found by author anywhere in them,
 * pup's replies, summaries, facts, mood links, archive, names, audit row, user_stats refresh)
 * is timed against the plain statements alone: deleting the person's messages and their
 * slack_events rows (by user_id, with the redaction opt-in) in one transaction. Both forget the
 * same person in a round; the workspace is restored (and vacuumed) after each.
 */
import { sql as drizzleSql } from "drizzle-orm";
import type postgres from "postgres";
import { createSqlForgetStore } from "../../../core/src/adapters/sql/forget-store";
import { createSqlUserStats } from "../../../core/src/adapters/sql/user-stats";
import { FORGET_ME_ACTION } from "../../../core/src/features/forget";
import type { Database } from "../../../db/client";
import { queryRows } from "../../../db/query-rows";
import { timeMs } from "../stats";
import { PEOPLE, personId, restoreWorkspace, rowCounts, TEAM } from "./workspace";

export interface PersonPurgeTimings {
  /** Rounds done (each forgets one person both ways); fewer than asked when over budget. */
  runs: number;
  /** ms per forget. */
  purgeUser: number[];
  plain: number[];
  /** ms per user_stats refresh with nothing changed (purgeUser ends with one). */
  statsRefresh: number[];
  /** ms per restore (not a forget: tells how much of a run's time the bench itself takes). */
  restore: number[];
  /** Rows the real purge removed or changed in its last run, per table. */
  lastCounts: Record<string, number>;
  /** The person's messages the plain statements deleted, per run. */
  plainMessages: number[];
}

async function ownMessages(db: Database, userId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    drizzleSql`select count(*)::int as n from messages
               where team_id = ${TEAM} and user_id = ${userId}`,
  );
  return Number(row?.n ?? 0);
}

/** Fails the bench unless the workspace holds exactly the seeded rows again. */
async function expectRestored(sql: postgres.Sql, seeded: Record<string, number>): Promise<void> {
  const now = await rowCounts(sql);
  for (const [table, n] of Object.entries(seeded)) {
    if (now[table] !== n) throw new Error(`bench: ${table} has ${now[table]} rows, seeded ${n}`);
  }
}

export async function measurePersonPurge(
  db: Database,
  sql: postgres.Sql,
  seeded: Record<string, number>,
  runs: number,
  budgetMs: number,
): Promise<PersonPurgeTimings> {
  const store = createSqlForgetStore(db);
  const stats = createSqlUserStats(db);
  const out: PersonPurgeTimings = {
    runs,
    purgeUser: [],
    plain: [],
    statsRefresh: [],
    restore: [],
    lastCounts: {},
    plainMessages: [],
  };

  const real = async (userId: string) => {
    // forgetUser marks the person first: the purge then reads "what they said until now".
    await store.markForgotten(TEAM, userId, new Date());
    let counts: Record<string, number> = {};
    const ms = await timeMs(async () => {
      counts = (await store.purgeUser(TEAM, userId, { actor: userId, action: FORGET_ME_ACTION }))
        .counts;
    });
    const left = await ownMessages(db, userId);
    if (left !== 0 || !counts.messages) {
      throw new Error(`bench: purgeUser left ${left} messages (${JSON.stringify(counts)})`);
    }
    return { ms, counts };
  };

  const plain = async (userId: string) => {
    let deleted = 0;
    const ms = await timeMs(() =>
      db.transaction(async (tx) => {
        await tx.execute(drizzleSql`select set_config('pup.allow_redaction', 'on', true)`);
        const gone = await queryRows<{ id: number }>(
          tx,
          drizzleSql`delete from messages where team_id = ${TEAM} and user_id = ${userId}
                     returning id`,
        );
        deleted = gone.length;
        await tx.execute(
          drizzleSql`delete from slack_events where team_id = ${TEAM} and user_id = ${userId}`,
        );
      }),
    );
    if (deleted === 0 || (await ownMessages(db, userId)) !== 0) {
      throw new Error(`bench: the plain statements deleted ${deleted} messages`);
    }
    return { ms, deleted };
  };

  // Both forget the same person each round, taking turns going first. No warm-up round: a
  // forget takes seconds, so plans and caches are warm after its first statements anyway. Rounds
  // stop early (after at least one) once `budgetMs` is spent: on the schema as it is a round at
  // 50,000 messages takes over a minute (redacting the payloads grows with their square).
  const started = performance.now();
  for (let round = 0; round < runs; round++) {
    if (round > 0 && performance.now() - started > budgetMs) break;
    const userId = personId(round % PEOPLE);
    const realFirst = round % 2 === 0;
    for (const which of realFirst ? ["real", "plain"] : ["plain", "real"]) {
      if (which === "real") {
        const { ms, counts } = await real(userId);
        out.purgeUser.push(ms);
        out.lastCounts = counts;
      } else {
        const { ms, deleted } = await plain(userId);
        out.plain.push(ms);
        out.plainMessages.push(deleted);
      }
      out.restore.push(await timeMs(() => restoreWorkspace(sql)));
      await expectRestored(sql, seeded);
    }
    out.statsRefresh.push(await timeMs(() => stats.refresh()));
  }
  out.runs = out.purgeUser.length;
  return out;
}

export interface MessagePurgeTimings {
  /** ms per forgotten message: purgeMessage, and the two plain statements. */
  purgeMessage: number[];
  plain: number[];
}

/**
 * One message forgotten in the database (a Slack deletion, a Forget button): purgeMessage
 * against emptying the row and deleting its payload row alone, in one transaction. Each run
 * takes a message of its own and nothing is restored (a few tombstones among thousands), so it
 * runs after the "forget me" rounds.
 */
export async function measureMessagePurge(
  db: Database,
  runs: number,
): Promise<MessagePurgeTimings> {
  const store = createSqlForgetStore(db);
  const picked = await queryRows<{ channel_id: string; ts: string; id: number; source: number }>(
    db,
    drizzleSql`select channel_id, ts, id, source_event_id as source from messages
               where team_id = ${TEAM} and user_id is not null and deleted_at is null
                 and source_event_id is not null
               order by id limit ${2 * (runs + 1)} offset 1000`,
  );
  const out: MessagePurgeTimings = { purgeMessage: [], plain: [] };
  for (let k = -1; k < runs; k++) {
    const realFirst = k % 2 === 0;
    for (const real of realFirst ? [true, false] : [false, true]) {
      const row = picked[2 * (k + 1) + (real === realFirst ? 0 : 1)];
      if (!row) throw new Error("bench: not enough messages to forget");
      const ref = { teamId: TEAM, channelId: row.channel_id, ts: row.ts };
      let emptied = 0;
      const ms = real
        ? await timeMs(async () => {
            const purged = await store.purgeMessage(ref, { actor: "system", action: "bench" });
            emptied = purged.counts.messages ?? 0;
          })
        : await timeMs(() =>
            db.transaction(async (tx) => {
              await tx.execute(drizzleSql`select set_config('pup.allow_redaction', 'on', true)`);
              const gone = await queryRows<{ id: number }>(
                tx,
                drizzleSql`update messages set text = '', deleted_at = now()
                           where team_id = ${TEAM} and id = ${row.id} returning id`,
              );
              emptied = gone.length;
              await tx.execute(drizzleSql`delete from slack_events where id = ${row.source}`);
            }),
          );
      if (emptied < 1) throw new Error(`bench: message ${row.id} was not forgotten`);
      if (k >= 0) (real ? out.purgeMessage : out.plain).push(ms);
    }
  }
  return out;
}
