// "Forget me" in the database (ADR-034): after ForgetStore.purgeUser, no table or view holds a
// word Alice said, a name she had, or a summary or fact drawn only from her; Bob's words,
// facts, summary and recall are untouched; the audit row counts without repeating anything.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { scanDatabase } from "../../setup/residue-scan";
import {
  count,
  eventDelivery,
  type ForgetWorld,
  logged,
  openWorld,
  PUP,
  PUP_BOT,
  tsAt,
} from "./fixture";
import { DM, type People, PRIVATE, PUBLIC, seedPeople } from "./seed-people";

let world: ForgetWorld;
let people: People;
const AUDIT = { actor: "", action: "privacy.forget_me" };

beforeAll(async () => {
  world = openWorld();
  people = await seedPeople(world);
  AUDIT.actor = people.alice;
});

afterAll(async () => {
  await world.close();
});

describe("purgeUser", () => {
  test("the scan finds Alice's words before the purge (it can fail)", async () => {
    const before = await scanDatabase(world.sql, people.aliceNeedles);
    const tables = new Set(before.hits.map((hit) => hit.table));
    for (const table of [
      "messages",
      "slack_events",
      "conversation_summaries",
      "user_profile_facts",
      "archived_messages",
      "bot_replies",
      "users",
      "lexeme_stats",
    ]) {
      expect(tables).toContain(table);
    }
  });

  test("leaves no word of Alice's in any table or view, and Bob's all in place", async () => {
    const { forgets } = world.store;
    const { teamId, alice } = people;
    await forgets.markForgotten(teamId, alice, new Date());
    const result = await forgets.purgeUser(teamId, alice, AUDIT);

    const scan = await scanDatabase(world.sql, people.aliceNeedles);
    expect(scan.hits).toEqual([]);
    expect(scan.tables).toBeGreaterThanOrEqual(20);
    expect(scan.rows).toBeGreaterThan(0);
    // Positive control: the same scan still finds Bob's words where they were.
    const bob = await scanDatabase(world.sql, people.bobNeedles);
    const bobTables = new Set(bob.hits.map((hit) => hit.table));
    for (const table of [
      "messages",
      "slack_events",
      "conversation_summaries",
      "archived_messages",
    ]) {
      expect(bobTables).toContain(table);
    }

    // What the caller needs to clear the copies outside the database.
    const refs = result.refs.map((ref) => `${ref.channelId}:${ref.ts}`);
    expect(refs).toContain(`${DM}:${people.replies.toAlice}`);
    expect(refs).not.toContain(`${PUBLIC}:${people.replies.toBob}`);
    expect(result.refs.every((ref) => ref.teamId === teamId)).toBe(true);
    expect(result.channelIds.sort()).toEqual([DM, PRIVATE, PUBLIC].sort());
    expect(result.summaryPeriods).toHaveLength(1);
    expect(result.summaryPeriods[0]?.channelId).toBe(PUBLIC);
    expect(result.counts).toMatchObject({
      messages: 5, // four of hers and pup's reply to her
      archived_messages: 1,
      bot_replies: 1,
      conversation_summaries: 1,
      user_profiles: 1,
      user_profile_facts: 2, // her own, and the one about Bob drawn only from her
      mood_transitions: 1,
      // Her messages, the edit, the deletion (twice), the thread notice, the command, the
      // button, and pup's reply echoed back.
      slack_events: 12,
      users: 0, // markForgotten cleared her names already
    });
  });

  test("Bob keeps his messages, facts (one losing a source), summary, reply and payloads", async () => {
    const { sql } = world;
    const { teamId, bob, facts } = people;
    const messages = await sql`select id, user_id from messages
                               where team_id = ${teamId} order by id`;
    expect(messages.map((row) => [Number(row.id), row.user_id])).toEqual([
      [people.bobIds.public, bob],
      [people.bobIds.private, bob],
      [expect.any(Number), PUP], // pup's reply to Bob
    ]);
    const kept = await sql`select f.id, count(s.message_id)::int as sources
                           from user_profile_facts f
                           left join user_profile_fact_sources s on s.fact_id = f.id
                           where f.team_id = ${teamId} group by f.id order by f.id`;
    expect(kept.map((row) => [Number(row.id), row.sources])).toEqual([
      [facts.bobFromBoth, 1],
      [facts.bobOwn, 1],
    ]);
    const summaries = await sql`select id from conversation_summaries where team_id = ${teamId}`;
    expect(summaries.map((row) => Number(row.id))).toEqual([people.summaries.bobOnly]);
    const mention = await world.store.eventLog.find(teamId, people.bobMentionEvent);
    expect(mention?.userId).toBe(bob);
    const reply = await world.store.messages.find({
      teamId,
      channelId: PUBLIC,
      ts: people.replies.toBob,
    });
    expect(reply?.text).toContain(people.bobWord);
    // Recall still finds Bob, and nothing of Alice.
    const scope = { teamId, fromChannelId: PUBLIC, limit: 10 };
    const found = await world.store.messages.search(scope, people.bobWord);
    expect(found.map((hit) => hit.message.userId)).toContain(bob);
    for (const word of people.aliceWords) {
      expect(await world.store.messages.search(scope, word)).toEqual([]);
    }
  });

  test("word statistics, the statistics view, mood history, her user row", async () => {
    const { sql } = world;
    const { teamId, alice, bob } = people;
    const words = await sql`select lexeme from lexeme_stats
                            where team_id = ${teamId} and lexeme = any(${people.aliceWords})`;
    expect(words).toHaveLength(0);
    const bobs = await sql`select lexeme from lexeme_stats
                           where team_id = ${teamId} and lexeme = ${people.bobWord}`;
    expect(bobs).toHaveLength(1);
    const stats = await sql`select user_id from user_stats where team_id = ${teamId}`;
    expect(stats.map((row) => row.user_id).sort()).toEqual([PUP, bob].sort());
    const moods = await sql`select trigger_message_ts, trigger_event_id, trigger_user_id
                            from mood_transitions where team_id = ${teamId} order by at`;
    expect(moods[0]).toEqual({
      trigger_message_ts: null,
      trigger_event_id: null,
      trigger_user_id: null,
    });
    expect(moods[1]?.trigger_user_id).toBe(bob);
    expect(moods[1]?.trigger_event_id).not.toBeNull();
    const [user] = await sql`select * from users where team_id = ${teamId} and user_id = ${alice}`;
    expect(user?.forgotten_at).toBeInstanceOf(Date);
    expect([user?.name, user?.display_name, user?.real_name]).toEqual([null, null, null]);
    // pup's reply to her keeps its cost, not its error text.
    const [claim] = await sql`select status, prompt_tokens, error from bot_replies
                              where team_id = ${teamId} and send_key = ${people.aliceReplySendKey}`;
    expect(claim).toEqual({ status: "failed", prompt_tokens: 9, error: "forgotten" });
  });

  test("one audit row: who asked and counts, no content", async () => {
    const rows = await world.sql`select actor, action, subject, details from audit_log
                                 where team_id = ${people.teamId}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: people.alice,
      action: AUDIT.action,
      subject: people.alice,
    });
    expect(Object.keys(rows[0]?.details)).toEqual(["counts"]);
    expect(Object.values(rows[0]?.details.counts).every((n) => typeof n === "number")).toBe(true);
  });

  test("a second purge finds nothing and still works (the sweep)", async () => {
    const again = await world.store.forgets.purgeUser(people.teamId, people.alice, AUDIT);
    expect(again.refs).toEqual([]);
    expect(again.summaryPeriods).toEqual([]);
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
    const audits = await count(
      world.sql`select count(*)::int as n from audit_log where team_id = ${people.teamId}`,
    );
    expect(audits).toBe(2);
  });

  test("the sweep removes pup's reply to her that was in flight during the purge", async () => {
    const { store } = world;
    const { teamId, alice } = people;
    // A reply claimed before the purge (its trigger: her payload) is posted and stored after.
    const sendKey = `reply:${DM}:${tsAt(new Date(Date.UTC(2026, 5, 1, 13)))}`;
    await world.sql`insert into bot_replies (team_id, trigger_event_id, channel_id, send_key, error)
                    values (${teamId}, ${`EvA9${teamId}`}, ${DM}, ${sendKey}, 'forgotten')`;
    const replyTs = tsAt(new Date(Date.UTC(2026, 5, 1, 13, 1)));
    await store.botReplies.recordSent(teamId, sendKey, { replyTs });
    const late = `late answer about ${people.aliceWords[2]}`;
    await store.messages.upsert({
      teamId,
      channelId: DM,
      ts: replyTs,
      userId: PUP,
      botId: PUP_BOT,
      text: late,
      postedAt: new Date(),
    });
    expect((await scanDatabase(world.sql, [late])).hits.length).toBeGreaterThan(0);
    const swept = await store.forgets.purgeUser(teamId, alice, AUDIT);
    expect(swept.refs).toEqual([{ teamId, channelId: DM, ts: replyTs }]);
    expect((await scanDatabase(world.sql, [late])).hits).toEqual([]);
    // Bob's reply is not marked, so it stays.
    expect(
      await store.messages.find({ teamId, channelId: PUBLIC, ts: people.replies.toBob }),
    ).toBeDefined();
  });

  test("a sweep after she speaks to pup again leaves the new conversation alone", async () => {
    const { store, sql } = world;
    const { teamId, alice } = people;
    const now = new Date(Date.now() + 1000);
    const ts = tsAt(now);
    const text = `alice is back with ${people.bobWord}`;
    const event = { type: "message", user: alice, text, ts, channel: DM };
    const id = await logged(world, eventDelivery(teamId, `EvBack${teamId}`, now, event));
    const back = await store.messages.upsert({
      teamId,
      channelId: DM,
      ts,
      userId: alice,
      text,
      postedAt: now,
      sourceEventId: id,
    });
    expect(back.id).toBeGreaterThan(0);
    await sql`insert into mood_transitions (team_id, channel_id, from_mood, to_mood, reason,
                trigger_message_ts, trigger_user_id, at)
              values (${teamId}, ${DM}, 'neutral', 'friendly', 'thanked once', ${ts}, ${alice}, ${now})`;
    const swept = await store.forgets.purgeUser(teamId, alice, AUDIT);
    expect(Object.values(swept.counts).every((n) => n === 0)).toBe(true);
    expect((await store.messages.find({ teamId, channelId: DM, ts }))?.text).toBe(text);
    expect(await store.eventLog.find(teamId, `EvBack${teamId}`)).toBeDefined();
    const [mood] = await sql`select trigger_user_id from mood_transitions
                             where team_id = ${teamId} and trigger_message_ts = ${ts}`;
    expect(mood?.trigger_user_id).toBe(alice);
  });

  test("unmarked (never asked), a purge takes everything the person ever said", async () => {
    const { store } = world;
    const { teamId, bob } = people;
    const purged = await store.forgets.purgeUser(teamId, bob, { actor: "system", action: "test" });
    expect(purged.counts.messages).toBe(3); // his two and pup's reply to him
    expect((await scanDatabase(world.sql, people.bobNeedles.slice(0, 2))).hits).toEqual([]);
  });
});
