// replyTo over pup's in-process adapters (test/setup/in-process-pup.ts): embedded PGlite, the
// in-process cache and short-term memory, the local Slack and OpenAI servers. The e2e tests
// (test/e2e/pipeline) run the same use case behind the edge, HTTP, queues and PostgreSQL.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ALICE,
  BOB,
  type InProcessPup,
  PUP,
  PUP_BOT_ID,
  type SaidOptions,
  startInProcessPup,
  TEAM,
} from "../../../../test/setup/in-process-pup";
import { arrived as arrivedIn } from "../../../../test/setup/reply-request";
import { replySendKey } from "../../ports/bot-reply-log";
import type { ChatMessage } from "../../ports/language-model";
import { createEmbedBatcher } from "../memory";
import { MODEL_DOWN_APOLOGY } from "./apology";
import { replyTo } from "./reply";

let pup: InProcessPup;

beforeAll(async () => {
  // The breaker stays shut here: a test of failures must not leave the model "down" for others.
  pup = await startInProcessPup({ breaker: { failureThreshold: 1000 } });
}, 60_000);

afterAll(async () => {
  await pup?.stop();
});

function openai() {
  if (!pup.openai) throw new Error("the local OpenAI server did not start");
  return pup.openai;
}

/** {@link arrivedIn} for this file's pup. */
const arrived = (channelId: string, text: string, options: SaidOptions = {}) =>
  arrivedIn(pup, channelId, text, options);

/** A message said earlier and embedded, as the embedding job leaves it: something to recall. */
async function remembered(channelId: string, text: string, user = ALICE): Promise<void> {
  const { message } = await arrived(channelId, text, { user });
  // What the embedding job does for it (the job runner is not started here).
  const outcome = await createEmbedBatcher(pup.deps).embed({
    teamId: TEAM,
    channelId,
    ts: message.ts,
  });
  expect(outcome).toBe("embedded");
}

/** The messages of the chat request the local OpenAI server received last, as JSON. */
function lastPrompt(): string {
  const messages = openai().chatRequests().at(-1)?.body.messages as ChatMessage[] | undefined;
  if (!messages) throw new Error("the model was never asked");
  return JSON.stringify(messages);
}

const token = (word: string) => `${word}-${Math.random().toString(36).slice(2, 10)}`;

