/**
 * A message deleted in Slack is forgotten (issue 16, ADR-034), as deployed: PostgreSQL, Redis,
 * BullMQ, the local Slack and OpenAI servers. After a post, an edit and the deletion, no row of
 * the event log holds any of its texts (the original event, the edit's `message` and
 * `previous_message`, the deletion's `previous_message`), nor does any other row or Redis key;
 * the deletion is audit-logged without its content; recall no longer finds it. A thread's parent
 * deleted while its replies stay (Slack's tombstone edit) is forgotten the same way.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import postgres from "postgres";
import { createRedisClient } from "../../../core/src/adapters/redis";
import { SLACK_DELETED_ACTION } from "../../../core/src/features/forget";
import type { ChatMessage } from "../../../core/src/ports/language-model";
import { fakeEmbedding } from "../../fakes/openai";
import { uniqueName } from "../../setup/isolation";
import { scanDatabase, scanRedis } from "../../setup/residue-scan";
import { channelTypeOf, envelopeOf, newConversation, newTeamId } from "./conversations";
import {
  ALICE,
  BOB,
  forwardToCore,
  type Pipeline,
  PUP,
  said,
  settle,
  startPipeline,
  waitFor,
} from "./harness";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const TEAM = newTeamId("DELE");
const SWEEP_MS = 1000;

let pipeline: Pipeline;
let redis: Redis;
let sql: postgres.Sql;
let prefix: string;

beforeAll(async () => {
  prefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}deletion-e2e`);
  pipeline = await startPipeline({ redisPrefix: prefix, slackTeam: TEAM });
  // The sweep that repeats each message forget (PUP_FORGET_SWEEP_DELAY_MS): soon, here.
  pipeline.services.deps.forgetSweepDelayMs = SWEEP_MS;
  redis = createRedisClient(REDIS_URL, { connectionName: "pup-deletion-e2e" });
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is not set (test/setup/preload.ts)");
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
});

afterAll(async () => {
  await pipeline?.stop();
  redis?.disconnect();
  await sql?.end({ timeout: 5 });
});

/** A word found nowhere else (letters and digits: full-text search keeps it whole). */
const canary = (tag: string) => `${tag}${Math.random().toString(36).slice(2, 9)}`;

async function send(envelope: Record<string, unknown>, status = 202): Promise<void> {
  expect(await forwardToCore(pipeline, envelope)).toBe(status);
  await settle(pipeline);
}

/** Bob says `text` in `channel` (not to pup), stored and embedded; returns its ts. */
async function bobSays(channel: string, text: string, threadTs?: string): Promise<string> {
  const message = said(pipeline, text, {
    team: TEAM,
    channel,
    user: BOB,
    channelType: channelTypeOf(channel),
    ...(threadTs ? { threadTs } : {}),
  });
  await send(message.envelope);
  return message.ts;
}

/** Slack's `message_changed` for Bob's message, with the text before and after, as Slack sends. */
function edited(channel: string, ts: string, before: string, after: string) {
  const editedTs = pipeline.slack.workspace.updateMessage(channel, ts, { text: after }, BOB).edited
    ?.ts;
  return envelopeOf(TEAM, channel, {
    type: "message",
    subtype: "message_changed",
    hidden: true,
    message: { type: "message", user: BOB, text: after, ts, edited: { user: BOB, ts: editedTs } },
    previous_message: { type: "message", user: BOB, text: before, ts },
    ts: editedTs,
    event_ts: editedTs,
  });
}

/** Slack's `message_deleted`, whose `previous_message` carries the text last seen. */
function deleted(channel: string, ts: string, lastText: string) {
  const now = (Date.now() / 1000).toFixed(6);
  return envelopeOf(TEAM, channel, {
    type: "message",
    subtype: "message_deleted",
    hidden: true,
    deleted_ts: ts,
    previous_message: { type: "message", user: BOB, text: lastText, ts },
    ts: now,
    event_ts: now,
  });
}

/** Asks pup from `channel` (a mention) and returns everything the model was shown. */
async function askedPrompt(channel: string, question: string): Promise<string> {
  const before = pipeline.openai.chatRequests().length;
  const asked = said(pipeline, `<@${PUP}> ${question}`, {
    team: TEAM,
    channel,
    user: ALICE,
    mention: true,
  });
  await send(asked.envelope);
  const requests = pipeline.openai.chatRequests();
  expect(requests.length).toBeGreaterThan(before);
  return JSON.stringify(requests.at(-1)?.body.messages as ChatMessage[]);
}

