/**
 * The workspace part 2 of the forget benchmark forgets people in: M messages by 10 people in
 * 20 channels, each with its payload in the event log (plus edits and reactions), pup's replies
 * to some, summaries citing messages, profiles with sourced facts (some about others), mood
 * history and archived messages. Seeded in bulk with SQL (not through the pipeline), then copied
 * into a schema of its own, so every forget can be undone and each run starts from the same rows.
 */
import type postgres from "postgres";

export const TEAM = "T0BENCHFORGET";
export const PEOPLE = 10;
const CHANNELS = 20;
/** Unix seconds of the first message; message m is posted at BASE + m. */
const BASE = 1_750_000_000;
const SNAPSHOT = "bench_seed";

/** Tables a forget changes, in the order rows are put back (foreign keys first). */
const RESTORED = [
  "slack_events",
  "messages",
  "archived_messages",
  "conversation_summaries",
  "conversation_summary_sources",
  "user_profiles",
  "user_profile_facts",
  "user_profile_fact_sources",
  "users",
  "bot_replies",
  "mood_transitions",
] as const;

/** The word statistics (migration 0003), kept by a trigger on messages. */
const LEXEMES = ["lexeme_stats", "lexeme_totals"] as const;
const LEXEME_TRIGGER = "messages_lexeme_stats";

/** Each table's key, for finding the rows a forget removed. */
const KEYS: Record<(typeof RESTORED)[number], string[]> = {
  slack_events: ["id"],
  messages: ["id"],
  archived_messages: ["id"],
  conversation_summaries: ["id"],
  conversation_summary_sources: ["summary_id", "message_id"],
  user_profiles: ["team_id", "user_id"],
  user_profile_facts: ["id"],
  user_profile_fact_sources: ["fact_id", "message_id"],
  users: ["team_id", "user_id"],
  bot_replies: ["id"],
  mood_transitions: ["id"],
};

/** Columns a forget updates in place (the rest it deletes). */
const UPDATED: Partial<Record<(typeof RESTORED)[number], string[]>> = {
  users: ["name", "display_name", "real_name", "forgotten_at"],
  bot_replies: ["error"],
  mood_transitions: ["trigger_message_ts", "trigger_event_id", "trigger_user_id"],
  user_profile_facts: ["superseded_at", "superseded_by"],
};

export const personId = (u: number) => `U${String(u).padStart(4, "0")}`;

/** SQL for person, channel and ts of message `m` (an integer column or expression). */
const person = (m: string) => `'U' || lpad((${m} % ${PEOPLE})::text, 4, '0')`;
const channel = (m: string) => `'C' || lpad(((${m} / 7) % ${CHANNELS})::text, 4, '0')`;
const stamp = (m: string, micro: string) => `(${BASE} + ${m})::text || '.${micro}'`;

