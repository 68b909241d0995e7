/**
 * Edits and deletions reach long-term recall (issue 5), checked in the prompts the model server
 * received: after `message_changed` a fact is recalled with its new text and never the old one,
 * also from other conversations and by the words of the old text; after `message_deleted` it is
 * never recalled again, from anywhere, from either short-term source. The races with the
 * embedding queue (an edit or deletion landing while the original text is being embedded) are
 * covered too. short-term.e2e.test.ts covers the live conversation; this file covers recall.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createRedisClient } from "../../../core/src/adapters/redis";
import {
  MEMORY_BLOCK_END,
  MEMORY_BLOCK_START,
} from "../../../core/src/features/reply/build-prompt";
import type { ChatMessage } from "../../../core/src/ports/language-model";
import { fakeEmbedding } from "../../fakes/openai";
import { uniqueName } from "../../setup/isolation";
import {
  type ConversationKind,
  channelTypeOf,
  deleteEvent,
  editEvent,
  envelopeOf,
  flushShortTerm,
  newConversation,
  newTeamId,
} from "./conversations";
import {
  ALICE,
  BOB,
  forwardToCore,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  settle,
  startPipeline,
  waitFor,
} from "./harness";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
/** A workspace of this file's own, so no other test's messages are recalled here. */
const TEAM = newTeamId("EDIT");
const DIMENSIONS = 512;

