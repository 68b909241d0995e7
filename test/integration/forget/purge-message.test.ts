// Forgetting one message in the database (ADR-034): ForgetStore.purgeMessage empties its row (a
// tombstone the same ts never overwrites), removes pup's reply to it, the summaries and facts
// drawn only from it, and the event log's payloads that carry it; another message stays whole.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MessageRef } from "../../../core/src/ports/message-store";
import { scanDatabase } from "../../setup/residue-scan";
import {
  embedding,
  eventDelivery,
  type ForgetWorld,
  logged,
  oddWord,
  openWorld,
  PUP,
  PUP_BOT,
  tsAt,
  workspaceWith,
} from "./fixture";

const CHANNEL = "C0MSGFORG1";
const BOB = "U0BOBMSG01";
const DAVE = "U0DAVEMSG1";
const AT = new Date(Date.UTC(2026, 6, 1, 9, 0));
const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);
const AUDIT = { actor: BOB, action: "privacy.forget_message" };

let world: ForgetWorld;
let teamId: string;
let gone: MessageRef;
let goneId: number;
let keptId: number;
const goneWord = oddWord();
const keptWord = oddWord();
const goneText = `bob admits the ${goneWord} mistake`;
const keptText = `bob reports the ${keptWord} numbers`;
const replyText = `about the ${goneWord} mistake: fine`;
let summaries: { cited: number; other: number };
let facts: { onlyGone: number; both: number; daveOnlyGone: number };
let archived: MessageRef;

beforeAll(async () => {
  world = openWorld();
  const { store, sql } = world;
  teamId = await workspaceWith(world, { [CHANNEL]: "public_channel" });
  const say = async (text: string, at: Date, eventId: string) => {
    const ts = tsAt(at);
    const event = { type: "message", user: BOB, text, ts, channel: CHANNEL };
    const sourceEventId = await logged(world, eventDelivery(teamId, eventId, at, event));
    const stored = await store.messages.upsert({
      teamId,
      channelId: CHANNEL,
      ts,
      userId: BOB,
      text,
      postedAt: at,
      sourceEventId,
    });
    await store.messages.setEmbedding(teamId, stored.id, embedding(stored.id % 500), "e", text);
    return stored;
  };
  const first = await say(goneText, later(1), `EvM1${teamId}`);
  const second = await say(keptText, later(2), `EvM2${teamId}`);
  gone = { teamId, channelId: CHANNEL, ts: first.ts };
  goneId = first.id;
  keptId = second.id;
  // Its edit and its deletion, as Slack sends them.
  await logged(
    world,
    eventDelivery(teamId, `EvM3${teamId}`, later(3), {
      type: "message",
      subtype: "message_changed",
      channel: CHANNEL,
      ts: tsAt(later(3)),
      message: { type: "message", user: BOB, text: `${goneText}!`, ts: first.ts },
    }),
  );
  await logged(
    world,
    eventDelivery(teamId, `EvM4${teamId}`, later(4), {
      type: "message",
      subtype: "message_deleted",
      channel: CHANNEL,
      ts: tsAt(later(4)),
      deleted_ts: first.ts,
      previous_message: { type: "message", user: BOB, text: goneText, ts: first.ts },
    }),
  );
  // pup's reply to it.
  const sendKey = `reply:${CHANNEL}:${first.ts}`;
  await store.botReplies.claim({
    teamId,
    sendKey,
    channelId: CHANNEL,
    triggerEventId: `EvM1${teamId}`,
  });
  const replyTs = tsAt(later(5));
  await store.botReplies.recordSent(teamId, sendKey, { replyTs, promptTokens: 4 });
  await store.messages.upsert({
    teamId,
    channelId: CHANNEL,
    ts: replyTs,
    threadTs: first.ts,
    userId: PUP,
    botId: PUP_BOT,
    text: replyText,
    postedAt: later(5),
  });
  const summary = (text: string, ids: number[], start: number) =>
    store.derived.saveSummary({
      teamId,
      channelId: CHANNEL,
      periodStart: later(start),
      periodEnd: later(start + 30),
      summary: text,
      sourceUserIds: [BOB],
      sourceMessageIds: ids,
    });
  summaries = {
    cited: await summary(
      `bob admitted ${goneWord}; reported ${keptWord}`,
      [first.id, second.id],
      0,
    ),
    other: await summary(`bob reported ${keptWord}`, [second.id], 100),
  };
  const fact = (userId: string, text: string, ids: number[]) =>
    store.derived.addFact({ teamId, userId, fact: text, sourceMessageIds: ids });
  facts = {
    onlyGone: await fact(BOB, "makes mistakes", [first.id]),
    both: await fact(BOB, "reports numbers", [first.id, second.id]),
    daveOnlyGone: await fact(DAVE, "was blamed once", [first.id]),
  };
  await sql`insert into mood_transitions (team_id, channel_id, from_mood, to_mood, reason,
              trigger_message_ts, trigger_event_id, trigger_user_id, at)
            values (${teamId}, ${CHANNEL}, 'neutral', 'friendly', 'thanked once', ${first.ts},
                    ${`EvM1${teamId}`}, ${BOB}, ${later(1)})`;
  archived = { teamId, channelId: CHANNEL, ts: tsAt(AT) };
  await sql`insert into archived_messages (id, team_id, channel_id, ts, user_id, text, visibility, posted_at)
            values (${9_500_000_000 + Math.floor(Math.random() * 1e8)}, ${teamId}, ${CHANNEL},
                    ${archived.ts}, ${DAVE}, ${`dave said ${goneWord} long ago`}, 'public_channel', ${AT})`;
});

