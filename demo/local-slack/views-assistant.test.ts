import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { thrownBy, webClientFor } from "../../test/fakes/slack/web-client";
import { type LocalSlack, startLocalSlack } from "./index";

const fake: LocalSlack = startLocalSlack({
  users: [{ id: "U0ALICE", name: "alice" }],
  channels: [{ id: "D0ALICE", name: "U0ALICE", visibility: "im", user: "U0ALICE" }],
});
const slack = webClientFor(fake);
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const home = {
  type: "home" as const,
  blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Hi*" } }],
};

describe("views.publish", () => {
  test("stores the App Home view per user and answers with the view", async () => {
    const result = await slack.views.publish({ user_id: "U0ALICE", view: home });
    expect(result.view).toMatchObject({
      type: "home",
      blocks: home.blocks,
      team_id: fake.workspace.identity.teamId,
    });
    expect(result.view?.id).toStartWith("V");
    expect(fake.workspace.views.get("U0ALICE")).toMatchObject({
      type: "home",
      blocks: home.blocks,
    });
  });

  test("hash_conflict for a stale hash; user_not_found and invalid_arguments", async () => {
    const first = await slack.views.publish({ user_id: "U0ALICE", view: home });
    await slack.views.publish({ user_id: "U0ALICE", view: home, hash: first.view!.hash! });
    const stale = await thrownBy(() =>
      slack.views.publish({ user_id: "U0ALICE", view: home, hash: first.view!.hash! }),
    );
    expect(stale.data).toMatchObject({ error: "hash_conflict" });
    const nobody = await thrownBy(() => slack.views.publish({ user_id: "U0NOBODY", view: home }));
    expect(nobody.data).toMatchObject({ error: "user_not_found" });
    const modal = await thrownBy(() =>
      slack.apiCall("views.publish", { user_id: "U0ALICE", view: { type: "modal", blocks: [] } }),
    );
    expect(modal.data).toMatchObject({ error: "invalid_arguments" });
  });
});

describe("assistant.threads.*", () => {
  test("status, suggested prompts and title are kept per thread", async () => {
    const { ts } = fake.workspace.postMessage("D0ALICE", { user: "U0ALICE", text: "help" });
    const thread = { channel_id: "D0ALICE", thread_ts: ts };
    expect(
      (await slack.assistant.threads.setStatus({ ...thread, status: "is thinking..." })).ok,
    ).toBe(true);
    await slack.assistant.threads.setSuggestedPrompts({
      ...thread,
      title: "Try:",
      prompts: [{ title: "Mood", message: "What is the mood here?" }],
    });
    await slack.assistant.threads.setTitle({ ...thread, title: "Helping Alice" });
    expect(fake.workspace.assistantThreads.get(`D0ALICE:${ts}`)).toEqual({
      channel_id: "D0ALICE",
      thread_ts: ts,
      status: "is thinking...",
      prompts: [{ title: "Mood", message: "What is the mood here?" }],
      prompts_title: "Try:",
      title: "Helping Alice",
    });
    await slack.assistant.threads.setStatus({ ...thread, status: "" });
    expect(fake.workspace.assistantThreads.get(`D0ALICE:${ts}`)?.status).toBe("");
  });

  test("channel_not_found and invalid_arguments", async () => {
    const lost = await thrownBy(() =>
      slack.assistant.threads.setTitle({ channel_id: "D0NOPE", thread_ts: "1.000001", title: "x" }),
    );
    expect(lost.data).toMatchObject({ error: "channel_not_found" });
    const noPrompts = await thrownBy(() =>
      slack.apiCall("assistant.threads.setSuggestedPrompts", {
        channel_id: "D0ALICE",
        thread_ts: "1.000001",
      }),
    );
    expect(noPrompts.data).toMatchObject({ error: "invalid_arguments" });
  });
});