/** Seeds the workspace with `messages` messages; returns each table's row count. */
export async function seedWorkspace(
  sql: postgres.Sql,
  messages: number,
): Promise<Record<string, number>> {
  const T = `'${TEAM}'`;
  const M = Math.trunc(messages);
  const text = `(array['the release train leaves on Wednesday', 'ok, thanks!',
      'I will write the changelog for billing v2', 'QA found a blocker in the checkout flow',
      'design picked the blue palette for onboarding', 'standup moved to 10:30 tomorrow',
      'can someone review this PR?', 'lunch at the usual place?'])[1 + m % 8]
      || ' (ticket ' || (m % 997)::text || ')'`;
  await sql.begin(async (tx) => {
    await tx.unsafe(`insert into workspaces (team_id, name) values (${T}, 'bench')`);
    await tx.unsafe(`insert into channels (team_id, channel_id, name, visibility)
      select ${T}, 'C' || lpad(c::text, 4, '0'), 'channel-' || c, 'public_channel'
      from generate_series(0, ${CHANNELS - 1}) c`);
    await tx.unsafe(`insert into users (team_id, user_id, name, display_name, real_name)
      select ${T}, ${person("u")}, 'person' || u, 'Person ' || u, 'Person Number ' || u
      from generate_series(0, ${PEOPLE - 1}) u`);
    // Every message's payload as Slack sends it; every 23rd edited, every 17th reacted to (the
    // strides are prime to the 10 people, so everyone has some).
    await tx.unsafe(`insert into slack_events
        (team_id, event_id, kind, event_type, user_id, channel_id, payload, received_at)
      select ${T}, 'Ev' || m, 'event', 'message', ${person("m")}, ${channel("m")},
        jsonb_build_object('token', 'bench', 'team_id', ${T}, 'api_app_id', 'A0BENCH',
          'type', 'event_callback', 'event_id', 'Ev' || m, 'event_time', ${BASE} + m,
          'event', jsonb_build_object('type', 'message', 'user', ${person("m")}, 'text', ${text},
            'ts', ${stamp("m", "000100")}, 'channel', ${channel("m")},
            'event_ts', ${stamp("m", "000100")}, 'channel_type', 'channel')),
        to_timestamp(${BASE} + m)
      from generate_series(1, ${M}) m`);
    await tx.unsafe(`insert into slack_events
        (team_id, event_id, kind, event_type, user_id, channel_id, payload, received_at)
      select ${T}, 'EvE' || m, 'event', 'message', null, ${channel("m")},
        jsonb_build_object('type', 'event_callback', 'event_id', 'EvE' || m,
          'event_time', ${BASE} + m + 60,
          'event', jsonb_build_object('type', 'message', 'subtype', 'message_changed',
            'channel', ${channel("m")}, 'ts', ${stamp("m", "000200")},
            'message', jsonb_build_object('type', 'message', 'user', ${person("m")},
              'text', ${text} || ' (edited)', 'ts', ${stamp("m", "000100")}),
            'previous_message', jsonb_build_object('type', 'message', 'user', ${person("m")},
              'text', ${text}, 'ts', ${stamp("m", "000100")}))),
        to_timestamp(${BASE} + m + 60)
      from generate_series(23, ${M}, 23) m`);
    await tx.unsafe(`insert into slack_events
        (team_id, event_id, kind, event_type, user_id, channel_id, payload, received_at)
      select ${T}, 'EvR' || m, 'event', 'reaction_added', ${person("m + 3")}, ${channel("m")},
        jsonb_build_object('type', 'event_callback', 'event_id', 'EvR' || m,
          'event_time', ${BASE} + m + 30,
          'event', jsonb_build_object('type', 'reaction_added', 'user', ${person("m + 3")},
            'reaction', 'tada', 'item_user', ${person("m")},
            'item', jsonb_build_object('type', 'message', 'channel', ${channel("m")},
              'ts', ${stamp("m", "000100")}))),
        to_timestamp(${BASE} + m + 30)
      from generate_series(17, ${M}, 17) m`);
    // The word statistics trigger, row by row in one transaction, rewrites the same few word
    // rows 50,000 times (minutes); they are computed once at the end, as migration 0003 does.
    await tx.unsafe(`alter table messages disable trigger ${LEXEME_TRIGGER}`);
    await tx.unsafe(`insert into messages
        (team_id, channel_id, ts, user_id, text, visibility, posted_at, source_event_id)
      select team_id, channel_id, payload #>> '{event,ts}', user_id, payload #>> '{event,text}',
        'public_channel', received_at, id
      from slack_events
      where team_id = ${T} and event_type = 'message' and payload #>> '{event,subtype}' is null`);
    // pup answered every 49th message in its thread.
    await tx.unsafe(`insert into bot_replies (team_id, trigger_event_id, channel_id, thread_ts,
        send_key, reply_ts, status, model, finished_at)
      select ${T}, 'Ev' || m, ${channel("m")}, ${stamp("m", "000100")},
        'reply:' || ${channel("m")} || ':' || ${stamp("m", "000100")}, ${stamp("m", "000300")},
        'sent', 'bench', to_timestamp(${BASE} + m + 2)
      from generate_series(49, ${M}, 49) m`);
    await tx.unsafe(`insert into messages
        (team_id, channel_id, ts, thread_ts, bot_id, text, visibility, posted_at)
      select ${T}, channel_id, reply_ts, thread_ts, 'B0PUP', 'pup: noted, thanks', 'public_channel',
        finished_at
      from bot_replies where team_id = ${T}`);
    await tx.unsafe(`insert into archived_messages
        (id, team_id, channel_id, ts, user_id, text, visibility, posted_at)
      select 100000000 + m, ${T}, ${channel("m")}, (${BASE - 10_000_000} + m)::text || '.000100',
        ${person("m")}, 'an old message ' || m, 'public_channel', to_timestamp(${BASE - 10_000_000} + m)
      from generate_series(1, ${Math.ceil(M / 25)}) m`);
    // Ten summaries per channel over the whole history, each citing 25 messages of its period.
    const span = Math.max(1, Math.ceil(M / 10));
    await tx.unsafe(`insert into conversation_summaries
        (team_id, channel_id, period_start, period_end, summary, source_user_ids, model)
      select ${T}, c.channel_id, to_timestamp(${BASE} + p * ${span}),
        to_timestamp(${BASE} + (p + 1) * ${span}), 'what was said in ' || c.channel_id,
        coalesce((select array_agg(distinct s.user_id) from (
          select m.user_id from messages m
          where m.team_id = ${T} and m.channel_id = c.channel_id and m.bot_id is null
            and m.posted_at >= to_timestamp(${BASE} + p * ${span})
            and m.posted_at < to_timestamp(${BASE} + (p + 1) * ${span})
          order by m.posted_at limit 25) s), '{}'), 'bench'
      from channels c, generate_series(0, 9) p where c.team_id = ${T}`);
    await tx.unsafe(`insert into conversation_summary_sources (summary_id, message_id, team_id)
      select s.id, m.id, ${T} from conversation_summaries s
      cross join lateral (select id from messages m
        where m.team_id = s.team_id and m.channel_id = s.channel_id and m.bot_id is null
          and m.posted_at >= s.period_start and m.posted_at < s.period_end
        order by m.posted_at limit 25) m
      where s.team_id = ${T}`);
    // 40 facts per person: 30 from their own messages, 10 from a colleague's (about them).
    await tx.unsafe(`insert into user_profiles (team_id, user_id, summary)
      select team_id, user_id, 'works on billing' from users where team_id = ${T}`);
    await tx.unsafe(`insert into user_profile_facts (team_id, user_id, fact, confidence)
      select ${T}, ${person("u")}, 'fact ' || f || ' about person ' || u, 0.8
      from generate_series(0, ${PEOPLE - 1}) u, generate_series(0, 39) f order by u, f`);
    await tx.unsafe(`insert into user_profile_fact_sources (fact_id, message_id, team_id)
      select f.id, m.id, ${T}
      from (select id, user_id, row_number() over (partition by user_id order by id) - 1 as k
            from user_profile_facts where team_id = ${T}) f
      cross join lateral (select id from messages m
        where m.team_id = ${T} and m.user_id = case when f.k < 30 then f.user_id
          else ${person("(substr(f.user_id, 2)::int + 1)")} end
        order by m.id offset f.k * 3 limit 2) m`);
    await tx.unsafe(`insert into mood_transitions (team_id, channel_id, from_mood, to_mood, reason,
        trigger_message_ts, trigger_event_id, trigger_user_id, at)
      select ${T}, m.channel_id, 'neutral', 'friendly', 'bench', m.ts, e.event_id, m.user_id,
        m.posted_at
      from messages m join slack_events e on e.id = m.source_event_id
      where m.team_id = ${T} and m.id % 97 = 0`);
    await tx.unsafe(`alter table messages enable trigger ${LEXEME_TRIGGER}`);
    await tx.unsafe(`insert into lexeme_stats (team_id, lexeme, docs, tokens)
      select m.team_id, w.lexeme, count(*)::integer, sum(coalesce(cardinality(w.positions), 1))
      from messages m cross join lateral unnest(m.search) w
      where m.team_id = ${T} and length(m.search) > 0 group by m.team_id, w.lexeme`);
    await tx.unsafe(`insert into lexeme_totals (team_id, shard, docs, tokens)
      select m.team_id, (m.id % 16)::smallint, count(*)::integer,
        sum((select coalesce(sum(coalesce(cardinality(w.positions), 1)), 0) from unnest(m.search) w))
      from messages m where m.team_id = ${T} and length(m.search) > 0
      group by m.team_id, (m.id % 16)`);
  });
  await sql.unsafe("refresh materialized view user_stats");
  await sql.unsafe(`create schema ${SNAPSHOT}`);
  for (const table of [...RESTORED, ...LEXEMES]) {
    await sql.unsafe(`create table ${SNAPSHOT}.${table} as table public.${table}`);
  }
  await vacuum(sql);
  return rowCounts(sql);
}