afterAll(async () => {
  await world.close();
});

describe("purgeMessage", () => {
  test("empties the row, removes what was drawn only from it, redacts its payloads", async () => {
    const { store, sql } = world;
    const before = await scanDatabase(sql, [goneText, replyText]);
    expect(new Set(before.hits.map((hit) => hit.table))).toEqual(
      new Set(["messages", "slack_events"]),
    );
    expect(await store.forgets.authorOf(gone)).toBe(BOB);

    const result = await store.forgets.purgeMessage(gone, AUDIT);
    expect(result.refs.map((ref) => ref.ts).sort()).toHaveLength(2); // it and pup's reply
    expect(result.channelIds).toEqual([CHANNEL]);
    expect(result.summaryPeriods).toEqual([
      { teamId, channelId: CHANNEL, threadTs: null, periodStart: later(0), periodEnd: later(30) },
    ]);
    expect(result.counts).toEqual({
      messages: 2, // its row emptied, pup's reply deleted
      archived_messages: 0,
      bot_replies: 1,
      conversation_summaries: 1,
      user_profile_facts: 2, // drawn only from it: Bob's and the one about Dave
      mood_transitions: 1,
      slack_events: 3, // the message, its edit, its deletion
    });

    // Nothing of it anywhere (the archived copy of Dave's message says the word, so: the text).
    const scan = await scanDatabase(sql, [goneText, replyText, `${goneText}!`]);
    expect(scan.hits).toEqual([]);
    const kept = await scanDatabase(sql, [keptText]);
    expect(new Set(kept.hits.map((hit) => hit.table))).toEqual(
      new Set(["messages", "slack_events"]),
    );
  });

  test("the row is a tombstone: no text, no vector, deleted; the same ts is not stored again", async () => {
    const { store, sql } = world;
    const [row] = await sql`select text, embedding, embedding_model, deleted_at, user_id
                            from messages where id = ${goneId}`;
    expect(row).toMatchObject({ text: "", embedding: null, embedding_model: null, user_id: BOB });
    expect(row?.deleted_at).toBeInstanceOf(Date);
    const again = await store.messages.upsert({
      ...gone,
      userId: BOB,
      text: goneText,
      postedAt: later(1),
    });
    expect(again).toMatchObject({ id: goneId, text: "" });
    expect(again.deletedAt).not.toBeNull();
    expect(await store.forgets.authorOf(gone)).toBe(BOB);
    const lexemes = await sql`select lexeme from lexeme_stats
                              where team_id = ${teamId} and lexeme in (${goneWord}, ${keptWord})`;
    expect(lexemes.map((l) => l.lexeme)).toEqual([keptWord]);
  });

  test("facts: drawn only from it gone; with another source kept; summaries likewise", async () => {
    const { sql } = world;
    const left = await sql`select f.id, array_agg(s.message_id) as sources
                           from user_profile_facts f
                           join user_profile_fact_sources s on s.fact_id = f.id
                           where f.team_id = ${teamId} group by f.id`;
    expect(left.map((row) => [Number(row.id), row.sources.map(Number)])).toEqual([
      [facts.both, [keptId]],
    ]);
    const kept = await sql`select id from conversation_summaries where team_id = ${teamId}`;
    expect(kept.map((row) => Number(row.id))).toEqual([summaries.other]);
    const [mood] = await sql`select trigger_message_ts, trigger_event_id, trigger_user_id
                             from mood_transitions where team_id = ${teamId}`;
    expect(mood).toEqual({
      trigger_message_ts: null,
      trigger_event_id: null,
      trigger_user_id: BOB,
    });
    const [claim] =
      await sql`select prompt_tokens, error from bot_replies where team_id = ${teamId}`;
    expect(claim).toEqual({ prompt_tokens: 4, error: "forgotten" });
    const events = await sql`select event_id from slack_events where team_id = ${teamId}`;
    expect(events.map((row) => row.event_id)).toEqual([`EvM2${teamId}`]);
  });

  test("one audit row named by channel and ts, counts only; a repeat changes nothing", async () => {
    const { store, sql } = world;
    const again = await store.forgets.purgeMessage(gone, AUDIT);
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
    expect(again.summaryPeriods).toEqual([]);
    const audits = await sql`select actor, action, subject, details from audit_log
                             where team_id = ${teamId} order by id`;
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({
      actor: BOB,
      action: AUDIT.action,
      subject: `${CHANNEL}:${gone.ts}`,
    });
    expect(Object.keys(audits[0]?.details)).toEqual(["counts"]);
  });

  test("an archived message: its author is known and its copy goes", async () => {
    const { store } = world;
    expect(await store.forgets.authorOf(archived)).toBe(DAVE);
    expect(await store.forgets.authorOf({ ...archived, ts: "1.000001" })).toBeUndefined();
    const result = await store.forgets.purgeMessage(archived, {
      actor: DAVE,
      action: AUDIT.action,
    });
    expect(result.counts.archived_messages).toBe(1);
    expect(await store.forgets.authorOf(archived)).toBeUndefined();
    expect((await scanDatabase(world.sql, [goneWord])).hits).toEqual([]);
  });
});