describe("replyTo", () => {
  test("posts one answer per message, even when asked to answer it more than once", async () => {
    const channel = pup.conversation();
    // Only one answer is scripted: a second one would be the echo, and seen below.
    openai().queueReply("Only once, woof.");
    const request = await arrived(channel, `<@${PUP}> answer me once`);
    const asked = openai().chatRequests().length;

    // A duplicate delivery racing the first finds the claim held and asks to be tried again
    // later (claim-recovery.ts); a retried job after both finds the answer sent.
    const racing = await Promise.allSettled([
      replyTo(pup.deps, request),
      replyTo(pup.deps, request),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(racing.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "reply_claim_held", retryable: true },
    });
    await replyTo(pup.deps, { ...request, eventId: "EvRETRIEDDELIVERY0001" });

    expect(pup.pupMessages(channel).map((m) => m.text)).toEqual(["Only once, woof."]);
    // The send key is claimed before the model is asked: the duplicates cost nothing.
    expect(openai().chatRequests().length - asked).toBe(1);
  });

  test("answers in the message's thread, and in the same thread for a reply in one", async () => {
    const channel = pup.conversation();
    const elsewhere = pup.conversation();
    openai().queueReply("Starting a thread.");
    const top = await arrived(channel, `<@${PUP}> what is up?`);
    await replyTo(pup.deps, top);
    expect(pup.pupMessages(channel).map((m) => [m.thread_ts, m.text])).toEqual([
      [top.message.ts, "Starting a thread."],
    ]);

    const root = await arrived(channel, "a thread about lunch", { user: BOB });
    openai().queueReply("In the same thread.");
    const inThread = await arrived(channel, `<@${PUP}> pizza or tacos?`, {
      threadTs: root.message.ts,
    });
    await replyTo(pup.deps, inThread);
    // In the thread's root, not a new thread under the reply, and nowhere else.
    expect(pup.repliesIn(channel, root.message.ts).map((m) => m.text)).toEqual([
      "In the same thread.",
    ]);
    expect(pup.repliesIn(channel, inThread.message.ts)).toEqual([]);
    expect(pup.pupMessages(channel)).toHaveLength(2);
    expect(pup.pupMessages(elsewhere)).toEqual([]);
  });

  test("an empty answer from the model posts '…', on record as the reply", async () => {
    const channel = pup.conversation();
    openai().queueReply("");
    const request = await arrived(channel, `<@${PUP}> say nothing at all`);
    await replyTo(pup.deps, request);

    const posted = pup.repliesIn(channel, request.message.ts);
    expect(posted.map((m) => m.text)).toEqual(["…"]);
    const record = await pup.deps.botReplies.find(TEAM, replySendKey(channel, request.message.ts));
    expect(record).toMatchObject({ status: "sent", replyTs: posted[0]?.ts });
  });

  test("a failing model gets one apology per conversation; later failures there stay quiet", async () => {
    const channel = pup.conversation();
    const other = pup.conversation();
    openai().injectFault("chat", { kind: "http-error", status: 500 }, { times: 3 });

    const first = await arrived(channel, `<@${PUP}> are you there?`);
    await replyTo(pup.deps, first);
    expect(pup.repliesIn(channel, first.message.ts).map((m) => m.text)).toEqual([
      MODEL_DOWN_APOLOGY,
    ]);
    expect(
      await pup.deps.botReplies.find(TEAM, replySendKey(channel, first.message.ts)),
    ).toMatchObject({ status: "sent", model: null });

    // Another thread of the same channel: the same conversation, so no second apology.
    const second = await arrived(channel, `<@${PUP}> hello? anyone?`);
    await replyTo(pup.deps, second);
    expect(pup.pupMessages(channel)).toHaveLength(1);
    expect(
      await pup.deps.botReplies.find(TEAM, replySendKey(channel, second.message.ts)),
    ).toMatchObject({ status: "failed" });

    // Another conversation hears it once too.
    const elsewhere = await arrived(other, `<@${PUP}> are you awake?`);
    await replyTo(pup.deps, elsewhere);
    expect(pup.repliesIn(other, elsewhere.message.ts).map((m) => m.text)).toEqual([
      MODEL_DOWN_APOLOGY,
    ]);
    expect(openai().pendingFaults()).toBe(0);
  });

  test("memories of a DM or a private channel never reach a public channel's prompt", async () => {
    const dm = pup.conversation("im");
    const room = pup.conversation("private");
    const shared = pup.conversation();
    const asking = pup.conversation();
    const inDm = token("dm-locker");
    const inRoom = token("room-locker");
    const inShared = token("shared-locker");
    await remembered(dm, `my locker code is ${inDm}`);
    await remembered(room, `my locker code is ${inRoom}`);
    await remembered(shared, `my locker code is ${inShared}`, BOB);

    openai().queueReply("Let me think.");
    await replyTo(pup.deps, await arrived(asking, `<@${PUP}> what is my locker code?`));
    const prompt = lastPrompt();
    // Recall did run: the public channel's memory is there.
    expect(prompt).toContain(inShared);
    expect(prompt).not.toContain(inDm);
    expect(prompt).not.toContain(inRoom);

    // In the DM itself, its own memory may be used.
    openai().queueReply("I know this one.");
    await replyTo(pup.deps, await arrived(dm, "what was my locker code again?"));
    expect(lastPrompt()).toContain(inDm);
    expect(lastPrompt()).not.toContain(inRoom);
  });

  test("a reply is on record in the bot reply log and remembered short-term", async () => {
    const channel = pup.conversation();
    openai().queueReply("Noted, woof.");
    const request = await arrived(channel, `<@${PUP}> remember that I like tea`);
    await replyTo(pup.deps, request);
    const [posted] = pup.repliesIn(channel, request.message.ts);
    expect(posted?.text).toBe("Noted, woof.");

    const record = await pup.deps.botReplies.find(TEAM, replySendKey(channel, request.message.ts));
    expect(record).toMatchObject({
      status: "sent",
      channelId: channel,
      threadTs: request.message.ts,
      triggerEventId: request.eventId,
      replyTs: posted?.ts,
      model: "gpt-4o-mini",
      error: null,
    });
    expect(record?.promptTokens).toBeGreaterThan(0);
    expect(record?.completionTokens).toBeGreaterThan(0);
    expect(record?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(record?.finishedAt).toBeInstanceOf(Date);
    expect(await pup.deps.botReplies.repliedInThread(TEAM, channel, request.message.ts)).toBe(true);

    // Stored as pup's own message, and in short-term memory's copy of the channel.
    const reply = { ts: posted?.ts, userId: PUP, botId: PUP_BOT_ID, text: "Noted, woof." };
    expect(
      await pup.deps.messages.find({ teamId: TEAM, channelId: channel, ts: posted?.ts ?? "" }),
    ).toMatchObject({ ...reply, threadTs: request.message.ts });
    const live = await pup.deps.shortTerm.recent(
      { teamId: TEAM, channelId: channel, threadTs: null },
      10,
    );
    expect(live?.map((m) => m.ts)).toEqual([request.message.ts, posted?.ts ?? ""]);
    expect(live?.at(-1)).toMatchObject({ ...reply, threadTs: request.message.ts });

    // The next message in the thread sees pup's reply as pup's own turn.
    openai().queueReply("You like tea.");
    await replyTo(
      pup.deps,
      await arrived(channel, `<@${PUP}> what do I like?`, { threadTs: request.message.ts }),
    );
    const messages = openai().chatRequests().at(-1)?.body.messages as ChatMessage[];
    expect(messages).toContainEqual({ role: "assistant", content: "Noted, woof." });
  });

  test("a post Slack refused posted nothing: the claim is released and the job's retry answers", async () => {
    const channel = pup.conversation();
    openai().queueReply("First try.");
    pup.slack.failNext("chat.postMessage", { kind: "slack_error", error: "internal_error" });
    const request = await arrived(channel, `<@${PUP}> are you there?`);
    const first = replyTo(pup.deps, request);
    await expect(first).rejects.toMatchObject({ slackError: "internal_error", retryable: true });
    expect(pup.repliesIn(channel, request.message.ts)).toHaveLength(0);
    const key = replySendKey(channel, request.message.ts);
    expect(await pup.deps.botReplies.find(TEAM, key)).toMatchObject({ status: "failed" });
    expect(await pup.deps.botReplies.repliedInThread(TEAM, channel, request.message.ts)).toBe(
      false,
    );

    openai().queueReply("Second try.");
    await replyTo(pup.deps, request);
    expect(pup.repliesIn(channel, request.message.ts).map((m) => m.text)).toEqual(["Second try."]);
    expect(await pup.deps.botReplies.find(TEAM, key)).toMatchObject({ status: "sent" });
  });

  test("a post whose answer Slack lost is not posted again", async () => {
    const channel = pup.conversation();
    openai().queueReply("Posted, but Slack's answer was lost.");
    pup.slack.failNext("chat.postMessage", { kind: "lost_response" });
    const request = await arrived(channel, `<@${PUP}> can you hear me?`);
    await replyTo(pup.deps, request);
    // Slack did post it; pup cannot know, so the claim stays: neither sent nor failed.
    expect(pup.repliesIn(channel, request.message.ts)).toHaveLength(1);
    const key = replySendKey(channel, request.message.ts);
    expect(await pup.deps.botReplies.find(TEAM, key)).toMatchObject({ status: "claimed" });

    // Within the claim's lease a retry waits (a retryable error); after it, recovery finds the
    // marked answer in Slack (test/e2e/pipeline/claim-recovery.e2e.test.ts).
    const asked = openai().chatRequests().length;
    await expect(replyTo(pup.deps, request)).rejects.toMatchObject({ code: "reply_claim_held" });
    expect(pup.repliesIn(channel, request.message.ts)).toHaveLength(1);
    expect(openai().chatRequests().length).toBe(asked);
  });
});
