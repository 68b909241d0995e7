/**
 * A workspace with a past for the cleanup tests, on the commands world (the test PostgreSQL and
 * Redis): messages, raw payloads, mood transitions, a summary and profile facts on both sides of
 * a 30-day retention, with vectors on the messages so recall can find them.
 */
import type postgres from "postgres";
import { ADMIN, CHANNEL, type CommandsWorld, T0 } from "../commands/fixture";

export const DAY = 24 * 60 * 60 * 1000;
export const RETENTION_DAYS = 30;
/** A word every seeded message says, so recall has something to find. */
export const WORD = "zebra";

const at = (daysAgo: number) => new Date(T0 - daysAgo * DAY);
const vector = () => Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0));

export interface Seeded {
  /** ts -> message id. */
  ids: Record<"old1" | "old2" | "oldDeleted" | "recent", number>;
  facts: Record<"onlyOld" | "oldAndRecent" | "unsourced", number>;
  summaries: Record<"old" | "recent", number>;
}

export async function seedPast(world: CommandsWorld, sql: postgres.Sql): Promise<Seeded> {
  const { teamId } = world;
  const { messages } = world.services.deps;
  await sql`insert into workspaces (team_id) values (${teamId}) on conflict do nothing`;
  await sql`insert into channels (team_id, channel_id, name, visibility)
            values (${teamId}, ${CHANNEL}, 'general', 'public_channel') on conflict do nothing`;
  const say = async (ts: string, daysAgo: number) =>
    (
      await messages.upsert({
        teamId,
        channelId: CHANNEL,
        ts,
        userId: ADMIN,
        text: `the ${WORD} plan, take ${ts}`,
        postedAt: at(daysAgo),
      })
    ).id;
  const ids = {
    old1: await say("1000.000001", 40),
    old2: await say("1000.000002", 35),
    oldDeleted: await say("1000.000003", 33),
    recent: await say("1000.000004", 5),
  };
  await messages.setEmbeddings(
    teamId,
    Object.values(ids).map((messageId) => ({ messageId, embedding: vector() })),
    "test-embedder",
  );
  await messages.softDelete({ teamId, channelId: CHANNEL, ts: "1000.000003" }, at(32));

  for (const [eventId, daysAgo] of [
    ["Ev0OLD0001", 40],
    ["Ev0OLD0002", 31],
    ["Ev0NEW0001", 29],
  ] as const) {
    await sql`insert into slack_events (team_id, event_id, kind, event_type, payload, received_at)
              values (${teamId}, ${eventId}, 'event', 'message',
                      ${sql.json({ text: `${WORD} payload` })}, ${at(daysAgo)})`;
  }
  for (const daysAgo of [45, 31, 10]) {
    await sql`insert into mood_transitions (team_id, channel_id, from_mood, to_mood, reason, at)
              values (${teamId}, ${CHANNEL}, 'neutral', 'friendly', 'test', ${at(daysAgo)})`;
  }

  const summary = async (endDaysAgo: number, sources: number[]) => {
    const [row] = await sql`insert into conversation_summaries
        (team_id, channel_id, period_start, period_end, summary)
        values (${teamId}, ${CHANNEL}, ${at(endDaysAgo + 1)}, ${at(endDaysAgo)}, 'a summary')
        returning id`;
    const id = Number(row?.id);
    for (const messageId of sources) {
      await sql`insert into conversation_summary_sources (summary_id, message_id, team_id)
                values (${id}, ${messageId}, ${teamId})`;
    }
    return id;
  };
  const summaries = { old: await summary(34, [ids.old2]), recent: await summary(4, [ids.recent]) };

  await sql`insert into user_profiles (team_id, user_id) values (${teamId}, ${ADMIN})`;
  const fact = async (text: string, sources: number[]) => {
    const [row] = await sql`insert into user_profile_facts (team_id, user_id, fact)
                            values (${teamId}, ${ADMIN}, ${text}) returning id`;
    const id = Number(row?.id);
    for (const messageId of sources) {
      await sql`insert into user_profile_fact_sources (fact_id, message_id, team_id)
                values (${id}, ${messageId}, ${teamId})`;
    }
    return id;
  };
  const facts = {
    onlyOld: await fact("likes zebras", [ids.old1, ids.old2]),
    oldAndRecent: await fact("plans things", [ids.old1, ids.recent]),
    unsourced: await fact("was typed in by hand", []),
  };
  return { ids, facts, summaries };
}

/** What is left of the seeded past, read straight from PostgreSQL. */
export async function whatIsLeft(world: CommandsWorld, sql: postgres.Sql) {
  const { teamId } = world;
  const ids = async (query: Promise<postgres.RowList<postgres.Row[]>>) =>
    (await query).map((row) => Number(row.id));
  return {
    messages: await ids(sql`select id from messages where team_id = ${teamId} order by id`),
    archived: await ids(
      sql`select id from archived_messages where team_id = ${teamId} order by id`,
    ),
    events: (
      await sql`select event_id from slack_events where team_id = ${teamId} order by id`
    ).map((row) => String(row.event_id)),
    moodTransitions: (
      await sql`select count(*)::int as n from mood_transitions where team_id = ${teamId}`
    )[0]?.n as number,
    summaries: await ids(
      sql`select id from conversation_summaries where team_id = ${teamId} order by id`,
    ),
    facts: await ids(sql`select id from user_profile_facts where team_id = ${teamId} order by id`),
    factSources: (
      await sql`select fact_id, message_id from user_profile_fact_sources
                where team_id = ${teamId} order by fact_id, message_id`
    ).map((row) => [Number(row.fact_id), Number(row.message_id)]),
  };
}
