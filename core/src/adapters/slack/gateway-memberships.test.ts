// The gateway's membership reads (users.conversations, conversations.members) against the local
// Slack: every page read, kept in the cache for a minute, failures surfaced (never cached).
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { type FakeSlack, startFakeSlack } from "../../../../test/fakes/slack";
import { createInProcessCache } from "../in-process";
import { SlackCallError } from "./errors";
import { createSlackGateway } from "./gateway";

const fake: FakeSlack = startFakeSlack({
  users: [
    { id: "U0GUEST", name: "guest", isRestricted: true },
    { id: "U0MEMBER", name: "member" },
  ],
});
const team = fake.workspace.identity.teamId;
// More than one page (the gateway asks 200 a page): the guest is in 230 of 250 channels.
const guestChannels: string[] = [];
for (let i = 0; i < 250; i += 1) {
  const members = i < 230 ? ["U0GUEST", "U0MEMBER"] : ["U0MEMBER"];
  const channel = fake.addChannel({ name: `room-${i}`, visibility: "public", members });
  if (i < 230) guestChannels.push(channel.id);
}
const dm = fake.addChannel({ name: "U0GUEST", visibility: "im", user: "U0GUEST" });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const gateway = () =>
  createSlackGateway({ botToken: fake.token, apiUrl: fake.url, cache: createInProcessCache() });
const callsTo = (method: string) => fake.calls.filter((call) => call.method === method).length;

describe("users.conversations", () => {
  test("reads every page, then answers from the cache", async () => {
    const slack = gateway();
    const ids = await slack.userConversations(team, "U0GUEST");
    expect(ids.sort()).toEqual([...guestChannels, dm.id].sort());
    expect(callsTo("users.conversations")).toBe(2);
    expect(await slack.userConversations(team, "U0GUEST")).toHaveLength(ids.length);
    expect(callsTo("users.conversations")).toBe(2);
  });

  test("a failure reaches the caller and is not cached", async () => {
    const slack = gateway();
    fake.failNext("users.conversations", { kind: "slack_error", error: "internal_error" });
    await expect(slack.userConversations(team, "U0MEMBER")).rejects.toBeInstanceOf(SlackCallError);
    expect(await slack.userConversations(team, "U0MEMBER")).toHaveLength(250);
  });
});

describe("conversations.members and users.info", () => {
  test("a conversation's members; a guest's flags", async () => {
    const slack = gateway();
    const room = guestChannels[0] ?? "";
    expect((await slack.conversationMembers(team, room)).sort()).toEqual(["U0GUEST", "U0MEMBER"]);
    expect(await slack.userInfo(team, "U0GUEST")).toMatchObject({
      isRestricted: true,
      isUltraRestricted: false,
      isStranger: false,
      teamId: team,
    });
  });
});