let pipeline: Pipeline;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  prefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}edits-e2e`);
  pipeline = await startPipeline({ redisPrefix: prefix, slackTeam: TEAM });
  redis = createRedisClient(REDIS_URL, { connectionName: "pup-edits-e2e" });
});

afterAll(async () => {
  await pipeline?.stop();
  redis?.disconnect();
});

const conversation = (kind?: ConversationKind) => newConversation(pipeline, kind);
const edited = (channel: string, ts: string, text: string) =>
  editEvent(pipeline, TEAM, channel, ts, text);
const deleted = (channel: string, ts: string) => deleteEvent(TEAM, channel, ts);

/** A unique token, so a text can be searched for in prompts. */
const token = (word: string) => `${word}-${Math.random().toString(36).slice(2, 10)}`;

async function send(envelope: Record<string, unknown>): Promise<void> {
  expect(await forwardToCore(pipeline, envelope)).toBe(202);
}

/** Someone says something (not to pup) and it is stored; `settled` also waits for embeddings. */
async function say(channel: string, text: string, user = BOB, settled = true): Promise<string> {
  const message = said(pipeline, text, {
    team: TEAM,
    channel,
    user,
    channelType: channelTypeOf(channel),
  });
  await send(message.envelope);
  if (settled) await settle(pipeline);
  else await stored(channel, message.ts);
  return message.ts;
}

async function stored(channel: string, ts: string): Promise<void> {
  await waitFor(
    async () =>
      (await pipeline.services.data.messages.find({ teamId: TEAM, channelId: channel, ts })) !==
      undefined,
    "the message to be stored",
  );
}

interface Asked {
  /** The recalled memories block of the system prompt. */
  memories: string;
  /** The whole request, question excluded. */
  context: string;
}

/** Asks pup (a mention; in a DM a plain message) and returns what the model was shown. */
async function ask(channel: string, text: string): Promise<Asked> {
  const requests = pipeline.openai.chatRequests().length;
  const dm = channel.startsWith("D");
  const question = said(pipeline, dm ? text : `<@${PUP}> ${text}`, {
    team: TEAM,
    channel,
    user: ALICE,
    mention: !dm,
    channelType: channelTypeOf(channel),
  });
  await send(question.envelope);
  await waitFor(() => pipeline.openai.chatRequests().length > requests, "the model request");
  await settle(pipeline);
  const messages = pipeline.openai.chatRequests().at(-1)?.body.messages as ChatMessage[];
  const system = String(messages[0]?.content);
  const start = system.indexOf(MEMORY_BLOCK_START);
  const end = system.indexOf(MEMORY_BLOCK_END);
  expect(start).toBeGreaterThanOrEqual(0);
  return {
    memories: system.slice(start, end),
    context: JSON.stringify(messages.slice(0, -1)),
  };
}

/** The stored message nearest to `text`'s vector from `channel`, and its cosine distance. */
async function nearestTo(channel: string, text: string) {
  const [best] = await pipeline.services.data.messages.nearest(
    { teamId: TEAM, fromChannelId: channel, limit: 1 },
    fakeEmbedding(text, DIMENSIONS),
  );
  return { ts: best?.message.ts, text: best?.message.text, distance: best?.score ?? 1 };
}

describe("an edited message is recalled with its new text only", () => {
  test("from another channel and a DM, also when asked in the old text's words", async () => {
    const where = conversation();
    const elsewhere = conversation();
    const dm = conversation("im");
    const before = token("red-otter");
    const after = token("green-falcon");
    const ts = await say(where, `the vault password is ${before}`);

    const first = await ask(elsewhere, "what is the vault password?");
    expect(first.memories).toContain(before);

    await send(edited(where, ts, `the vault password is ${after}`));
    await settle(pipeline);
    for (const [channel, question] of [
      [elsewhere, "what is the vault password?"],
      [dm, "what is the vault password?"],
      [elsewhere, "was the vault password a red otter?"],
      [where, "what is the vault password?"],
    ] as const) {
      const asked = await ask(channel, question);
      expect(asked.context).not.toContain(before);
      if (channel !== where) expect(asked.memories).toContain(after);
    }
    // The vector was recomputed from the new text: nothing stored sits at the old text's.
    expect(await nearestTo(elsewhere, `the vault password is ${after}`)).toMatchObject({ ts });
    expect(
      (await nearestTo(elsewhere, `the vault password is ${before}`)).distance,
    ).toBeGreaterThan(0.01);
  });

  test("in a private channel, recalled (not the live conversation) before and after the edit", async () => {
    const room = conversation("private");
    const before = token("blue-heron");
    const after = token("amber-lynx");
    const ts = await say(room, `the server rack key is ${before}`);
    // Enough chatter that the fact leaves the live conversation (20 messages): only recall has it.
    for (let i = 0; i < 21; i += 1) await say(room, `filler message number ${i}`, ALICE, false);
    await settle(pipeline);

    expect((await ask(room, "what is the server rack key?")).memories).toContain(before);
    await send(edited(room, ts, `the server rack key is ${after}`));
    await settle(pipeline);
    const asked = await ask(room, "what is the server rack key?");
    expect(asked.memories).toContain(after);
    expect(asked.context).not.toContain(before);
    // Nowhere else: a private channel's fact stays in it, edited or not.
    expect((await ask(conversation(), "what is the server rack key?")).context).not.toContain(
      after,
    );

    await send(deleted(room, ts));
    await settle(pipeline);
    const gone = await ask(room, "what is the server rack key?");
    expect(gone.context).not.toContain(after);
    expect(gone.context).not.toContain(before);
  });

  test("an edit landing while the original text is being embedded: the vector follows the edit", async () => {
    const where = conversation();
    const before = token("slow-walrus");
    const after = token("quick-badger");
    const embeddingsBefore = pipeline.openai.embeddingRequests().length;
    // The original's embedding request is held up long enough for the edit to overtake it.
    pipeline.openai.injectFault("embeddings", { kind: "latency", ms: 800 });
    const ts = await say(where, `the meeting room code is ${before}`, BOB, false);
    await waitFor(
      () => pipeline.openai.embeddingRequests().length > embeddingsBefore,
      "the original's embedding request",
    );
    await send(edited(where, ts, `the meeting room code is ${after}`));
    await settle(pipeline);
    expect(pipeline.openai.pendingFaults()).toBe(0);

    const nearest = await nearestTo(where, `the meeting room code is ${after}`);
    expect(nearest).toMatchObject({ ts, text: `the meeting room code is ${after}` });
    expect(nearest.distance).toBeLessThan(1e-4);
    const asked = await ask(conversation(), "what is the meeting room code?");
    expect(asked.memories).toContain(after);
    expect(asked.context).not.toContain(before);
  });
});

// Slack does not promise order: an edit or a deletion can arrive before its message (the
// message's first delivery failed and was retried). The edit or deletion must still win.
describe("an edit or deletion delivered before its message", () => {
  test("an edit still wins over the message's own text", async () => {
    const where = conversation();
    const before = token("old-locker");
    const after = token("new-locker");
    const { ts } = pipeline.slack.workspace.postMessage(where, { user: BOB, text: before });
    await send(edited(where, ts, `the locker is ${after}`));
    await settle(pipeline);
    await send(
      envelopeOf(TEAM, where, { type: "message", user: BOB, text: `the locker is ${before}`, ts }),
    );
    await settle(pipeline);
    const asked = await ask(conversation(), "where is the locker?");
    expect(asked.memories).toContain(after);
    expect(asked.context).not.toContain(before);
  });

  test("a deletion still wins: the message is never stored, recalled or answered", async () => {
    const where = conversation();
    const secret = token("vault");
    const { ts } = pipeline.slack.workspace.postMessage(where, { user: BOB, text: secret });
    await send(deleted(where, ts));
    await settle(pipeline);
    const repliesBefore = pupMessages(pipeline, where).length;
    await send(
      envelopeOf(TEAM, where, {
        type: "app_mention",
        user: BOB,
        text: `<@${PUP}> the vault code is ${secret}`,
        ts,
      }),
    );
    await settle(pipeline);
    expect(pupMessages(pipeline, where).length).toBe(repliesBefore);
    for (const channel of [where, conversation()]) {
      expect((await ask(channel, "what is the vault code?")).context).not.toContain(secret);
    }
  });
});

describe("a deleted message is never recalled again", () => {
  test("not from its channel, another channel or a DM, nor after short-term memory is flushed", async () => {
    const where = conversation();
    const elsewhere = conversation();
    const dm = conversation("im");
    const code = token("alarm");
    const ts = await say(where, `the alarm code for the office is ${code}`);
    expect((await ask(elsewhere, "what is the office alarm code?")).memories).toContain(code);
    expect((await ask(where, "what is the office alarm code?")).context).toContain(code);

    await send(deleted(where, ts));
    await settle(pipeline);
    const checks = async () => {
      for (const channel of [where, elsewhere, dm]) {
        expect((await ask(channel, "what is the office alarm code?")).context).not.toContain(code);
      }
    };
    await checks();
    await flushShortTerm(redis, prefix);
    await checks();
    // The same message delivered again (a Slack retry) does not bring it back: core answers
    // 200 and does not even log it (ADR-034: a deleted message's tombstone gains no payload).
    const retry = envelopeOf(TEAM, where, {
      type: "message",
      user: BOB,
      text: `the alarm code for the office is ${code}`,
      ts,
      event_ts: ts,
    });
    expect(await forwardToCore(pipeline, retry)).toBe(200);
    await settle(pipeline);
    await checks();
  });

  test("a deletion landing while the text is being embedded leaves no vector behind", async () => {
    const where = conversation();
    const code = token("garage");
    const embeddingsBefore = pipeline.openai.embeddingRequests().length;
    pipeline.openai.injectFault("embeddings", { kind: "latency", ms: 800 });
    const text = `the garage door code is ${code}`;
    const ts = await say(where, text, BOB, false);
    await waitFor(
      () => pipeline.openai.embeddingRequests().length > embeddingsBefore,
      "the embedding request",
    );
    await send(deleted(where, ts));
    await settle(pipeline);
    expect(pipeline.openai.pendingFaults()).toBe(0);

    expect((await nearestTo(where, text)).ts).not.toBe(ts);
    for (const channel of [where, conversation()]) {
      expect((await ask(channel, "what is the garage door code?")).context).not.toContain(code);
    }
  });
});
