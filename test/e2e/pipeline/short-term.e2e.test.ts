/**
 * Short-term memory through the real reply path (issue 5: "Redis flushed mid-conversation: the
 * next reply's context is the same"; issue 4: edits and deletes reach every memory store). The
 * live conversation pup sends the model must be the same whichever source answered it: Redis,
 * or PostgreSQL after Redis was flushed, unreachable, or back with a stale list.
 *
 * Each reply's prompt is compared with the previous one: the conversation part (everything but
 * the system prompt and the question) of reply n+1 must be exactly that of reply n plus what was
 * said since (the question n, pup's answer n, and any new message), with edits applied and
 * deletions gone. The source of each conversation is read from core's debug log.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Redis } from "ioredis";
import { createRedisClient } from "../../../core/src/adapters/redis";
import { createRedisShortTermMemory } from "../../../core/src/adapters/redis/short-term-memory";
import type { ChatMessage } from "../../../core/src/ports/language-model";
import type { ShortTermMemory } from "../../../core/src/ports/short-term-memory";
import { uniqueName } from "../../setup/isolation";
import {
  ALICE,
  BOB,
  forwardToCore,
  type Pipeline,
  PUP,
  said,
  settle,
  startPipeline,
  TEAM,
  waitFor,
} from "./harness";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";

let pipeline: Pipeline;
let redis: Redis;
/** The pipeline's Redis prefix: short-term memory's keys are `<prefix>:stm:*`. */
let prefix: string;
let healthyShortTerm: ShortTermMemory;
const clients: Redis[] = [];

beforeAll(async () => {
  prefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}stm-e2e`);
  pipeline = await startPipeline({ redisPrefix: prefix });
  healthyShortTerm = pipeline.services.deps.shortTerm;
  redis = createRedisClient(REDIS_URL, { connectionName: "pup-stm-e2e" });
});

afterAll(async () => {
  await pipeline?.stop();
  for (const client of [redis, ...clients]) client?.disconnect();
});

/** A fresh public channel, so no other test's history is in the conversation. */
function newChannel(): string {
  const id = `C0${crypto.randomUUID().replaceAll("-", "").slice(0, 9).toUpperCase()}`;
  pipeline.slack.workspace.addChannel({
    id,
    name: id.toLowerCase(),
    visibility: "public",
    members: [ALICE, BOB, PUP],
  });
  return id;
}

async function send(envelope: Record<string, unknown>): Promise<void> {
  expect(await forwardToCore(pipeline, envelope)).toBe(202);
}

function envelopeOf(channel: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: "unused",
    team_id: TEAM,
    api_app_id: "A0FAKEAPP1",
    event: { channel, channel_type: "channel", ...event },
    type: "event_callback",
    event_id: `Ev${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: PUP, is_bot: true, is_enterprise_install: false }],
  };
}

/** Someone says something (not to pup); waits until core has processed it. */
async function say(
  channel: string,
  text: string,
  options: { user?: string; threadTs?: string } = {},
) {
  const message = said(pipeline, text, { channel, ...options });
  await send(message.envelope);
  await settle(pipeline);
  return message.ts;
}

async function edit(channel: string, ts: string, text: string, user = BOB): Promise<void> {
  const message = pipeline.slack.workspace.updateMessage(channel, ts, { text }, user);
  const editedTs = message.edited?.ts ?? ts;
  await send(
    envelopeOf(channel, {
      type: "message",
      subtype: "message_changed",
      hidden: true,
      message: { type: "message", user, text, ts, edited: { user, ts: editedTs } },
      previous_message: { type: "message", user, ts },
      ts: editedTs,
      event_ts: editedTs,
    }),
  );
  await settle(pipeline);
}

async function remove(channel: string, ts: string): Promise<void> {
  const now = `${(Date.now() / 1000).toFixed(6)}`;
  await send(
    envelopeOf(channel, {
      type: "message",
      subtype: "message_deleted",
      hidden: true,
      deleted_ts: ts,
      previous_message: { type: "message", ts },
      ts: now,
      event_ts: now,
    }),
  );
  await settle(pipeline);
}

