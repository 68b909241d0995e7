// handleSlackEvent over pup's in-process adapters (test/setup/in-process-pup.ts): embedded
// PGlite, the in-process cache, queue and short-term memory, the local Slack and OpenAI servers.
// Each delivery is logged as intake logs it and handed to the use case as a `message` job would;
// the job runner is not started, so queued embedding jobs stay queued (and can be counted). The
// e2e tests (test/e2e/pipeline) run the same path behind the edge, HTTP, queues and PostgreSQL.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ALICE,
  BOB,
  channelTypeOf,
  type InProcessPup,
  OTHER_BOT,
  OTHER_BOT_ID,
  PUP,
  PUP_BOT_ID,
  startInProcessPup,
  TEAM,
} from "../../../../test/setup/in-process-pup";
import type { ChatMessage } from "../../ports/language-model";
import { createEmbedBatcher, liveConversation, recallMessages } from "../memory";
import { handleSlackEvent } from "./handle-event";
import { SUGGESTED_PROMPTS } from "./surfaces";

let pup: InProcessPup;

beforeAll(async () => {
  pup = await startInProcessPup();
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

function openai() {
  if (!pup.openai) throw new Error("the local OpenAI server did not start");
  return pup.openai;
}

const chats = () => openai().chatRequests().length;

/** The messages of the chat request the local OpenAI server received last, as JSON. */
function lastPrompt(): string {
  const messages = openai().chatRequests().at(-1)?.body.messages as ChatMessage[] | undefined;
  if (!messages) throw new Error("the model was never asked");
  return JSON.stringify(messages);
}

const stored = (channelId: string, ts: string) =>
  pup.deps.messages.find({ teamId: TEAM, channelId, ts });

/** Embedding jobs waiting in the (not running) queue. */
async function queuedEmbeddings(): Promise<number> {
  return (await pup.services.queue.depth("embedding")).waiting;
}

/** The live conversation of a channel's timeline, as a reply would read it. */
const live = (channelId: string) =>
  liveConversation(pup.deps, { teamId: TEAM, channelId, threadTs: null }, 50);

/** What recall offers for `query` asked from `channelId`. */
async function recalled(channelId: string, query: string) {
  const hits = await recallMessages(pup.deps, {
    teamId: TEAM,
    channelId,
    query,
    exclude: new Set(),
    botUserId: PUP,
  });
  return hits.map((hit) => hit.message);
}

/** What the embedding job does for one message (the runner is not started here). */
async function embed(channelId: string, ts: string): Promise<void> {
  expect(await createEmbedBatcher(pup.deps).embed({ teamId: TEAM, channelId, ts })).toBe(
    "embedded",
  );
}

const token = (word: string) => `${word}-${Math.random().toString(36).slice(2, 10)}`;

describe("messages pup is asked", () => {
  test("a mention is stored, embedded and answered in its thread", async () => {
    const channel = pup.conversation();
    openai().queueReply("Friday is pizza day.");
    const queued = await queuedEmbeddings();
    const mention = pup.said(channel, `<@${PUP}> what is the plan for friday?`, { mention: true });
    await pup.handle(mention.envelope);

    expect(await stored(channel, mention.ts)).toMatchObject({
      text: `<@${PUP}> what is the plan for friday?`,
      userId: ALICE,
      threadTs: null,
      visibility: "public_channel",
      deletedAt: null,
    });
    expect(pup.pupMessages(channel).map((m) => [m.thread_ts, m.text])).toEqual([
      [mention.ts, "Friday is pizza day."],
    ]);
    expect(lastPrompt()).toContain("what is the plan for friday?");
    // Embedded while answering (no job left for it), and its vector asked recall.
    const [own] = await pup.deps.messages.recentFromUser(TEAM, channel, ALICE, new Date(0), 5);
    expect(own?.ts).toBe(mention.ts);
    expect(own?.embedding).toHaveLength(512);
    expect(await queuedEmbeddings()).toBe(queued);
  });

  test("a message not addressed to pup is stored and queued for embedding, not answered", async () => {
    const channel = pup.conversation();
    const asked = chats();
    const queued = await queuedEmbeddings();
    const chatter = pup.said(channel, "lunch at noon?");
    await pup.handle(chatter.envelope);

    expect(await stored(channel, chatter.ts)).toMatchObject({ text: "lunch at noon?" });
    expect((await live(channel)).map((m) => m.text)).toEqual(["lunch at noon?"]);
    expect(await queuedEmbeddings()).toBe(queued + 1);
    expect(pup.pupMessages(channel)).toEqual([]);
    expect(chats()).toBe(asked);
  });

  test("a DM is answered without a mention", async () => {
    const dm = pup.conversation("im");
    openai().queueReply("Mornings it is.");
    const message = pup.said(dm, "remember that I prefer mornings");
    await pup.handle(message.envelope);

    expect(await stored(dm, message.ts)).toMatchObject({ visibility: "dm" });
    expect(pup.repliesIn(dm, message.ts).map((m) => m.text)).toEqual(["Mornings it is."]);
  });

  test("a reply in a thread pup answered in is answered; one in another thread is not", async () => {
    const channel = pup.conversation();
    openai().queueReply("Woof, first.", "Woof, second.");
    const root = pup.said(channel, `<@${PUP}> start a thread`, { mention: true });
    await pup.handle(root.envelope);
    const followUp = pup.said(channel, "and one more thing", { threadTs: root.ts });
    await pup.handle(followUp.envelope);
    expect(pup.repliesIn(channel, root.ts).map((m) => m.text)).toEqual([
      "Woof, first.",
      "Woof, second.",
    ]);

    const asked = chats();
    const other = pup.said(channel, "a thread without pup", { user: BOB });
    await pup.handle(other.envelope);
    const inOther = pup.said(channel, "replying in it", { threadTs: other.ts });
    await pup.handle(inOther.envelope);
    expect(await stored(channel, inOther.ts)).toMatchObject({ threadTs: other.ts });
    expect(pup.repliesIn(channel, other.ts)).toEqual([]);
    expect(chats()).toBe(asked);
  });
});

/** At least one racer answered; any other failed only because the claim was held. */
function expectAtMostOneHeldClaim(results: PromiseSettledResult<unknown>[]): void {
  expect(results.some((r) => r.status === "fulfilled")).toBe(true);
  for (const result of results) {
    if (result.status === "rejected") {
      expect(result.reason).toMatchObject({ code: "reply_claim_held", retryable: true });
    }
  }
}

describe("duplicates", () => {
  test("the same delivery handled twice (at once, and again later) is answered once", async () => {
    const channel = pup.conversation();
    openai().queueReply("Only once!");
    const mention = pup.said(channel, `<@${PUP}> answer me once`, { mention: true });
    const event = await pup.logged(mention.envelope);
    const asked = chats();
    // The one that finds the claim held while it is being answered fails retryably (ADR-011
    // amendment: it cannot yet tell "answering" from "crashed"); its retry finds it sent.
    const racing = await Promise.allSettled([
      handleSlackEvent(pup.deps, event),
      handleSlackEvent(pup.deps, event),
    ]);
    expectAtMostOneHeldClaim(racing);
    await handleSlackEvent(pup.deps, event);

    expect(pup.pupMessages(channel).map((m) => m.text)).toEqual(["Only once!"]);
    expect(chats() - asked).toBe(1);
  });

  test("Slack's two deliveries of one mention (message and app_mention) are answered once", async () => {
    const channel = pup.conversation();
    openai().queueReply("Heard you the first time.");
    const text = `<@${PUP}> are you listening?`;
    const mention = pup.said(channel, text, { mention: true });
    const message = pup.envelope({
      type: "message",
      user: ALICE,
      text,
      ts: mention.ts,
      channel,
      channel_type: "channel",
      event_ts: mention.ts,
    });
    const racing = await Promise.allSettled([pup.handle(mention.envelope), pup.handle(message)]);
    expectAtMostOneHeldClaim(racing);
    // The retry of the one that found the claim held answers nothing more.
    await Promise.all([pup.handle(mention.envelope), pup.handle(message)]);

    expect(pup.pupMessages(channel).map((m) => m.text)).toEqual(["Heard you the first time."]);
  });
});

describe("edits and deletions", () => {
  test("an edit changes the stored text and the live conversation", async () => {
    const channel = pup.conversation();
    const original = pup.said(channel, "the offsite is in March");
    await pup.handle(original.envelope);
    const queued = await queuedEmbeddings();
    await pup.handle(pup.edited(channel, original.ts, "the offsite is in April"));

    const after = await stored(channel, original.ts);
    expect(after).toMatchObject({ text: "the offsite is in April", deletedAt: null });
    expect(after?.editedAt).toBeInstanceOf(Date);
    expect((await live(channel)).map((m) => m.text)).toEqual(["the offsite is in April"]);
    // The new text is embedded again (its own job, keyed by the edit).
    expect(await queuedEmbeddings()).toBe(queued + 1);
  });

  test("a deletion removes the message from recall and the live conversation", async () => {
    const channel = pup.conversation();
    const elsewhere = pup.conversation();
    const code = token("garage");
    const secret = pup.said(channel, `the garage door code is ${code}`, { user: BOB });
    await pup.handle(secret.envelope);
    await embed(channel, secret.ts);
    // Found before (by text and by vector), from its channel and from another one.
    for (const from of [channel, elsewhere]) {
      expect((await recalled(from, "what is the garage door code?")).map((m) => m.ts)).toContain(
        secret.ts,
      );
    }

    await pup.handle(pup.deleted(channel, secret.ts));
    expect(await stored(channel, secret.ts)).toMatchObject({ text: "" });
    expect((await stored(channel, secret.ts))?.deletedAt).toBeInstanceOf(Date);
    for (const from of [channel, elsewhere]) {
      const found = await recalled(from, `what is the garage door code? ${code}`);
      expect(found.map((m) => m.ts)).not.toContain(secret.ts);
      expect(JSON.stringify(found)).not.toContain(code);
    }
    expect((await live(channel)).map((m) => m.ts)).not.toContain(secret.ts);
  });

  test("an edit delivered before its message: the message arrives edited", async () => {
    const channel = pup.conversation();
    const before = token("old-locker");
    const after = token("new-locker");
    const original = pup.said(channel, `<@${PUP}> my locker is ${before}`, { mention: true });
    await pup.handle(pup.edited(channel, original.ts, `<@${PUP}> my locker is ${after}`));
    openai().queueReply("Got it.");
    await pup.handle(original.envelope);

    const message = await stored(channel, original.ts);
    expect(message).toMatchObject({ text: `<@${PUP}> my locker is ${after}`, userId: ALICE });
    expect(message?.editedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(await live(channel))).not.toContain(before);
    // Answered, with the edited text asked.
    expect(pup.repliesIn(channel, original.ts).map((m) => m.text)).toEqual(["Got it."]);
    expect(lastPrompt()).toContain(after);
    expect(lastPrompt()).not.toContain(before);
    // Its vector is the edited text's too: the old wording is not findable by similarity.
    const [row] = await pup.services.deps.messages.recentFromUser(
      TEAM,
      channel,
      ALICE,
      new Date(0),
      1,
    );
    const [edited] = await pup.services.deps.embedder.embed([`my locker is ${after}`]);
    const [old] = await pup.services.deps.embedder.embed([`my locker is ${before}`]);
    const distance = (a: number[], b: number[]) =>
      Math.max(...a.map((x, i) => Math.abs(x - (b[i] ?? 0))));
    expect(row?.embedding).not.toBeNull();
    expect(distance(row?.embedding ?? [], edited ?? [])).toBeLessThan(1e-4);
    expect(distance(row?.embedding ?? [], old ?? [])).toBeGreaterThan(1e-3);
  });

  test("a deletion delivered before its message: never stored live, recalled or answered", async () => {
    const channel = pup.conversation();
    const code = token("vault");
    const original = pup.said(channel, `<@${PUP}> the vault code is ${code}`, { mention: true });
    await pup.handle(pup.deleted(channel, original.ts));
    const asked = chats();
    await pup.handle(original.envelope);

    const message = await stored(channel, original.ts);
    expect(message?.deletedAt).toBeInstanceOf(Date);
    expect(message?.text).toBe("");
    expect(pup.pupMessages(channel)).toEqual([]);
    expect(chats()).toBe(asked);
    expect(JSON.stringify(await live(channel))).not.toContain(code);
    expect(JSON.stringify(await recalled(pup.conversation(), `vault code ${code}`))).not.toContain(
      code,
    );
  });
});

describe("messages pup ignores", () => {
  test("pup's own messages and other bots' are neither stored nor answered", async () => {
    const channel = pup.conversation();
    const asked = chats();
    const deliveries: { ts: string; event: Record<string, unknown> }[] = [];
    const post = (user: string, text: string, extra: Record<string, unknown> = {}) => {
      const { ts } = pup.slack.workspace.postMessage(channel, { user, text, ...extra });
      const event = { type: "message", channel, channel_type: channelTypeOf(channel), ts, text };
      deliveries.push({ ts, event: { ...event, user, ...extra, event_ts: ts } });
    };
    post(PUP, `<@${PUP}> talking to myself`, { bot_id: PUP_BOT_ID });
    post(OTHER_BOT, `<@${PUP}> beep boop`, { bot_id: OTHER_BOT_ID });
    post(OTHER_BOT, `<@${PUP}> beep boop again`, { bot_id: OTHER_BOT_ID, subtype: "bot_message" });

    for (const { ts, event } of deliveries) {
      await pup.handle(pup.envelope(event));
      expect(await stored(channel, ts)).toBeUndefined();
    }
    // pup posted nothing beyond the message it said itself.
    expect(pup.pupMessages(channel).map((m) => m.ts)).toEqual([deliveries[0]?.ts ?? "pup's own"]);
    expect(chats()).toBe(asked);
  });
});

describe("reactions", () => {
  test("a person's reaction to pup's reply moves the mood, once per event", async () => {
    const channel = pup.conversation();
    openai().queueReply("Happy to help.");
    const mention = pup.said(channel, `<@${PUP}> thanks for the help`, { mention: true });
    await pup.handle(mention.envelope);
    const [reply] = pup.repliesIn(channel, mention.ts);
    if (!reply) throw new Error("pup did not answer");
    const version = async () => (await pup.deps.moods.load(TEAM, channel))?.version ?? 0;
    const reaction = (type: string, user: string, itemUser: string, ts: string) =>
      pup.envelope({
        type,
        user,
        reaction: "tada",
        item_user: itemUser,
        item: { type: "message", channel, ts },
        event_ts: ts,
      });

    const before = await version();
    // Not moving it: pup's own reaction, a removal, a reaction to a person's message.
    await pup.handle(reaction("reaction_added", PUP, PUP, reply.ts));
    await pup.handle(reaction("reaction_removed", ALICE, PUP, reply.ts));
    await pup.handle(reaction("reaction_added", BOB, ALICE, mention.ts));
    expect(await version()).toBe(before);

    const liked = await pup.logged(reaction("reaction_added", ALICE, PUP, reply.ts));
    await handleSlackEvent(pup.deps, liked);
    expect(await version()).toBe(before + 1);
    await handleSlackEvent(pup.deps, liked);
    expect(await version()).toBe(before + 1);
  });
});

describe("Slack surfaces", () => {
  test("app_home_opened publishes pup's home view (the home tab only)", async () => {
    await pup.handle(pup.envelope({ type: "app_home_opened", user: ALICE, tab: "home" }));
    // Alice's own home (features/commands builds it; commands/home-view.test.ts checks it).
    const view = pup.slack.workspace.views.get(ALICE);
    expect(view).toMatchObject({ type: "home" });
    expect(JSON.stringify(view)).toContain("What pup remembers about you");

    await pup.handle(pup.envelope({ type: "app_home_opened", user: BOB, tab: "messages" }));
    expect(pup.slack.workspace.views.has(BOB)).toBe(false);
  });

  test("assistant_thread_started sets suggested prompts; its questions get status, title, answer", async () => {
    const dm = pup.conversation("im");
    const root = pup.slack.workspace.postMessage(dm, { user: PUP, text: "Hi! How can I help?" });
    await pup.handle(
      pup.envelope({
        type: "assistant_thread_started",
        assistant_thread: { user_id: ALICE, channel_id: dm, thread_ts: root.ts, context: {} },
        event_ts: root.ts,
      }),
    );
    const thread = () => pup.slack.workspace.assistantThreads.get(`${dm}:${root.ts}`);
    expect(thread()).toMatchObject({ prompts: SUGGESTED_PROMPTS, prompts_title: "Try" });

    openai().queueReply("Here to help, woof.");
    const question = pup.said(dm, "what do you remember about the offsite?", {
      threadTs: root.ts,
    });
    await pup.handle(question.envelope);
    expect(pup.repliesIn(dm, root.ts).map((m) => m.text)).toContain("Here to help, woof.");
    expect(thread()?.title).toBe("what do you remember about the offsite?");
    const status = pup.slack
      .callsTo("assistant.threads.setStatus")
      .filter((call) => call.args.thread_ts === root.ts);
    expect(status.map((call) => call.args.status)).toContain("is thinking…");
  });
});
