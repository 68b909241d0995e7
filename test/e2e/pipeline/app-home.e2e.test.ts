/**
 * The App Home end to end (issue 16): pup as deployed (core's HTTP app, BullMQ over Redis, the
 * test PostgreSQL, the local Slack, the offline model), with `app_home_opened` and button presses
 * forwarded to core as the edge sends them, and the published views read from the local Slack.
 * Each person sees only their own facts, messages and mood changes, each linked and with a
 * Forget button; the lists page; a Forget button forgets for its author and refuses anyone else.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { uniqueName } from "../../setup/isolation";
import {
  ALICE,
  ALICE_DM,
  BOB,
  forwardToCore,
  type Pipeline,
  PUP,
  pupMessages,
  said,
  settle,
  startPipeline,
  TEAM,
  waitFor,
} from "./harness";
import {
  buttonsOf,
  homeOf,
  itemsOf,
  nextHome,
  openHome,
  press,
  publishes,
  sayAll,
} from "./slack-clicks";

/** Forgets herself in the last test, so the others keep their people. */
const ERIN = "U0ERIN0001";

let pipeline: Pipeline;
const link = (channel: string, ts: string) => pipeline.services.slack.permalink(TEAM, channel, ts);

beforeAll(async () => {
  pipeline = await startPipeline({
    llm: "offline",
    profiles: { enqueue: true, extractor: "offline", windowMs: 50 },
  });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

/** A fresh public channel with Alice, Bob and pup in it. */
function freshChannel(): string {
  return pipeline.slack.workspace.addChannel({
    id: uniqueName("C")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .slice(0, 11),
    name: `home-${crypto.randomUUID().slice(0, 6)}`,
    visibility: "public",
    members: [ALICE, BOB, PUP],
  }).id;
}

describe("the App Home", () => {
  test("two people each see only their own items, each linked with a Forget button, 10 a page", async () => {
    const channel = freshChannel();
    const alice = await sayAll(pipeline, [
      { user: ALICE, channel, text: "I live in Lisbon" },
      ...Array.from({ length: 11 }, (_, i) => ({ user: ALICE, channel, text: `alice note ${i}` })),
      { user: ALICE, channel: ALICE_DM, text: "alice secret in the dm" },
    ]);
    const bob = await sayAll(pipeline, [
      { user: BOB, channel, text: "bob note one" },
      { user: BOB, channel, text: "bob note two" },
    ]);
    await waitFor(
      async () => (await pipeline.services.data.profiles.facts(TEAM, ALICE)).length > 0,
      "Alice's profile fact",
    );

    const first = await openHome(pipeline, ALICE);
    // The fact, linked to the message it came from, its button naming that message.
    const lisbon = alice[0];
    expect(itemsOf(first.blocks, "forget_message")[0]).toEqual({
      // The output filter shows a masked link's host after its label (ADR-023).
      text: expect.stringContaining(
        `lives in Lisbon (<${link(channel, lisbon?.ts ?? "")}|source (slack.com)>)`,
      ),
      value: `${channel}:${lisbon?.ts}`,
    });
    // Her 10 newest messages (the DM one included: it is hers), each linked with its button.
    const memories = itemsOf(first.blocks, "forget_message").slice(1);
    const newest = [...alice].reverse().slice(0, 10);
    expect(memories.map((m) => m.value)).toEqual(newest.map((m) => `${m.channel}:${m.ts}`));
    memories.forEach((memory, i) => {
      const message = newest[i];
      expect(memory.text).toContain(`<${link(message?.channel ?? "", message?.ts ?? "")}|`);
      expect(memory.text).toContain(`>${message?.text}`);
    });
    const shown = JSON.stringify(first.blocks);
    for (const line of bob) expect(shown).not.toContain(line.text);
    expect(buttonsOf(first.blocks, "home_page").map((b) => b.value)).toEqual(["1"]);
    expect(first.metadata).toBe("0");

    // The next page: the rest, and the way back.
    const before = publishes(pipeline, ALICE);
    await press(pipeline, {
      user: ALICE,
      actionId: "home_page",
      value: "1",
      surface: { home: true, page: 0 },
    });
    const second = await nextHome(pipeline, ALICE, before);
    const older = [...alice].reverse().slice(10);
    expect(itemsOf(second.blocks, "forget_message").map((m) => m.value)).toEqual(
      older.map((m) => `${m.channel}:${m.ts}`),
    );
    expect(buttonsOf(second.blocks, "home_page").map((b) => b.value)).toEqual(["0"]);
    expect(second.metadata).toBe("1");

    // Bob's home: his two messages, nothing of Alice's (least of all her DM).
    const bobs = await openHome(pipeline, BOB);
    expect(itemsOf(bobs.blocks, "forget_message").map((m) => m.value)).toEqual(
      [...bob].reverse().map((m) => `${m.channel}:${m.ts}`),
    );
    const bobShown = JSON.stringify(bobs.blocks);
    for (const line of alice) expect(bobShown).not.toContain(line.text);
    expect(bobShown).not.toContain("Lisbon");
    expect(buttonsOf(bobs.blocks, "home_page")).toEqual([]);
  }, 60_000);

  test("the mood changes Alice's messages caused are in her home, linked; not in Bob's", async () => {
    const channel = freshChannel();
    let first: string | undefined;
    for (const text of [
      "thank you so much, that was really helpful!",
      "thanks a lot, you're the best :pray:",
      "awesome, thanks again pup! :tada:",
    ]) {
      const before = pupMessages(pipeline, channel).length;
      const message = said(pipeline, `<@${PUP}> ${text}`, { channel, mention: true });
      first ??= message.ts;
      expect([200, 202]).toContain(await forwardToCore(pipeline, message.envelope));
      await waitFor(() => pupMessages(pipeline, channel).length > before, "pup's answer");
    }
    const home = await openHome(pipeline, ALICE);
    const moods = JSON.stringify(home.blocks);
    expect(moods).toContain("neutral → friendly");
    expect(moods).toContain(`<${link(channel, first ?? "")}|your message (slack.com)>`);
    const bobs = await openHome(pipeline, BOB);
    expect(JSON.stringify(bobs.blocks)).not.toContain("neutral → friendly");
  }, 60_000);
});

describe("Forget buttons in the App Home", () => {
  test("Forget forgets that message: gone from recall and from the republished home", async () => {
    const channel = freshChannel();
    const [secret] = await sayAll(pipeline, [
      { user: ALICE, channel, text: "the orchid password is swordfish" },
    ]);
    const scope = { teamId: TEAM, fromChannelId: channel, limit: 10 };
    expect((await pipeline.services.data.messages.search(scope, "swordfish")).length).toBe(1);
    const home = await openHome(pipeline, ALICE);
    const item = itemsOf(home.blocks, "forget_message").find((i) => i.text.includes("swordfish"));
    expect(item?.value).toBe(`${channel}:${secret?.ts}`);

    const before = publishes(pipeline, ALICE);
    await press(pipeline, {
      user: ALICE,
      actionId: "forget_message",
      value: item?.value ?? "",
      surface: { home: true, page: 0 },
    });
    const after = await nextHome(pipeline, ALICE, before);
    expect(JSON.stringify(after.blocks)).not.toContain("swordfish");
    expect(JSON.stringify(after.blocks)).toContain("Forgotten: that message");
    expect(await pipeline.services.data.messages.search(scope, "swordfish")).toEqual([]);
    const recent = await pipeline.services.data.messages.recentByAuthor(TEAM, ALICE, 100);
    expect(recent.map((m) => m.text)).not.toContain("the orchid password is swordfish");
    const audit = await pipeline.services.data.auditLog.list(TEAM, {
      action: "privacy.forget_message",
    });
    expect(audit.some((row) => row.actor === ALICE && row.subject === item?.value)).toBe(true);
  }, 30_000);

  test("a non-admin's Forget on someone else's message is refused, audit-logged, and forgets nothing", async () => {
    const channel = freshChannel();
    const [hers] = await sayAll(pipeline, [
      { user: ALICE, channel, text: "alice keeps this thought about tulips" },
    ]);
    const before = publishes(pipeline, BOB);
    // Bob forges the value: Alice's message in his own home's button.
    await press(pipeline, {
      user: BOB,
      actionId: "forget_message",
      value: `${channel}:${hers?.ts}`,
      surface: { home: true, page: 0 },
    });
    const bobs = await nextHome(pipeline, BOB, before);
    expect(JSON.stringify(bobs.blocks)).toContain("Only its author or an admin");
    const stored = await pipeline.services.data.messages.find({
      teamId: TEAM,
      channelId: channel,
      ts: hers?.ts ?? "",
    });
    expect(stored?.text).toBe("alice keeps this thought about tulips");
    expect(stored?.deletedAt).toBeNull();
    const refused = await pipeline.services.data.auditLog.list(TEAM, {
      action: "privacy.forget_message.refused",
    });
    expect(refused.map((row) => [row.actor, row.subject])).toContainEqual([
      BOB,
      `${channel}:${hers?.ts}`,
    ]);
    // Alice's own home still lists it.
    expect(JSON.stringify((await openHome(pipeline, ALICE)).blocks)).toContain("tulips");
    expect(homeOf(pipeline, ALICE).metadata).toBe("0");
  }, 30_000);
});

describe("Forget everything, from the App Home", () => {
  test("its press forgets the presser once, however often it arrives, and the home shows what went", async () => {
    const channel = freshChannel();
    pipeline.slack.workspace.addUser({ id: ERIN, name: "erin" });
    pipeline.slack.workspace.conversation(channel).members?.push(ERIN);
    await sayAll(pipeline, [
      { user: ERIN, channel, text: "erin one" },
      { user: ERIN, channel, text: "erin two" },
      { user: BOB, channel, text: "bob is not erin" },
    ]);
    const home = await openHome(pipeline, ERIN);
    const [forgetAll] = buttonsOf(home.blocks, "forget_me_confirm");
    expect(forgetAll).toMatchObject({ style: "danger", confirm: { style: "danger" } });

    const before = publishes(pipeline, ERIN);
    const click = {
      user: ERIN,
      actionId: "forget_me_confirm",
      value: String(forgetAll?.value),
      surface: { home: true as const, page: 0 },
    };
    await press(pipeline, click);
    await press(pipeline, click);
    await settle(pipeline);
    // One republish: the second press found the first one's claim.
    expect(publishes(pipeline, ERIN)).toBe(before + 1);
    const after = homeOf(pipeline, ERIN);
    expect(JSON.stringify(after.blocks)).toContain("Done: I forgot 2 messages");
    expect(itemsOf(after.blocks, "forget_message")).toEqual([]);
    const forgets = await pipeline.services.data.auditLog.list(TEAM, {
      action: "privacy.forget_me",
    });
    expect(forgets.filter((row) => row.actor === ERIN)).toHaveLength(1);
    expect(await pipeline.services.data.messages.recentByAuthor(TEAM, ERIN, 10)).toEqual([]);
    expect(await pipeline.services.data.messages.recentByAuthor(TEAM, BOB, 100)).not.toEqual([]);
  }, 30_000);
});
