import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { thrownBy, webClientFor } from "../../test/fakes/slack/web-client";
import { type LocalSlack, startLocalSlack } from "./index";
import { compareSlackTs } from "./timestamps";

const fake: LocalSlack = startLocalSlack({
  users: [{ id: "U0ALICE", name: "alice" }],
  channels: [
    { id: "C0GENERAL", name: "general", visibility: "public" },
    { id: "G0SECRET", name: "secret", visibility: "private", members: ["U0ALICE"] },
  ],
});
const slack = webClientFor(fake);
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe("chat.postMessage", () => {
  test("posts as the bot and answers with channel, ts and message", async () => {
    const result = await slack.chat.postMessage({ channel: "C0GENERAL", text: "hello" });
    expect(result.ok).toBe(true);
    expect(result.channel).toBe("C0GENERAL");
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(result.message).toMatchObject({
      type: "message",
      text: "hello",
      user: fake.workspace.identity.botUserId,
      bot_id: fake.workspace.identity.botId,
      ts: result.ts,
    });
    expect(fake.workspace.messages.channelTimeline("C0GENERAL").map((m) => m.text)).toEqual([
      "hello",
    ]);
  });

  test("hands out unique, strictly increasing timestamps", async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        slack.chat.postMessage({ channel: "C0GENERAL", text: `m${i}` }),
      ),
    );
    const stored = fake.workspace.messages.channelTimeline("C0GENERAL").map((m) => m.ts);
    expect(new Set(results.map((r) => r.ts)).size).toBe(25);
    for (let i = 1; i < stored.length; i++) {
      expect(compareSlackTs(stored[i]!, stored[i - 1]!)).toBe(1);
    }
  });

  test("keeps blocks the SDK JSON-encodes into a form field", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }];
    const result = await slack.chat.postMessage({ channel: "C0GENERAL", text: "hi", blocks });
    expect(result.message?.blocks as unknown).toEqual(blocks);
    expect(fake.callsTo("chat.postMessage")[0]?.args.blocks).toBe(JSON.stringify(blocks));
  });

  test("resolves a channel name and opens a DM for a user id", async () => {
    const byName = await slack.chat.postMessage({ channel: "#general", text: "by name" });
    expect(byName.channel).toBe("C0GENERAL");
    const dm = await slack.chat.postMessage({ channel: "U0ALICE", text: "psst" });
    expect(dm.channel).toMatch(/^D/);
    const info = await slack.conversations.info({ channel: dm.channel! });
    expect(info.channel).toMatchObject({ is_im: true, user: "U0ALICE" });
  });

  test("threads a reply under its parent", async () => {
    const parent = await slack.chat.postMessage({ channel: "C0GENERAL", text: "question" });
    const reply = await slack.chat.postMessage({
      channel: "C0GENERAL",
      text: "answer",
      thread_ts: parent.ts!,
    });
    expect(reply.message?.thread_ts).toBe(parent.ts);
    const thread = await slack.conversations.replies({ channel: "C0GENERAL", ts: parent.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(["question", "answer"]);
    expect(thread.messages?.[0]).toMatchObject({ reply_count: 1, latest_reply: reply.ts });
  });

  test.each([
    ["msg_too_long", { channel: "C0GENERAL", text: "x".repeat(40_001) }],
    [
      "invalid_blocks",
      {
        channel: "C0GENERAL",
        text: "t",
        blocks: Array.from({ length: 51 }, () => ({ type: "divider" })),
      },
    ],
    ["invalid_blocks", { channel: "C0GENERAL", text: "t", blocks: [{ text: "no type" }] }],
    ["no_text", { channel: "C0GENERAL" }],
    ["channel_not_found", { channel: "C0NOPE", text: "t" }],
    ["thread_not_found", { channel: "C0GENERAL", text: "t", thread_ts: "1.000001" }],
    ["not_in_channel", { channel: "G0SECRET", text: "t" }],
  ])("refuses with %s", async (error, args) => {
    const thrown = await thrownBy(() => slack.chat.postMessage(args as never));
    expect(thrown.code).toBe("slack_webapi_platform_error");
    expect(thrown.data).toMatchObject({ ok: false, error });
    expect(fake.workspace.messages.all()).toEqual([]);
  });

  test("accepts exactly 40,000 characters and 50 blocks", async () => {
    const blocks = Array.from({ length: 50 }, () => ({ type: "divider" }));
    const result = await slack.chat.postMessage({
      channel: "C0GENERAL",
      text: "y".repeat(40_000),
      blocks,
    });
    expect(result.ok).toBe(true);
  });
});

describe("chat.update", () => {
  test("edits the text and marks the message edited", async () => {
    const posted = await slack.chat.postMessage({ channel: "C0GENERAL", text: "draft" });
    const updated = await slack.chat.update({
      channel: "C0GENERAL",
      ts: posted.ts!,
      text: "final",
    });
    expect(updated).toMatchObject({ ok: true, channel: "C0GENERAL", ts: posted.ts, text: "final" });
    expect(updated.message?.edited?.user).toBe(fake.workspace.identity.botUserId);
    expect(fake.workspace.messages.get("C0GENERAL", posted.ts!).text).toBe("final");
  });

  test("message_not_found for an unknown ts, cant_update_message for someone else's", async () => {
    const missing = await thrownBy(() =>
      slack.chat.update({ channel: "C0GENERAL", ts: "1.000001", text: "x" }),
    );
    expect(missing.data).toMatchObject({ error: "message_not_found" });
    const theirs = fake.workspace.postMessage("C0GENERAL", { user: "U0ALICE", text: "mine" });
    const forbidden = await thrownBy(() =>
      slack.chat.update({ channel: "C0GENERAL", ts: theirs.ts, text: "x" }),
    );
    expect(forbidden.data).toMatchObject({ error: "cant_update_message" });
  });
});

describe("chat.postEphemeral", () => {
  test("whispers to one user without touching the channel history", async () => {
    const result = await slack.chat.postEphemeral({
      channel: "C0GENERAL",
      user: "U0ALICE",
      text: "only you",
    });
    expect(result.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.workspace.ephemerals).toMatchObject([
      { channel: "C0GENERAL", user: "U0ALICE", message: { text: "only you" } },
    ]);
    const history = await slack.conversations.history({ channel: "C0GENERAL" });
    expect(history.messages).toEqual([]);
  });

  test("user_not_found for an unknown user", async () => {
    const thrown = await thrownBy(() =>
      slack.chat.postEphemeral({ channel: "C0GENERAL", user: "U0NOBODY", text: "x" }),
    );
    expect(thrown.data).toMatchObject({ error: "user_not_found" });
  });
});
