import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { type FakeSlack, startFakeSlack } from "../../../../test/fakes/slack";
import type { KeyValueCache } from "../../ports/cache";
import type { ReplyTarget, SlackGateway } from "../../ports/slack-gateway";
import { SlackCallError } from "./errors";
import { createSlackGateway, type SlackGatewayOptions } from "./gateway";

/** A tiny in-memory KeyValueCache; replies never use it, the gateway just needs one. */
const noCache: KeyValueCache = {
  get: async () => undefined,
  set: async () => {},
  setIfAbsent: async () => true,
  delete: async () => {},
  deletePrefix: async () => 0,
  ping: async () => {},
};

const fake: FakeSlack = startFakeSlack({
  users: [{ id: "U0ALICE", name: "alice" }],
  channels: [
    { id: "C0GENERAL", name: "general" },
    { id: "D0ALICE", name: "U0ALICE", visibility: "im", user: "U0ALICE" },
  ],
});
const team = fake.workspace.identity.teamId;
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function gatewayWith(options: Partial<SlackGatewayOptions> = {}): SlackGateway {
  return createSlackGateway({ botToken: fake.token, apiUrl: fake.url, cache: noCache, ...options });
}

/** A gateway that has learnt Slack offers no streams (the fake's startStream says unknown_method). */
async function gatewayWithoutStreams(
  options: Partial<SlackGatewayOptions> = {},
): Promise<SlackGateway> {
  const slack = gatewayWith(options);
  fake.failNext("chat.startStream", { kind: "slack_error", error: "unknown_method" });
  const probe = await slack.openReply(await question());
  await probe.append("probe");
  await probe.finish();
  fake.reset();
  return slack;
}

