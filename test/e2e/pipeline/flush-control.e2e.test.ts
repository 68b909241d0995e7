/**
 * Issue 5: "Redis flushed mid-conversation: the next reply's context is the same", checked
 * against a control. Two conversations get the same history (longer than the live window, with
 * an edit and a deletion in it) and the same questions; short-term memory is flushed between two
 * questions, so one conversation's next prompt is built from PostgreSQL while the control's came
 * from Redis a moment before (and the other way round on the question after). Their prompts must
 * be the same. short-term.e2e.test.ts checks the same property against the expected
 * conversation in a short public channel; this file covers DMs, private channels and full,
 * trimmed windows, with the unflushed conversation as the oracle.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { createRedisClient } from "../../../core/src/adapters/redis";
import type { ChatMessage } from "../../../core/src/ports/language-model";
import { uniqueName } from "../../setup/isolation";
import {
  type ConversationKind,
  channelTypeOf,
  deleteEvent,
  editEvent,
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
  said,
  settle,
  startPipeline,
  waitFor,
} from "./harness";

const REDIS_URL = process.env.PUP_TEST_REDIS_URL || "redis://127.0.0.1:6379";
const TEAM = newTeamId("FLSH");
/** The live window (ReplySettings.contextMessages): the histories below are longer. */
const WINDOW = 20;

let pipeline: Pipeline;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  prefix = uniqueName(`${process.env.PUP_TEST_REDIS_PREFIX ?? "pup-test:"}flush-e2e`);
  pipeline = await startPipeline({ redisPrefix: prefix, reply: { contextMessages: WINDOW } });
  redis = createRedisClient(REDIS_URL, { connectionName: "pup-flush-e2e" });
});

afterAll(async () => {
  await pipeline?.stop();
  redis?.disconnect();
});

async function send(envelope: Record<string, unknown>): Promise<void> {
  expect(await forwardToCore(pipeline, envelope)).toBe(202);
}

/** A message in `channel` (in a DM pup answers it); resolves once everything is processed. */
async function say(channel: string, text: string, user = ALICE): Promise<string> {
  const message = said(pipeline, text, {
    team: TEAM,
    channel,
    user,
    channelType: channelTypeOf(channel),
  });
  await send(message.envelope);
  await settle(pipeline);
  return message.ts;
}

interface Asked {
  messages: ChatMessage[];
  /** Between the system prompt and the question. */
  conversation: ChatMessage[];
  /** Where the live conversation came from (core's debug log). */
  sources: unknown[];
}

async function ask(channel: string, text: string): Promise<Asked> {
  const requests = pipeline.openai.chatRequests().length;
  const logged = pipeline.logs.length;
  const dm = channel.startsWith("D");
  const question = said(pipeline, dm ? text : `<@${PUP}> ${text}`, {
    team: TEAM,
    channel,
    mention: !dm,
    channelType: channelTypeOf(channel),
  });
  await send(question.envelope);
  await waitFor(() => pipeline.openai.chatRequests().length > requests, "the model request");
  await settle(pipeline);
  const messages = pipeline.openai.chatRequests().at(-1)?.body.messages as ChatMessage[];
  return {
    messages,
    conversation: messages.slice(1, -1),
    sources: pipeline.logs
      .slice(logged)
      .filter((line) => line.msg === "live conversation loaded" && line.channelId === channel)
      .map((line) => line.source),
  };
}

/**
 * The same history in both conversations, step by step: more messages than the window, from
 * two people in channels (one in a DM, where pup answers each), one edited and one deleted.
 */
async function sameHistory(kind: ConversationKind, conversations: string[]): Promise<void> {
  const steps = kind === "im" ? 14 : 2 * WINDOW;
  const edits: string[][] = conversations.map(() => []);
  for (let i = 0; i < steps; i += 1) {
    for (const [n, channel] of conversations.entries()) {
      const user = kind === "im" || i % 3 !== 0 ? ALICE : BOB;
      const ts = await say(channel, `${kind} note ${i}: the plan has ${i} parts`, user);
      // Near the end, so both are inside the window.
      if (i === steps - 4 || i === steps - 3) edits[n]?.push(ts);
    }
  }
  for (const [n, channel] of conversations.entries()) {
    const [toEdit, toDelete] = edits[n] ?? [];
    if (!toEdit || !toDelete) throw new Error("no messages to edit and delete");
    await send(editEvent(pipeline, TEAM, channel, toEdit, `${kind} note: the plan changed`));
    await send(deleteEvent(TEAM, channel, toDelete));
    await settle(pipeline);
  }
}

const turn = (text: string): ChatMessage => ({
  role: "user",
  content: `"alice": ${JSON.stringify(text)}`,
});

/**
 * A prompt with `from`'s name (as it appears in prompts) replaced by `to`'s, and memories'
 * permalinks blanked (they name each conversation's own channel and message timestamps).
 */
function renamed(messages: ChatMessage[], from: string, to: string): ChatMessage[] {
  const name = (id: string) => `#${id.toLowerCase()}`;
  return withoutPermalinks(messages).map((m) => ({
    ...m,
    content: String(m.content).replaceAll(name(from), name(to)),
  }));
}

function withoutPermalinks(messages: ChatMessage[]): ChatMessage[] {
  return messages.map((m) => ({
    ...m,
    content: String(m.content).replace(/link: \S+/g, "link: (permalink)"),
  }));
}

describe("a flushed conversation's next prompt equals an unflushed control's", () => {
  for (const kind of ["im", "private", "public"] as const) {
    test(`${kind}: flushed between two questions, the prompts match the control's`, async () => {
      const flushed = newConversation(pipeline, kind);
      const control = newConversation(pipeline, kind);
      await sameHistory(kind, [flushed, control]);

      const first = [
        await ask(flushed, "what is the plan?"),
        await ask(control, "what is the plan?"),
      ];
      expect(first[0]?.conversation).toEqual(first[1]?.conversation ?? []);

      // The control answers from Redis; then Redis loses pup's short-term memory.
      const controlWarm = await ask(control, "how many parts now?");
      expect(controlWarm.sources).toEqual(["short-term"]);
      expect(await flushShortTerm(redis, prefix)).toBeGreaterThan(0);
      const afterFlush = await ask(flushed, "how many parts now?");
      expect(afterFlush.sources).toEqual(["postgres"]);
      // A full window, the edit applied, the deletion gone: then the same as the control's.
      expect(afterFlush.conversation).toHaveLength(WINDOW);
      const gone = kind === "im" ? 11 : 37;
      expect(JSON.stringify(afterFlush.conversation)).toContain(`${kind} note: the plan changed`);
      // (pup's own answer to it stays: only the person's message was deleted.)
      expect(afterFlush.conversation).not.toContainEqual(
        turn(`${kind} note ${gone}: the plan has ${gone} parts`),
      );
      expect(afterFlush.conversation).toEqual(controlWarm.conversation);

      // And the other way round: the control now reads PostgreSQL, the flushed one Redis again.
      const controlCold = await ask(control, "and tomorrow?");
      const warmAgain = await ask(flushed, "and tomorrow?");
      expect(controlCold.sources).toEqual(["postgres"]);
      expect(warmAgain.sources).toEqual(["short-term"]);
      expect(warmAgain.conversation).toEqual(controlCold.conversation);
      if (kind !== "public") {
        // Private conversations recall the same things too (a public channel would recall the
        // other conversation's messages, so only its live conversation is compared).
        expect(renamed(warmAgain.messages, flushed, control)).toEqual(
          withoutPermalinks(controlCold.messages),
        );
      }
    }, 60_000);
  }
});