interface Asked {
  /** Everything between the system prompt and the question. */
  conversation: ChatMessage[];
  /** The question as the prompt shows it, and pup's answer: both join the next conversation. */
  question: ChatMessage;
  answer: ChatMessage;
  /** The whole request, for checks on the system prompt. */
  messages: ChatMessage[];
  /** Where the live conversation came from (core's debug log): "short-term" or "postgres". */
  sources: unknown[];
}

let answers = 0;

/** Mentions pup (in `threadTs` if given) and waits for the answer. */
async function ask(channel: string, text: string, threadTs?: string): Promise<Asked> {
  const requests = pipeline.openai.chatRequests().length;
  const logged = pipeline.logs.length;
  answers += 1;
  const answer = `Answer number ${answers}.`;
  pipeline.openai.queueReply(answer);
  const question = said(pipeline, `<@${PUP}> ${text}`, {
    channel,
    mention: true,
    ...(threadTs ? { threadTs } : {}),
  });
  await send(question.envelope);
  await waitFor(() => pipeline.openai.chatRequests().length > requests, "the model request");
  await settle(pipeline);
  const messages = pipeline.openai.chatRequests().at(-1)?.body.messages as ChatMessage[];
  const last = messages.at(-1);
  if (!last) throw new Error("empty prompt");
  return {
    conversation: messages.slice(1, -1),
    question: last,
    answer: { role: "assistant", content: answer },
    messages,
    sources: pipeline.logs
      .slice(logged)
      .filter((line) => line.msg === "live conversation loaded")
      .map((line) => line.source),
  };
}

/** What the next conversation must be: this one, then the question and pup's answer. */
function followedBy(previous: Asked, ...said: ChatMessage[]): ChatMessage[] {
  return [...previous.conversation, previous.question, previous.answer, ...said];
}

/** A live turn as prompts carry it: speaker and text quoted as data (ADR-023). */
const turn = (speaker: string, text: string): ChatMessage => ({
  role: "user",
  content: `${JSON.stringify(speaker)}: ${JSON.stringify(text)}`,
});