/** Event log rows whose payload holds any of `needles`. */
async function eventLogRowsWith(needles: readonly string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from slack_events
    where team_id = ${TEAM} and payload::text ilike any(${needles.map((n) => `%${n}%`)})`;
  return row?.n ?? -1;
}

/** Where `needles` still are: columns of any table, keys of this pup's Redis. */
async function residue(needles: readonly string[]) {
  const redisScan = await scanRedis(redis, prefix, needles);
  const databaseScan = await scanDatabase(sql, [...needles]);
  // The scans read something: an empty answer is not an unread store.
  expect(redisScan.keys).toBeGreaterThan(0);
  expect(databaseScan.tables).toBeGreaterThan(10);
  return { rows: databaseScan.hits, redis: redisScan.hits };
}

describe("a message deleted in Slack", () => {
  test("leaves no text in the event log or anywhere, an audit row without it, no recall", async () => {
    const where = newConversation(pipeline);
    const elsewhere = newConversation(pipeline);
    const original = canary("safecombo");
    const edit = canary("newcombo");
    const first = `the office safe combination is ${original}`;
    const second = `the office safe combination is ${edit}`;
    const ts = await bobSays(where, first);
    expect(await askedPrompt(elsewhere, "what is the office safe combination?")).toContain(
      original,
    );
    await send(edited(where, ts, first, second));
    expect(await askedPrompt(elsewhere, "what is the office safe combination?")).toContain(edit);
    // Before the deletion the scans find the texts: they can see where the texts were.
    expect(await eventLogRowsWith([original])).toBe(2);
    expect(await eventLogRowsWith([edit])).toBe(1);
    expect((await residue([original, edit])).rows.length).toBeGreaterThan(0);

    await send(deleted(where, ts, second));
    expect(await eventLogRowsWith([original, edit])).toBe(0);
    expect(await residue([original, edit])).toEqual({ rows: [], redis: [] });
    // Redacted means deleted (the event log's audited path, ADR-007): no payload names it now.
    const [left] = await sql<{ n: number }[]>`
      select count(*)::int as n from slack_events where team_id = ${TEAM}
      and (payload::text like ${`%${ts}%`})`;
    expect(left?.n).toBe(0);

    // One audit row, by the system, counting what went (the three payloads among it) and
    // holding none of the texts.
    const audit = await sql<{ actor: string; details: { counts?: Record<string, number> } }[]>`
      select actor, details from audit_log
      where team_id = ${TEAM} and action = ${SLACK_DELETED_ACTION} and subject = ${`${where}:${ts}`}`;
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe("system");
    expect(audit[0]?.details.counts?.slack_events).toBe(3);
    expect(JSON.stringify(audit[0]?.details)).not.toMatch(new RegExp(`${original}|${edit}`));

    for (const channel of [where, elsewhere, newConversation(pipeline, "im")]) {
      const prompt = await askedPrompt(channel, "what is the office safe combination?");
      expect(prompt).not.toContain(original);
      expect(prompt).not.toContain(edit);
    }
    // No vector of it is left either: nearest to its text is some other message.
    const [nearest] = await pipeline.services.data.messages.nearest(
      { teamId: TEAM, fromChannelId: elsewhere, limit: 1 },
      fakeEmbedding(second, 512),
    );
    expect(nearest?.message.ts).not.toBe(ts);
  });

  test("the message or an edit arriving after its deletion (out of order, a retry) is never logged", async () => {
    const where = newConversation(pipeline);
    const secret = canary("latesecret");
    const later = canary("lateedit");
    const text = `the alarm code is ${secret}`;
    const { ts } = pipeline.slack.workspace.postMessage(where, { user: BOB, text });
    await send(deleted(where, ts, text));
    expect(await eventLogRowsWith([secret])).toBe(0);
    // The message itself, then an edit of it, delivered after the deletion: core answers 200
    // ("forgotten") and neither logs nor queues them, since the message is a tombstone.
    await send(
      envelopeOf(TEAM, where, { type: "message", user: BOB, text, ts, event_ts: ts }),
      200,
    );
    await send(edited(where, ts, text, `the alarm code is ${later}`), 200);
    expect(await eventLogRowsWith([secret, later])).toBe(0);
    // Nothing of them reached a job; the sweep that follows the deletion runs and finds nothing.
    const sweeps = async () => {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from audit_log where team_id = ${TEAM}
        and action = ${`${SLACK_DELETED_ACTION}.sweep`} and subject = ${`${where}:${ts}`}`;
      return row?.n ?? 0;
    };
    await waitFor(async () => (await sweeps()) > 0, "the sweep", SWEEP_MS + 10_000);
    expect(await residue([secret, later])).toEqual({ rows: [], redis: [] });
    const stored = await pipeline.services.data.messages.find({
      teamId: TEAM,
      channelId: where,
      ts,
    });
    expect(stored?.deletedAt).toBeInstanceOf(Date);
    expect(stored?.text).toBe("");
  });

  test("a thread's parent deleted while its replies stay (a tombstone) is forgotten too", async () => {
    const where = newConversation(pipeline);
    const secret = canary("parentsecret");
    const parentText = `the storage unit code is ${secret}`;
    const parent = await bobSays(where, parentText);
    const reply = await bobSays(where, "thanks, noted", parent);
    expect(await eventLogRowsWith([secret])).toBe(1);

    const now = (Date.now() / 1000).toFixed(6);
    await send(
      envelopeOf(TEAM, where, {
        type: "message",
        subtype: "message_changed",
        hidden: true,
        message: {
          type: "message",
          subtype: "tombstone",
          hidden: true,
          user: "USLACKBOT",
          text: "This message was deleted.",
          ts: parent,
          thread_ts: parent,
          reply_count: 1,
        },
        previous_message: { type: "message", user: BOB, text: parentText, ts: parent },
        ts: now,
        event_ts: now,
      }),
    );
    expect(await eventLogRowsWith([secret])).toBe(0);
    expect(await residue([secret])).toEqual({ rows: [], redis: [] });
    const find = (at: string) =>
      pipeline.services.data.messages.find({ teamId: TEAM, channelId: where, ts: at });
    // Deleted, not edited: never the tombstone's text; the reply stays.
    expect((await find(parent))?.deletedAt).toBeInstanceOf(Date);
    expect((await find(parent))?.text).not.toContain("This message was deleted.");
    expect((await find(reply))?.text).toBe("thanks, noted");
    const prompt = await askedPrompt(newConversation(pipeline), "what is the storage unit code?");
    expect(prompt).not.toContain(secret);
  });
});