/** A person's question in #general; the reply goes into its thread. */
async function question(channelId = "C0GENERAL"): Promise<ReplyTarget> {
  const { ts } = fake.workspace.postMessage(channelId, { user: "U0ALICE", text: "tell me" });
  return { teamId: team, channelId, threadTs: ts, recipientUserId: "U0ALICE" };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const message = (channel: string, ts: string) => fake.workspace.messages.get(channel, ts);
const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** About 10,000 characters of prose in paragraphs. */
const LONG_TEXT = Array.from(
  { length: 24 },
  (_, i) =>
    `Paragraph ${i}: ${"pup remembers what you said and answers kindly. ".repeat(8).trim()}`,
).join("\n\n");

describe("stream path (Slack offers chat.startStream)", () => {
  test("one streamed thread message grows and is stopped with the full text", async () => {
    const slack = gatewayWith({ streamIntervalMs: 50 });
    const target = await question();
    const reply = await slack.openReply(target);
    const chunks = ["Once", " upon", " a", " time", ", in a thread", "."];
    for (const chunk of chunks) {
      await reply.append(chunk);
      await sleep(20);
    }
    const [posted, again] = await Promise.all([reply.finish(), reply.finish()]);
    expect(again).toEqual(posted);
    expect(posted).toHaveLength(1);
    expect(message("C0GENERAL", posted[0]!.ts)).toMatchObject({
      text: chunks.join(""),
      streaming_state: "completed",
      thread_ts: target.threadTs,
    });
    expect(fake.callsTo("chat.startStream")).toHaveLength(1);
    expect(fake.callsTo("chat.startStream")[0]?.args).toMatchObject({
      recipient_user_id: "U0ALICE",
      recipient_team_id: team,
      markdown_text: "Once",
    });
    expect(fake.callsTo("chat.stopStream")).toHaveLength(1);
    // Appends coalesce: fewer appendStream calls than chunks.
    expect(fake.callsTo("chat.appendStream").length).toBeLessThan(chunks.length - 1);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(fake.callsTo("chat.update")).toHaveLength(0);
  });

  test("a 10,000-character stream becomes several stopped messages in the thread", async () => {
    const slack = gatewayWith({ streamIntervalMs: 0 });
    const target = await question();
    const reply = await slack.openReply(target);
    for (let i = 0; i < LONG_TEXT.length; i += 97) {
      await reply.append(LONG_TEXT.slice(i, i + 97));
      if (i % 970 === 0) await sleep(1);
    }
    const posted = await reply.finish();
    expect(posted.length).toBeGreaterThanOrEqual(3);
    const thread = fake.workspace.messages.thread("C0GENERAL", target.threadTs!).slice(1);
    expect(thread.map((m) => m.ts)).toEqual(posted.map((p) => p.ts));
    // The reply streams; a later part whose whole text is known by the time it starts goes as
    // one plain post (under load, appends outrun the calls). Either way no stream is left open.
    expect(fake.callsTo("chat.startStream").length).toBeGreaterThanOrEqual(1);
    for (const part of thread) {
      expect(part.streaming_state ?? "completed").toBe("completed");
      expect(part.text.length).toBeLessThanOrEqual(4_000);
    }
    expect(words(thread.map((m) => m.text).join(" "))).toEqual(words(LONG_TEXT));
  });

  test("in a DM no recipient fields are needed", async () => {
    const target = { ...(await question("D0ALICE")), recipientUserId: null };
    const reply = await gatewayWith().openReply(target);
    await reply.append("hello there");
    const [posted] = await reply.finish();
    expect(message("D0ALICE", posted!.ts).text).toBe("hello there");
    expect(fake.callsTo("chat.startStream")).toHaveLength(1);
  });

  test("abort stops the stream and keeps what was sent", async () => {
    const reply = await gatewayWith().openReply(await question());
    await reply.append("I was about to say");
    await sleep(50);
    await reply.abort("model failed");
    const [started] = fake.callsTo("chat.startStream");
    const ts = String(started?.response?.ts);
    expect(message("C0GENERAL", ts)).toMatchObject({
      text: "I was about to say",
      streaming_state: "completed",
    });
    await expect(reply.append("more")).rejects.toThrow("aborted");
  });
});

describe("fallback path (no streams: post, then throttled updates)", () => {
  test("unknown_method is remembered: later replies go straight to postMessage", async () => {
    const slack = await gatewayWithoutStreams();
    const reply = await slack.openReply(await question());
    await reply.append("plain");
    const [posted] = await reply.finish();
    expect(message("C0GENERAL", posted!.ts).text).toBe("plain");
    expect(fake.callsTo("chat.startStream")).toHaveLength(0);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  test("the reply that learns it still gets posted", async () => {
    const slack = gatewayWith();
    fake.failNext("chat.startStream", { kind: "slack_error", error: "not_allowed" });
    const target = await question();
    const reply = await slack.openReply(target);
    await reply.append("still here");
    const [posted] = await reply.finish();
    expect(message("C0GENERAL", posted!.ts)).toMatchObject({
      text: "still here",
      thread_ts: target.threadTs,
    });
  });

  test("20 appends within 300 ms: one post, at most two updates, final text right", async () => {
    const slack = await gatewayWithoutStreams({ updateIntervalMs: 1_000 });
    const target = await question();
    const reply = await slack.openReply(target);
    const chunks = Array.from({ length: 20 }, (_, i) => `w${i} `);
    for (const chunk of chunks) {
      await reply.append(chunk);
      await sleep(15);
    }
    const posted = await reply.finish();
    expect(posted).toHaveLength(1);
    expect(message("C0GENERAL", posted[0]!.ts)).toMatchObject({
      text: chunks.join(""),
      thread_ts: target.threadTs,
    });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.callsTo("chat.startStream")).toHaveLength(0);
    const updates = fake.callsTo("chat.update");
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(2);
    if (updates.length === 2) {
      const gap = updates[1]!.receivedAt.getTime() - updates[0]!.receivedAt.getTime();
      expect(gap).toBeGreaterThanOrEqual(990);
    }
  });

  test("updates keep flowing while text keeps coming, never closer than the interval", async () => {
    const slack = await gatewayWithoutStreams({ updateIntervalMs: 200 });
    const reply = await slack.openReply(await question());
    for (let i = 0; i < 30; i += 1) {
      await reply.append(`${i} `);
      await sleep(25);
    }
    await reply.finish();
    // Receive times at the local Slack carry transit and scheduling jitter (one late request
    // shortens the next gap), so the interval is checked on average, with a floor per gap well
    // above what unthrottled updates (every ~25 ms here) would give.
    const times = fake.callsTo("chat.update").map((c) => c.receivedAt.getTime());
    expect(times.length).toBeGreaterThanOrEqual(3);
    const average = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / (times.length - 1);
    expect(average).toBeGreaterThanOrEqual(190);
    for (let i = 1; i < times.length; i += 1) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(100);
    }
  });

  test("a 10,000-character reply becomes at least three messages in the thread", async () => {
    const slack = await gatewayWithoutStreams({ updateIntervalMs: 50 });
    const target = await question();
    const reply = await slack.openReply(target);
    for (let i = 0; i < LONG_TEXT.length; i += 500) await reply.append(LONG_TEXT.slice(i, i + 500));
    const posted = await reply.finish();
    expect(posted.length).toBeGreaterThanOrEqual(3);
    const thread = fake.workspace.messages.thread("C0GENERAL", target.threadTs!).slice(1);
    expect(thread.map((m) => m.ts)).toEqual(posted.map((p) => p.ts));
    for (const part of thread) expect(part.text.length).toBeLessThanOrEqual(4_000);
    expect(words(thread.map((m) => m.text).join(" "))).toEqual(words(LONG_TEXT));
  });

  test("without a thread the first message starts one and the rest go into it", async () => {
    const slack = gatewayWith();
    const target: ReplyTarget = {
      teamId: team,
      channelId: "C0GENERAL",
      threadTs: null,
      recipientUserId: "U0ALICE",
    };
    const reply = await slack.openReply(target);
    await reply.append(LONG_TEXT);
    const posted = await reply.finish();
    expect(posted.length).toBeGreaterThanOrEqual(3);
    // No thread to stream into: plain posts, the first at the top level.
    expect(fake.callsTo("chat.startStream")).toHaveLength(0);
    const thread = fake.workspace.messages.thread("C0GENERAL", posted[0]!.ts);
    expect(thread.map((m) => m.ts)).toEqual(posted.map((p) => p.ts));
  });

  test("nothing is posted for an empty reply", async () => {
    const reply = await gatewayWith().openReply(await question());
    await reply.append("");
    await reply.append("  ");
    expect(await reply.finish()).toEqual([]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(fake.callsTo("chat.startStream")).toHaveLength(0);
  });

  test("a lost postMessage answer is not retried: exactly one message", async () => {
    const slack = await gatewayWithoutStreams();
    const target = await question();
    fake.failNext("chat.postMessage", { kind: "lost_response" });
    const reply = await slack.openReply(target);
    await reply.append("said once");
    const failure = await reply.finish().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlackCallError);
    expect(failure).toMatchObject({ method: "chat.postMessage", ambiguous: true });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    const replies = fake.workspace.messages.thread("C0GENERAL", target.threadTs!).slice(1);
    expect(replies.map((m) => m.text)).toEqual(["said once"]);
  });

  test("a lost startStream answer does not fall back to a second post", async () => {
    const slack = gatewayWith();
    const target = await question();
    fake.failNext("chat.startStream", { kind: "lost_response" });
    const reply = await slack.openReply(target);
    await reply.append("streamed once");
    const failure = await reply.finish().catch((error: unknown) => error);
    expect(failure).toMatchObject({ method: "chat.startStream", ambiguous: true });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(fake.workspace.messages.thread("C0GENERAL", target.threadTs!)).toHaveLength(2);
  });
});

describe("first send delay", () => {
  test("an answer complete within the delay is one chat.postMessage, no stream", async () => {
    const slack = gatewayWith({ firstSendDelayMs: 200, streamIntervalMs: 50 });
    const target = await question();
    const reply = await slack.openReply(target);
    await reply.append("Woof, ");
    await reply.append("all done.");
    const [posted] = await reply.finish();
    expect(fake.callsTo("chat.startStream")).toHaveLength(0);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(posted && message(posted.channelId, posted.ts).text).toBe("Woof, all done.");
    expect(posted && message(posted.channelId, posted.ts).thread_ts).toBe(target.threadTs ?? "");
  });

  test("a longer answer still streams, starting after the delay", async () => {
    const slack = gatewayWith({ firstSendDelayMs: 100, streamIntervalMs: 50 });
    const target = await question();
    const reply = await slack.openReply(target);
    const started = Date.now();
    await reply.append("First words");
    await sleep(40);
    expect(fake.callsTo("chat.startStream")).toHaveLength(0);
    await sleep(150);
    expect(fake.callsTo("chat.startStream")).toHaveLength(1);
    await reply.append(", then more.");
    const [posted] = await reply.finish();
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(posted && message(posted.channelId, posted.ts).text).toBe("First words, then more.");
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});
