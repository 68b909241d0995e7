import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { thrownBy, webClientFor } from "../../test/fakes/slack/web-client";
import { type LocalSlack, startLocalSlack } from "./index";

const fake: LocalSlack = startLocalSlack({
  users: [{ id: "U0ALICE", name: "alice" }],
  channels: [{ id: "C0GENERAL", name: "general" }],
});
const slack = webClientFor(fake);
const team = fake.workspace.identity.teamId;
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

async function question(): Promise<string> {
  return fake.workspace.postMessage("C0GENERAL", { user: "U0ALICE", text: "tell me a story" }).ts;
}

describe("chat.startStream / appendStream / stopStream", () => {
  test("one thread message grows with each append and freezes when stopped", async () => {
    const threadTs = await question();
    const started = await slack.chat.startStream({
      channel: "C0GENERAL",
      thread_ts: threadTs,
      markdown_text: "Once",
      recipient_team_id: team,
      recipient_user_id: "U0ALICE",
    });
    expect(started).toMatchObject({ ok: true, channel: "C0GENERAL" });
    const ts = started.ts!;
    expect(fake.workspace.messages.get("C0GENERAL", ts)).toMatchObject({
      text: "Once",
      streaming_state: "in_progress",
      thread_ts: threadTs,
    });

    const appended = await slack.chat.appendStream({
      channel: "C0GENERAL",
      ts,
      markdown_text: " upon",
    });
    expect(appended).toMatchObject({ ok: true, channel: "C0GENERAL", ts });
    await slack.chat.appendStream({
      channel: "C0GENERAL",
      ts,
      chunks: [{ type: "markdown_text", text: " a time" }],
    });
    const stopped = await slack.chat.stopStream({ channel: "C0GENERAL", ts, markdown_text: "." });
    expect(stopped.message).toMatchObject({
      text: "Once upon a time.",
      streaming_state: "completed",
      ts,
    });

    const thread = await slack.conversations.replies({ channel: "C0GENERAL", ts: threadTs });
    expect(thread.messages?.map((m) => m.text)).toEqual(["tell me a story", "Once upon a time."]);
  });

  test("works with the SDK's own chatStream helper", async () => {
    const threadTs = await question();
    const streamer = slack.chatStream({
      channel: "C0GENERAL",
      thread_ts: threadTs,
      recipient_team_id: team,
      recipient_user_id: "U0ALICE",
      buffer_size: 8,
    });
    await streamer.append({ markdown_text: "Hello, " });
    await streamer.append({ markdown_text: "streaming " });
    await streamer.append({ markdown_text: "world" });
    await streamer.stop();
    const replies = fake.workspace.messages.thread("C0GENERAL", threadTs);
    expect(replies[1]).toMatchObject({
      text: "Hello, streaming world",
      streaming_state: "completed",
    });
    expect(fake.callsTo("chat.startStream")).toHaveLength(1);
  });

  test("appending to a stopped stream fails with message_not_in_streaming_state", async () => {
    const threadTs = await question();
    const { ts } = await slack.chat.startStream({
      channel: "C0GENERAL",
      thread_ts: threadTs,
      recipient_team_id: team,
      recipient_user_id: "U0ALICE",
    });
    await slack.chat.stopStream({ channel: "C0GENERAL", ts: ts! });
    const thrown = await thrownBy(() =>
      slack.chat.appendStream({ channel: "C0GENERAL", ts: ts!, markdown_text: "late" }),
    );
    expect(thrown.data).toMatchObject({ error: "message_not_in_streaming_state" });
  });

  test("refuses a stream without thread_ts, or outside a DM without a recipient", async () => {
    const noThread = await thrownBy(() =>
      slack.apiCall("chat.startStream", { channel: "C0GENERAL", markdown_text: "x" }),
    );
    expect(noThread.data).toMatchObject({ error: "invalid_arguments" });
    const threadTs = await question();
    const noRecipient = await thrownBy(() =>
      slack.chat.startStream({ channel: "C0GENERAL", thread_ts: threadTs }),
    );
    expect(noRecipient.data).toMatchObject({ error: "invalid_arguments" });
    const unknown = await thrownBy(() =>
      slack.chat.appendStream({ channel: "C0GENERAL", ts: "1.000001", markdown_text: "x" }),
    );
    expect(unknown.data).toMatchObject({ error: "message_not_found" });
  });
});