/** Deletes short-term memory's keys of this pipeline only (never FLUSHALL). */
async function flushShortTerm(): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:stm:*`, "COUNT", 1000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  return deleted;
}

async function failedMessageJobs(): Promise<number> {
  return (await pipeline.services.queue.depth("message")).failed;
}

describe("the live conversation is the same from Redis and from PostgreSQL", () => {
  test("Redis flushed mid-conversation: the next reply's context is the same", async () => {
    const channel = newChannel();
    await say(channel, "the deploy window is Thursday at 4pm");
    await say(channel, "and the code freeze starts Friday", { user: BOB });
    await say(channel, "ok, I'll tell the team");

    const first = await ask(channel, "when is the deploy window?");
    // A brand-new conversation: PostgreSQL answers, then short-term memory is warm.
    expect(first.sources).toEqual(["postgres"]);
    expect(first.conversation).toEqual([
      turn("alice", "the deploy window is Thursday at 4pm"),
      turn("bob", "and the code freeze starts Friday"),
      turn("alice", "ok, I'll tell the team"),
    ]);

    const second = await ask(channel, "and when does the freeze start?");
    expect(second.sources).toEqual(["short-term"]);
    expect(second.conversation).toEqual(followedBy(first));

    expect(await flushShortTerm()).toBeGreaterThan(0);
    // Not the first question again: pup would add a link to its earlier answer (a repeat).
    const third = await ask(channel, "who told us about the deploy window?");
    expect(third.sources).toEqual(["postgres"]);
    expect(third.conversation).toEqual(followedBy(second));

    const fourth = await ask(channel, "thanks!");
    expect(fourth.sources).toEqual(["short-term"]);
    expect(fourth.conversation).toEqual(followedBy(third));
  });

  test("an edited message shows its new text and a deleted one is gone, from either source", async () => {
    const channel = newChannel();
    const secret = await say(channel, "the wifi password is blue-kangaroo-42");
    const standup = await say(channel, "standup moves to 10:30 tomorrow", { user: BOB });
    await say(channel, "noted");
    const first = await ask(channel, "what changed for tomorrow?");
    expect(JSON.stringify(first.conversation)).toContain("blue-kangaroo-42");

    await edit(channel, standup, "standup moves to 11:00 tomorrow");
    await remove(channel, secret);
    const second = await ask(channel, "and now?");
    // A deletion forgets the message (ADR-034): the channel's short-term list is dropped whole
    // (pup's reply to it may go too) and read again from PostgreSQL.
    expect(second.sources).toEqual(["postgres"]);
    const expected = followedBy(first)
      .filter((m) => !String(m.content).includes("blue-kangaroo-42"))
      .map((m) =>
        String(m.content).includes("10:30") ? turn("bob", "standup moves to 11:00 tomorrow") : m,
      );
    expect(second.conversation).toEqual(expected);
    // Nowhere in the request: not in the conversation, not recalled from long-term memory.
    expect(JSON.stringify(second.messages)).not.toContain("blue-kangaroo-42");
    expect(JSON.stringify(second.messages)).not.toContain("10:30");

    expect(await flushShortTerm()).toBeGreaterThan(0);
    const third = await ask(channel, "and now?");
    expect(third.sources).toEqual(["postgres"]);
    expect(third.conversation).toEqual(followedBy(second));
  });

  test("a thread's context, with an edit and a deletion, is the same from either source", async () => {
    const channel = newChannel();
    const root = await say(channel, "who is on call this weekend?");
    const wrong = await say(channel, "Bob is, I think", { threadTs: root });
    const typo = await say(channel, "I swapped with Dan, he's on call", {
      user: BOB,
      threadTs: root,
    });
    // Channel chatter outside the thread stays out of the thread's conversation.
    await say(channel, "unrelated: lunch at noon");

    const first = await ask(channel, "so who is it?", root);
    expect(first.sources).toEqual(["postgres"]);
    expect(first.conversation).toEqual([
      turn("alice", "who is on call this weekend?"),
      turn("alice", "Bob is, I think"),
      turn("bob", "I swapped with Dan, he's on call"),
    ]);
    const second = await ask(channel, "are you sure?", root);
    expect(second.sources).toEqual(["short-term"]);
    expect(second.conversation).toEqual(followedBy(first));

    await edit(channel, typo, "I swapped with Dana, she's on call");
    await remove(channel, wrong);
    const third = await ask(channel, "final answer?", root);
    // The deletion dropped the channel's short-term lists (ADR-034): read again from PostgreSQL.
    expect(third.sources).toEqual(["postgres"]);
    const expected = followedBy(second)
      .filter((m) => m.content !== turn("alice", "Bob is, I think").content)
      .map((m) =>
        m.content === turn("bob", "I swapped with Dan, he's on call").content
          ? turn("bob", "I swapped with Dana, she's on call")
          : m,
      );
    expect(third.conversation).toEqual(expected);

    expect(await flushShortTerm()).toBeGreaterThan(0);
    const fourth = await ask(channel, "thanks", root);
    expect(fourth.sources).toEqual(["postgres"]);
    expect(fourth.conversation).toEqual(followedBy(third));
  });
});

/** A TCP proxy in front of Redis that can be taken down and brought back on the same port. */
function redisProxy(port: number) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const upstream = new URL(REDIS_URL);
  return {
    async up(): Promise<number> {
      server = createServer((client) => {
        const target = connect(Number(upstream.port || 6379), upstream.hostname);
        for (const socket of [client, target]) {
          sockets.add(socket);
          socket.on("error", () => {});
          socket.on("close", () => sockets.delete(socket));
        }
        client.pipe(target);
        target.pipe(client);
        client.on("close", () => target.destroy());
        target.on("close", () => client.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server?.once("error", reject);
        server?.listen(port, "127.0.0.1", () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("proxy has no port");
      port = address.port;
      return port;
    },
    async down(): Promise<void> {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
    },
  };
}

/** Short-term memory over its own client to `url`, with the pipeline's keys. */
function shortTermAt(url: string): { shortTerm: ShortTermMemory; client: Redis } {
  const client = createRedisClient(url, { connectionName: "pup-stm-e2e", onError: () => {} });
  clients.push(client);
  return {
    client,
    shortTerm: createRedisShortTermMemory({ redis: client, prefix: `${prefix}:stm:` }),
  };
}

describe("Redis down", () => {
  test("unreachable Redis: replies keep their context from PostgreSQL and no job fails", async () => {
    const failedBefore = await failedMessageJobs();
    // A port nobody listens on.
    const closed = redisProxy(0);
    const port = await closed.up();
    await closed.down();
    pipeline.services.deps.shortTerm = shortTermAt(`redis://127.0.0.1:${port}`).shortTerm;
    try {
      const channel = newChannel();
      await say(channel, "the budget review is on the 12th");
      const first = await ask(channel, "when is the budget review?");
      expect(first.sources).toEqual(["postgres"]);
      expect(first.conversation).toEqual([turn("alice", "the budget review is on the 12th")]);
      await say(channel, "and it moved to room 4", { user: BOB });
      const second = await ask(channel, "where is it?");
      expect(second.sources).toEqual(["postgres"]);
      expect(second.conversation).toEqual(followedBy(first, turn("bob", "and it moved to room 4")));
      expect(pupAnswers(channel)).toEqual([first.answer.content, second.answer.content]);
      expect(
        pipeline.logs.some((line) => line.msg?.toString().startsWith("short-term memory failed")),
      ).toBe(true);
      expect(await failedMessageJobs()).toBe(failedBefore);
    } finally {
      pipeline.services.deps.shortTerm = healthyShortTerm;
    }
  });

  test("Redis back after missing writes: its stale lists are invalidated, not read", async () => {
    const proxy = redisProxy(0);
    const port = await proxy.up();
    const { shortTerm, client } = shortTermAt(`redis://127.0.0.1:${port}`);
    pipeline.services.deps.shortTerm = shortTerm;
    try {
      const channel = newChannel();
      await say(channel, "the offsite is in Lisbon");
      const first = await ask(channel, "where is the offsite?");
      expect(first.sources).toEqual(["postgres"]);
      const second = await ask(channel, "which city again?");
      expect(second.sources).toEqual(["short-term"]);
      expect(second.conversation).toEqual(followedBy(first));

      // Redis goes away (its data stays): these writes never reach it.
      await proxy.down();
      await say(channel, "correction: the offsite moved to Porto", { user: BOB });
      const third = await ask(channel, "so where is it?");
      expect(third.sources).toEqual(["postgres"]);
      expect(third.conversation).toEqual(
        followedBy(second, turn("bob", "correction: the offsite moved to Porto")),
      );

      // Redis is back with a list that lacks the correction and the last exchange.
      await proxy.up();
      await waitFor(async () => (await client.ping().catch(() => "")) === "PONG", "redis back");
      await Bun.sleep(2100); // the cool-down after a failure
      const fourth = await ask(channel, "and the date?");
      expect(fourth.sources).toEqual(["postgres"]);
      expect(fourth.conversation).toEqual(followedBy(third));
      const fifth = await ask(channel, "thanks");
      expect(fifth.sources).toEqual(["short-term"]);
      expect(fifth.conversation).toEqual(followedBy(fourth));
    } finally {
      pipeline.services.deps.shortTerm = healthyShortTerm;
      await proxy.down();
    }
  }, 30_000);
});

function pupAnswers(channel: string): string[] {
  return pipeline.slack.workspace.messages
    .all()
    .filter((entry) => entry.channel === channel && entry.message.user === PUP)
    .map((entry) => entry.message.text ?? "");
}
