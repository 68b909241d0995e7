import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { thrownBy, webClientFor } from "../../test/fakes/slack/web-client";
import { type LocalSlack, startLocalSlack } from "./index";

const fake: LocalSlack = startLocalSlack({
  users: [
    {
      id: "U0ALICE",
      name: "alice",
      realName: "Alice Liddell",
      email: "alice@example.test",
      isAdmin: true,
    },
  ],
  channels: [{ id: "C0GENERAL", name: "general" }],
});
const slack = webClientFor(fake);
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe("reactions.add / reactions.remove", () => {
  test("adds and removes the caller's reaction on a message", async () => {
    const { ts } = fake.workspace.postMessage("C0GENERAL", { user: "U0ALICE", text: "good dog" });
    expect(
      (await slack.reactions.add({ channel: "C0GENERAL", timestamp: ts, name: "dog" })).ok,
    ).toBe(true);
    const bot = fake.workspace.identity.botUserId;
    expect(fake.workspace.messages.get("C0GENERAL", ts).reactions).toEqual([
      { name: "dog", users: [bot], count: 1 },
    ]);
    const history = await slack.conversations.history({ channel: "C0GENERAL" });
    expect(history.messages?.[0]?.reactions).toEqual([{ name: "dog", users: [bot], count: 1 }]);

    await slack.reactions.remove({ channel: "C0GENERAL", timestamp: ts, name: "dog" });
    expect(fake.workspace.messages.get("C0GENERAL", ts).reactions).toBeUndefined();
  });

  test("already_reacted, no_reaction and message_not_found", async () => {
    const { ts } = fake.workspace.postMessage("C0GENERAL", { user: "U0ALICE", text: "hi" });
    await slack.reactions.add({ channel: "C0GENERAL", timestamp: ts, name: "wave" });
    const twice = await thrownBy(() =>
      slack.reactions.add({ channel: "C0GENERAL", timestamp: ts, name: "wave" }),
    );
    expect(twice.data).toMatchObject({ ok: false, error: "already_reacted" });
    const none = await thrownBy(() =>
      slack.reactions.remove({ channel: "C0GENERAL", timestamp: ts, name: "tada" }),
    );
    expect(none.data).toMatchObject({ error: "no_reaction" });
    const missing = await thrownBy(() =>
      slack.reactions.add({ channel: "C0GENERAL", timestamp: "1.000001", name: "x" }),
    );
    expect(missing.data).toMatchObject({ error: "message_not_found" });
  });
});

describe("auth.test and users.info", () => {
  test("auth.test names the bot user, bot and team", async () => {
    const { identity } = fake.workspace;
    const result = await slack.auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: identity.teamId,
      team: identity.teamName,
      user_id: identity.botUserId,
      bot_id: identity.botId,
      user: identity.botName,
    });
    expect(result.url).toStartWith("https://");
  });

  test("users.info returns the seeded user, user_not_found otherwise", async () => {
    const result = await slack.users.info({ user: "U0ALICE" });
    expect(result.user).toMatchObject({
      id: "U0ALICE",
      name: "alice",
      real_name: "Alice Liddell",
      is_admin: true,
      is_bot: false,
      team_id: fake.workspace.identity.teamId,
      profile: { email: "alice@example.test", display_name: "alice" },
    });
    const bot = await slack.users.info({ user: fake.workspace.identity.botUserId });
    expect(bot.user).toMatchObject({
      is_bot: true,
      profile: { bot_id: fake.workspace.identity.botId },
    });
    const missing = await thrownBy(() => slack.users.info({ user: "U0NOBODY" }));
    expect(missing.data).toMatchObject({ error: "user_not_found" });
  });
});
