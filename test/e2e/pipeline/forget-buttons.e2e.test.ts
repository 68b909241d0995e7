/**
 * `/pup forget me`, `/pup forget <link>` and `/pup remember`'s Forget buttons end to end (issue
 * 16): pup as deployed over the test PostgreSQL, Redis and the local Slack, with commands and
 * button presses forwarded to core as the edge sends them. The confirmation is answered once
 * however often its press arrives; a link forgets for its author or an admin, never for anyone
 * else (refused and audit-logged).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { uniqueName } from "../../setup/isolation";
import { ALICE, BOB, type Pipeline, PUP, settle, startPipeline, TEAM } from "./harness";
import {
  answersAt,
  buttonsOf,
  command,
  homeOf,
  itemsOf,
  openHome,
  press,
  publishes,
  sayAll,
} from "./slack-clicks";

const CAROL = "U0CAROLADM";
/** Forgets herself in one test, so what that test counts is hers alone. */
const DORA = "U0DORA0001";

let pipeline: Pipeline;
const link = (channel: string, ts: string) => pipeline.services.slack.permalink(TEAM, channel, ts);
const stored = (channel: string, ts: string) =>
  pipeline.services.data.messages.find({ teamId: TEAM, channelId: channel, ts });
const live = async (channel: string, ts: string) => {
  const message = await stored(channel, ts);
  return message !== undefined && message.deletedAt === null && message.text !== "";
};

beforeAll(async () => {
  pipeline = await startPipeline({ llm: "offline" });
  pipeline.slack.workspace.addUser({ id: CAROL, name: "carol", isAdmin: true });
  pipeline.slack.workspace.addUser({ id: DORA, name: "dora" });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

function freshChannel(): string {
  return pipeline.slack.workspace.addChannel({
    id: uniqueName("C")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .slice(0, 11),
    name: `forget-${crypto.randomUUID().slice(0, 6)}`,
    visibility: "public",
    members: [ALICE, BOB, CAROL, DORA, PUP],
  }).id;
}

describe("/pup forget <link>", () => {
  test("its author may, another member is refused and audit-logged, an admin may", async () => {
    const channel = freshChannel();
    const [first, second] = await sayAll(pipeline, [
      { user: ALICE, channel, text: "my locker code is 4812" },
      { user: ALICE, channel, text: "my bike lock is 9931" },
    ]);
    if (!first || !second) throw new Error("not said");

    const refused = await command(pipeline, BOB, channel, `forget ${link(channel, first.ts)}`);
    expect(refused.text).toContain("Only its author or an admin");
    expect(await live(channel, first.ts)).toBe(true);
    const audit = await pipeline.services.data.auditLog.list(TEAM, {
      action: "privacy.forget_message.refused",
    });
    expect(audit.map((row) => [row.actor, row.subject])).toContainEqual([
      BOB,
      `${channel}:${first.ts}`,
    ]);

    // Slack's own "Copy link" form: the workspace's host, wrapped as Slack sends links.
    const copied = `<https://pup-test.slack.com/archives/${channel}/p${first.ts.replace(".", "")}>`;
    const own = await command(pipeline, ALICE, channel, `forget ${copied}`);
    expect(own.text).toContain("Forgotten: that message");
    expect(await live(channel, first.ts)).toBe(false);

    const admin = await command(pipeline, CAROL, channel, `forget ${link(channel, second.ts)}`);
    expect(admin.text).toContain("Forgotten: that message");
    expect(await live(channel, second.ts)).toBe(false);
    const done = await pipeline.services.data.auditLog.list(TEAM, {
      action: "privacy.forget_message",
    });
    expect(done.map((row) => [row.actor, row.subject])).toEqual(
      expect.arrayContaining([
        [ALICE, `${channel}:${first.ts}`],
        [CAROL, `${channel}:${second.ts}`],
      ]),
    );

    const usage = await command(pipeline, ALICE, channel, "forget the ball");
    expect(usage.text).toContain("/pup forget me");
  }, 30_000);
});

describe("/pup forget me", () => {
  test("a danger button to confirm; its press forgets her, answered once even when it arrives twice", async () => {
    const channel = freshChannel();
    const hers = await sayAll(pipeline, [
      { user: DORA, channel, text: "dora one" },
      { user: DORA, channel, text: "dora two" },
    ]);
    const [his] = await sayAll(pipeline, [{ user: BOB, channel, text: "bob stays" }]);

    // Her App Home, as Slack shows it, lists her words before the forget.
    expect(JSON.stringify((await openHome(pipeline, DORA)).blocks)).toContain("dora one");
    const homesBefore = publishes(pipeline, DORA);

    const question = await command(pipeline, DORA, channel, "forget me");
    const blocks = question.blocks as Record<string, unknown>[];
    const [confirm] = buttonsOf(blocks, "forget_me_confirm");
    expect(confirm).toMatchObject({ style: "danger", type: "button" });
    expect(buttonsOf(blocks, "forget_me_cancel")).toHaveLength(1);
    expect(JSON.stringify(blocks)).toContain("cannot be undone");
    // Nothing goes before the press.
    for (const m of hers) expect(await live(m.channel, m.ts)).toBe(true);

    const click = {
      user: DORA,
      actionId: "forget_me_confirm",
      value: String(confirm?.value),
      surface: { channel },
    };
    const first = await press(pipeline, click);
    // The same delivery again (same trigger id), and a double click (a new one).
    const redelivered = await press(pipeline, { ...click, triggerId: first.triggerId });
    expect(redelivered.status).toBe(200);
    const again = await press(pipeline, click);
    await settle(pipeline);

    const answers = answersAt(pipeline, first.responseUrl ?? "");
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ replace_original: true, response_type: "ephemeral" });
    expect(String(answers[0]?.text)).toMatch(
      /^Done: I forgot 2 messages \(yours, and my replies to them\) and \d+ records/,
    );
    expect(answersAt(pipeline, again.responseUrl ?? "")).toEqual([]);
    const forgets = await pipeline.services.data.auditLog.list(TEAM, {
      action: "privacy.forget_me",
    });
    expect(forgets.filter((row) => row.actor === DORA)).toHaveLength(1);

    for (const m of hers) expect(await live(m.channel, m.ts)).toBe(false);
    expect(await pipeline.services.data.messages.recentByAuthor(TEAM, DORA, 10)).toEqual([]);
    // The Home Slack keeps showing was published again, without her words (ADR-034).
    expect(publishes(pipeline, DORA)).toBeGreaterThan(homesBefore);
    const home = JSON.stringify(homeOf(pipeline, DORA).blocks);
    expect(home).not.toContain("dora one");
    expect(home).not.toContain("dora two");
    expect(await live(channel, his?.ts ?? "")).toBe(true);
  }, 30_000);

  test("Cancel forgets nothing and replaces the question", async () => {
    const channel = freshChannel();
    const [kept] = await sayAll(pipeline, [{ user: BOB, channel, text: "bob thinks twice" }]);
    const question = await command(pipeline, BOB, channel, "forget me");
    const [cancel] = buttonsOf(question.blocks as Record<string, unknown>[], "forget_me_cancel");
    const { responseUrl } = await press(pipeline, {
      user: BOB,
      actionId: "forget_me_cancel",
      value: String(cancel?.value),
      surface: { channel },
    });
    await settle(pipeline);
    expect(answersAt(pipeline, responseUrl ?? "")).toEqual([
      expect.objectContaining({ text: "Nothing was forgotten.", replace_original: true }),
    ]);
    expect(await live(channel, kept?.ts ?? "")).toBe(true);
  }, 30_000);
});

