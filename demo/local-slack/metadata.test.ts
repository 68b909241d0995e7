// Message metadata as Slack keeps it: stored by chat.postMessage and chat.stopStream, shown by
// conversations.replies and .history only to a caller asking with include_all_metadata.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { webClientFor } from "../../test/fakes/slack/web-client";
import { type LocalSlack, startLocalSlack } from "./index";

const fake: LocalSlack = startLocalSlack({
  users: [{ id: "U0ALICE", name: "alice" }],
  channels: [{ id: "C0GENERAL", name: "general" }],
});
const slack = webClientFor(fake);
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const mark = { event_type: "pup_reply", event_payload: { send_key: "reply:C0GENERAL:1.1" } };

describe("message metadata", () => {
  test("a posted and a streamed message keep it; replies show it only when asked", async () => {
    const parent = fake.workspace.postMessage("C0GENERAL", { user: "U0ALICE", text: "hi" }).ts;
    await slack.chat.postMessage({
      channel: "C0GENERAL",
      thread_ts: parent,
      text: "posted",
      metadata: mark,
    });
    const stream = await slack.chat.startStream({
      channel: "C0GENERAL",
      thread_ts: parent,
      markdown_text: "streamed",
      recipient_user_id: "U0ALICE",
      recipient_team_id: "T0LOCAL",
    });
    await slack.chat.stopStream({ channel: "C0GENERAL", ts: String(stream.ts), metadata: mark });

    const asked = await slack.conversations.replies({
      channel: "C0GENERAL",
      ts: parent,
      include_all_metadata: true,
    });
    const keys = asked.messages?.map(
      (m) => (m.metadata?.event_payload as { send_key?: string } | undefined)?.send_key ?? null,
    );
    expect(keys).toEqual([null, "reply:C0GENERAL:1.1", "reply:C0GENERAL:1.1"]);
    const unasked = await slack.conversations.replies({ channel: "C0GENERAL", ts: parent });
    expect(unasked.messages?.some((m) => m.metadata !== undefined)).toBe(false);
    const history = await slack.conversations.history({ channel: "C0GENERAL" });
    expect(history.messages?.some((m) => m.metadata !== undefined)).toBe(false);
  });
});
