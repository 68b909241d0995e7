import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import type { ConversationsHistoryResponse } from "@slack/web-api";
import { thrownBy, webClientFor } from "../../test/fakes/slack/web-client";
import { type LocalSlack, startLocalSlack } from "./index";

const fake: LocalSlack = startLocalSlack({
  users: [{ id: "U0ALICE", name: "alice" }],
  channels: [
    { id: "C0GENERAL", name: "general", topic: "all things pup" },
    { id: "G0SECRET", name: "secret", visibility: "private", members: ["U0ALICE", "U0FAKEBOT1"] },
  ],
});
const slack = webClientFor(fake);
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function seed(texts: string[], threadTs?: string): string[] {
  return texts.map(
    (text) =>
      fake.workspace.postMessage("C0GENERAL", {
        user: "U0ALICE",
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }).ts,
  );
}

describe("conversations.info", () => {
  test("describes public, private and DM conversations as Slack does", async () => {
    const general = await slack.conversations.info({ channel: "C0GENERAL" });
    expect(general.channel).toMatchObject({
      id: "C0GENERAL",
      name: "general",
      is_channel: true,
      is_private: false,
      is_member: true,
      topic: { value: "all things pup" },
    });
    const secret = await slack.conversations.info({ channel: "G0SECRET" });
    expect(secret.channel).toMatchObject({
      is_group: true,
      is_private: true,
      is_member: true,
      num_members: 2,
    });
    const dm = fake.workspace.conversation("U0ALICE");
    const info = await slack.conversations.info({ channel: dm.id });
    expect(info.channel).toMatchObject({ id: dm.id, is_im: true, user: "U0ALICE" });
    const missing = await thrownBy(() => slack.conversations.info({ channel: "C0NOPE" }));
    expect(missing.data).toMatchObject({ error: "channel_not_found" });
  });
});

describe("conversations.history", () => {
  test("is newest first and leaves thread replies out", async () => {
    const [first] = seed(["one", "two", "three"]);
    seed(["reply"], first);
    const history = await slack.conversations.history({ channel: "C0GENERAL" });
    expect(history.messages?.map((m) => m.text)).toEqual(["three", "two", "one"]);
    expect(history).toMatchObject({ has_more: false, response_metadata: { next_cursor: "" } });
  });

  test("pages with limit and next_cursor until the end", async () => {
    seed(["m1", "m2", "m3", "m4", "m5"]);
    const first = await slack.conversations.history({ channel: "C0GENERAL", limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(["m5", "m4"]);
    expect(first.has_more).toBe(true);
    const cursor = first.response_metadata?.next_cursor;
    expect(cursor).toBeTruthy();
    const second = await slack.conversations.history({
      channel: "C0GENERAL",
      limit: 2,
      cursor: cursor!,
    });
    expect(second.messages?.map((m) => m.text)).toEqual(["m3", "m2"]);
    const texts: string[] = [];
    for await (const page of slack.paginate("conversations.history", {
      channel: "C0GENERAL",
      limit: 2,
    })) {
      texts.push(
        ...((page as ConversationsHistoryResponse).messages ?? []).map((m) => m.text ?? ""),
      );
    }
    expect(texts).toEqual(["m5", "m4", "m3", "m2", "m1"]);
    expect(fake.callsTo("conversations.history").length).toBe(2 + 3);
  });

  test("honours oldest/latest and rejects a bad cursor", async () => {
    const [a, b, c] = seed(["a", "b", "c"]);
    const window = await slack.conversations.history({
      channel: "C0GENERAL",
      oldest: a!,
      latest: c!,
    });
    expect(window.messages?.map((m) => m.text)).toEqual(["b"]);
    const inclusive = await slack.conversations.history({
      channel: "C0GENERAL",
      oldest: b!,
      inclusive: true,
    });
    expect(inclusive.messages?.map((m) => m.text)).toEqual(["c", "b"]);
    const bad = await thrownBy(() =>
      slack.conversations.history({ channel: "C0GENERAL", cursor: "bm9wZQ==" }),
    );
    expect(bad.data).toMatchObject({ error: "invalid_cursor" });
  });
});

describe("conversations.replies", () => {
  test("returns the parent then its replies, oldest first, in pages", async () => {
    const [parent] = seed(["parent"]);
    seed(["r1", "r2", "r3"], parent);
    const first = await slack.conversations.replies({
      channel: "C0GENERAL",
      ts: parent!,
      limit: 2,
    });
    expect(first.messages?.map((m) => m.text)).toEqual(["parent", "r1"]);
    expect(first.messages?.[0]).toMatchObject({
      reply_count: 3,
      reply_users: ["U0ALICE"],
      thread_ts: parent,
    });
    const rest = await slack.conversations.replies({
      channel: "C0GENERAL",
      ts: parent!,
      limit: 2,
      cursor: first.response_metadata!.next_cursor!,
    });
    expect(rest.messages?.map((m) => m.text)).toEqual(["r2", "r3"]);
    expect(rest.has_more).toBe(false);
  });

  test("finds the whole thread from a reply's ts; thread_not_found otherwise", async () => {
    const [parent] = seed(["parent"]);
    const [reply] = seed(["reply"], parent);
    const fromReply = await slack.conversations.replies({ channel: "C0GENERAL", ts: reply! });
    expect(fromReply.messages?.map((m) => m.text)).toEqual(["parent", "reply"]);
    const missing = await thrownBy(() =>
      slack.conversations.replies({ channel: "C0GENERAL", ts: "1.000001" }),
    );
    expect(missing.data).toMatchObject({ error: "thread_not_found" });
  });
});