describe("/pup remember", () => {
  test("facts and recent messages with links and Forget buttons; a press shows it again without the item", async () => {
    const channel = freshChannel();
    const [one, two] = await sayAll(pipeline, [
      { user: BOB, channel, text: "bob likes kites" },
      { user: BOB, channel, text: "bob likes rockets" },
    ]);
    await sayAll(pipeline, [{ user: ALICE, channel, text: "alice likes boats" }]);
    const answer = await command(pipeline, BOB, channel, "remember");
    const items = itemsOf(answer.blocks as Record<string, unknown>[], "forget_message");
    expect(items.map((i) => i.value).slice(0, 2)).toEqual([
      `${channel}:${two?.ts}`,
      `${channel}:${one?.ts}`,
    ]);
    expect(items[0]?.text).toContain(`<${link(channel, two?.ts ?? "")}|`);
    expect(JSON.stringify(answer.blocks)).not.toContain("alice likes boats");

    const { responseUrl } = await press(pipeline, {
      user: BOB,
      actionId: "forget_message",
      value: `${channel}:${one?.ts}`,
      surface: { channel },
    });
    await settle(pipeline);
    const [replaced] = answersAt(pipeline, responseUrl ?? "");
    expect(replaced).toMatchObject({ replace_original: true });
    expect(JSON.stringify(replaced?.blocks)).toContain("Forgotten: that message");
    expect(JSON.stringify(replaced?.blocks)).not.toContain("bob likes kites");
    expect(JSON.stringify(replaced?.blocks)).toContain("bob likes rockets");
    expect(await live(channel, one?.ts ?? "")).toBe(false);
  }, 30_000);
});