/** Each restored table's row count (the workspace's, all of them being the bench's). */
export async function rowCounts(sql: postgres.Sql): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of RESTORED) {
    const [row] = await sql.unsafe(`select count(*)::int as n from public.${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Puts back every row a forget removed and every column it changed, then vacuums. */
export async function restoreWorkspace(sql: postgres.Sql): Promise<void> {
  const columns = await writableColumns(sql);
  await sql.begin(async (tx) => {
    // Rows put back in one transaction would hit the word statistics trigger's slow case (see
    // seedWorkspace); the statistics are copied back whole instead.
    await tx.unsafe(`alter table messages disable trigger ${LEXEME_TRIGGER}`);
    for (const table of LEXEMES) {
      await tx.unsafe(`delete from public.${table}`);
      await tx.unsafe(`insert into public.${table} select * from ${SNAPSHOT}.${table}`);
    }
    for (const table of RESTORED) {
      const list = (columns[table] ?? []).join(", ");
      const keys = KEYS[table].map((k) => `t.${k} = s.${k}`).join(" and ");
      await tx.unsafe(`insert into public.${table} (${list}) overriding system value
        select ${list} from ${SNAPSHOT}.${table} s
        where not exists (select 1 from public.${table} t where ${keys})`);
      const changed = UPDATED[table];
      if (changed) {
        const set = changed.map((c) => `${c} = s.${c}`).join(", ");
        const differs = `(${changed.map((c) => `t.${c}`).join(", ")}) is distinct from
                         (${changed.map((c) => `s.${c}`).join(", ")})`;
        await tx.unsafe(`update public.${table} t set ${set} from ${SNAPSHOT}.${table} s
          where ${keys} and ${differs}`);
      }
    }
    await tx.unsafe(`alter table messages enable trigger ${LEXEME_TRIGGER}`);
  });
  await sql.unsafe("refresh materialized view user_stats");
  await vacuum(sql);
}

/** Each table's columns that can be written (a generated column such as messages.search cannot). */
async function writableColumns(sql: postgres.Sql): Promise<Record<string, string[]>> {
  const found = await sql<{ table_name: string; column_name: string }[]>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and is_generated = 'NEVER' and table_name in ${sql([...RESTORED])}
    order by table_name, ordinal_position`;
  const columns: Record<string, string[]> = {};
  for (const row of found) {
    columns[row.table_name] = [...(columns[row.table_name] ?? []), row.column_name];
  }
  return columns;
}

/** Dead rows left by a forget would slow the next run's scans: every run starts vacuumed. */
async function vacuum(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`vacuum analyze ${[...RESTORED, ...LEXEMES].join(", ")}`);
}
