// Issue 14, point 12 (commands): a command is answered once however often it arrives or its job
// runs, a `response_url` whose outcome is unknown counts as the answer, and pup posts only to the
// `response_url` origins the contract names (Slack's hooks, SLACK_API_URL's own).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type CommandsWorld, startCommandsWorld } from "./fixture";

let world: CommandsWorld;
beforeEach(async () => {
  world = await startCommandsWorld();
});
afterEach(async () => {
  await world.stop();
});

/** Every answer the caller could see: posts to response_urls and ephemeral messages. */
const answers = () => world.responses.length + world.ephemerals();

const claimOf = (triggerId: string) =>
  world.services.deps.botReplies.find(world.teamId, `command:${triggerId}`);

describe("commands answer once", () => {
  test("the same command delivered twice is answered once", async () => {
    const responseUrl = world.responseUrl();
    const { triggerId } = await world.command("help", { responseUrl });
    await world.command("help", { responseUrl, triggerId });
    expect(world.responses).toHaveLength(1);
    expect(world.ephemerals()).toBe(0);
    expect(await claimOf(triggerId)).toMatchObject({ status: "sent", replyTs: "response_url" });
  });

  test("a response_url that times out counts as the answer: no ephemeral copy, and the retried job answers nothing", async () => {
    // The hook takes the answer (Slack shows it) but its "ok" comes after pup's 300 ms timeout.
    world.responseBehaviour = { kind: "slow", ms: 1_000 };
    const responseUrl = world.responseUrl();
    const { triggerId } = await world.command("help", { responseUrl });
    expect(answers()).toBe(1);
    expect(await claimOf(triggerId)).toMatchObject({
      status: "sent",
      replyTs: "response_url:unconfirmed",
    });

    world.responseBehaviour = { kind: "ok" };
    await world.command("help", { responseUrl, triggerId });
    expect(answers()).toBe(1);
    expect(
      world.logs.some((l) => l.msg === "response_url outcome unknown; not answering again"),
    ).toBe(true);
  });

  test("a response_url Slack refused answered nothing: one ephemeral answer instead, once", async () => {
    world.responseBehaviour = { kind: "gone" };
    const responseUrl = world.responseUrl();
    const { triggerId } = await world.command("help", { responseUrl });
    await world.command("help", { responseUrl, triggerId });
    expect(world.responses).toHaveLength(1);
    expect(world.ephemerals()).toBe(1);
    expect(await claimOf(triggerId)).toMatchObject({ status: "sent", replyTs: "ephemeral" });
  });

  test("an ephemeral answer Slack refused releases the claim, and the job's retry answers", async () => {
    world.slack.failNext("chat.postEphemeral", { kind: "slack_error", error: "channel_not_found" });
    const triggerId = "1001.2002";
    await expect(world.command("help", { responseUrl: null, triggerId })).rejects.toThrow(
      "channel_not_found",
    );
    expect(await claimOf(triggerId)).toMatchObject({ status: "failed" });

    await world.command("help", { responseUrl: null, triggerId });
    await world.command("help", { responseUrl: null, triggerId });
    const calls = world.slack.callsTo("chat.postEphemeral");
    expect(calls.map((call) => call.httpStatus === 200 && call.fault === undefined)).toEqual([
      false,
      true,
    ]);
    expect(await claimOf(triggerId)).toMatchObject({ status: "sent", replyTs: "ephemeral" });
  });
});

describe("response_url origins", () => {
  test("a response_url with a foreign origin is never fetched; the answer goes ephemerally", async () => {
    const foreign = world.foreignServer();
    const { triggerId } = await world.command("help", { responseUrl: foreign.url });
    expect(foreign.hits).toBe(0);
    expect(world.ephemerals()).toBe(1);
    expect(await claimOf(triggerId)).toMatchObject({ status: "sent", replyTs: "ephemeral" });
    const refused = world.logs.find((l) => String(l.msg).startsWith("response_url refused"));
    expect(refused).toMatchObject({ host: new URL(foreign.url).host });
    // The URL is a credential while it lives: only its host is logged.
    expect(JSON.stringify(world.logs)).not.toContain(foreign.url);
  });
});
