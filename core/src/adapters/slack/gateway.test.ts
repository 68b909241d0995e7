// The gateway's writes: posts, ephemerals, response_url, reactions, permalinks, assistant
// threads and App Home (reads are in gateway-lookups.test.ts, replies in reply-writer.test.ts).
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { type FakeSlack, startFakeSlack } from "../../../../test/fakes/slack";
import { GATEWAY_WORKSPACE } from "../../../../test/fixtures/slack/gateway-workspace";
import type { KeyValueCache } from "../../ports/cache";
import type { ReplyTarget, SlackGateway } from "../../ports/slack-gateway";
import { createLogger } from "../pino/logger";
import { SlackCallError } from "./errors";
import { createSlackGateway, type SlackGatewayOptions } from "./gateway";

/** A cache that holds nothing; writes never use it, the gateway just needs one. */
const noCache: KeyValueCache = {
  get: async () => undefined,
  set: async () => {},
  setIfAbsent: async () => true,
  delete: async () => {},
  deletePrefix: async () => 0,
  ping: async () => {},
};

const fake: FakeSlack = startFakeSlack(GATEWAY_WORKSPACE);
const team = fake.workspace.identity.teamId;
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function gatewayWith(options: Partial<SlackGatewayOptions> = {}): SlackGateway {
  return createSlackGateway({
    botToken: fake.token,
    apiUrl: fake.url,
    cache: noCache,
    ...options,
  });
}

const texts = (channel: string) =>
  fake.workspace.messages.channelTimeline(channel).map((m) => m.text);

async function thrown(call: () => Promise<unknown>): Promise<SlackCallError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof SlackCallError) return error;
    throw error;
  }
  throw new Error("expected a SlackCallError");
}

const thread = (channelId: string, threadTs: string | null): ReplyTarget => ({
  teamId: team,
  channelId,
  threadTs,
  recipientUserId: "U0ALICE",
});

describe("post", () => {
  test("posts into the thread", async () => {
    const { ts } = fake.workspace.postMessage("C0GENERAL", { user: "U0ALICE", text: "hi" });
    const posted = await gatewayWith().post(thread("C0GENERAL", ts), "hello");
    expect(posted).toHaveLength(1);
    expect(fake.workspace.messages.get("C0GENERAL", posted[0]!.ts)).toMatchObject({
      text: "hello",
      thread_ts: ts,
    });
  });

  test("splits a 10,000-character text into several messages in one thread", async () => {
    const sentence = "The quick brown fox jumps over the lazy dog. ";
    const text = Array.from({ length: 12 }, () => sentence.repeat(18).trim()).join("\n\n");
    expect(text.length).toBeGreaterThanOrEqual(9_700);
    const posted = await gatewayWith().post(thread("C0GENERAL", null), text);
    expect(posted.length).toBeGreaterThanOrEqual(3);
    // The first starts a thread; the others are replies in it, in order.
    const inThread = fake.workspace.messages.thread("C0GENERAL", posted[0]!.ts);
    expect(inThread.map((m) => m.ts)).toEqual(posted.map((p) => p.ts));
    expect(texts("C0GENERAL")).toHaveLength(1);
    const all = inThread.map((m) => m.text);
    for (const part of all) expect(part.length).toBeLessThanOrEqual(4_000);
    expect(all.join(" ").split(/\s+/)).toEqual(text.split(/\s+/));
  });

  test("a lost response is not retried: exactly one message exists", async () => {
    fake.failNext("chat.postMessage", { kind: "lost_response" });
    const error = await thrown(() => gatewayWith().post(thread("C0GENERAL", null), "once"));
    expect(error).toMatchObject({ method: "chat.postMessage", ambiguous: true });
    expect(texts("C0GENERAL")).toEqual(["once"]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  test("a 429 on a post is waited out (Slack did nothing) and posts once", async () => {
    fake.failNext("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 1 });
    await gatewayWith().post(thread("C0GENERAL", null), "patient");
    expect(texts("C0GENERAL")).toEqual(["patient"]);
    expect(fake.callsTo("chat.postMessage").map((c) => c.httpStatus)).toEqual([429, 200]);
  });

  test("a server error on a post is not retried", async () => {
    fake.failNext("chat.postMessage", { kind: "server_error", status: 502 });
    const error = await thrown(() => gatewayWith().post(thread("C0GENERAL", null), "x"));
    expect(error).toMatchObject({ slackError: "http_502", retryable: true, ambiguous: false });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  test("Slack errors carry method and code, and neither errors nor logs carry the token", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "debug",
      env: "development",
      name: "test",
      destination: { write: (line: string) => lines.push(line) },
    });
    const slack = gatewayWith({ logger });
    const error = await thrown(() => slack.post(thread("C0NOWHERE", null), "lost"));
    expect(error).toBeInstanceOf(SlackCallError);
    expect(error).toMatchObject({
      method: "chat.postMessage",
      slackError: "channel_not_found",
      code: "slack_call_failed",
    });
    expect(error.message).toBe("Slack chat.postMessage failed: channel_not_found");
    fake.failNext("chat.postMessage", { kind: "lost_response" });
    await thrown(() => slack.post(thread("C0GENERAL", null), "x"));
    expect(lines.length).toBeGreaterThan(0);
    const everything = `${lines.join("\n")}${JSON.stringify(error)}${String(error.stack)}`;
    expect(everything).not.toContain(fake.token);
  });

  test("refuses blank text without calling Slack", async () => {
    const error = await thrown(() => gatewayWith().post(thread("C0GENERAL", null), " \n"));
    expect(error.slackError).toBe("no_text");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
  });
});

describe("postEphemeral", () => {
  test("whispers to one user", async () => {
    await gatewayWith().postEphemeral(team, "C0GENERAL", "U0BOB", "only for you");
    expect(fake.workspace.ephemerals).toHaveLength(1);
    expect(fake.workspace.ephemerals[0]).toMatchObject({
      channel: "C0GENERAL",
      user: "U0BOB",
      message: { text: "only for you" },
    });
    expect(texts("C0GENERAL")).toEqual([]);
  });
});

describe("respond", () => {
  const received: { path: string; body: unknown }[] = [];
  let status = 200;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      received.push({ path: new URL(request.url).pathname, body: await request.json() });
      return new Response(status === 200 ? "ok" : "no_text", { status });
    },
  });
  afterAll(() => server.stop(true));
  beforeEach(() => {
    received.length = 0;
    status = 200;
  });
  const responseUrl = () => `http://127.0.0.1:${server.port}/commands/T1/123/abc`;
  // A response_url is posted to only on SLACK_API_URL's origin (or Slack's hooks): here, this one.
  const respondingGateway = () => gatewayWith({ apiUrl: `http://127.0.0.1:${server.port}/api/` });

  test("POSTs JSON, ephemeral unless asked for in_channel", async () => {
    const slack = respondingGateway();
    await slack.respond(responseUrl(), "just you");
    await slack.respond(responseUrl(), "everyone", { inChannel: true });
    expect(received).toEqual([
      {
        path: "/commands/T1/123/abc",
        body: {
          text: "just you",
          response_type: "ephemeral",
          unfurl_links: false,
          unfurl_media: false,
        },
      },
      {
        path: "/commands/T1/123/abc",
        body: {
          text: "everyone",
          response_type: "in_channel",
          unfurl_links: false,
          unfurl_media: false,
        },
      },
    ]);
  });

  test("a non-2xx answer is an error", async () => {
    status = 404;
    const error = await thrown(() => respondingGateway().respond(responseUrl(), "late"));
    expect(error).toMatchObject({ method: "response_url", slackError: "http_404" });
  });

  test("only URLs on an allowed origin are posted to", async () => {
    const slack = respondingGateway();
    expect((await thrown(() => slack.respond("not a url", "x"))).slackError).toBe("invalid_url");
    for (const url of [
      "file:///etc/passwd",
      "ftp://127.0.0.1/x",
      `http://localhost:${server.port}/commands/x`,
      `https://127.0.0.1:${server.port}/commands/x`,
    ]) {
      expect((await thrown(() => slack.respond(url, "x"))).slackError).toBe("origin_not_allowed");
    }
    expect(received).toHaveLength(0);
  });
});

describe("reactions", () => {
  test("adding twice and removing twice both succeed", async () => {
    const slack = gatewayWith();
    const { ts } = fake.workspace.postMessage("C0GENERAL", { user: "U0ALICE", text: "nice" });
    await slack.addReaction(team, "C0GENERAL", ts, "eyes");
    await slack.addReaction(team, "C0GENERAL", ts, ":eyes:");
    expect(fake.workspace.messages.get("C0GENERAL", ts).reactions).toEqual([
      { name: "eyes", users: [fake.workspace.identity.botUserId], count: 1 },
    ]);
    expect(fake.callsTo("reactions.add").map((c) => c.response?.error)).toEqual([
      undefined,
      "already_reacted",
    ]);
    await slack.removeReaction(team, "C0GENERAL", ts, "eyes");
    await slack.removeReaction(team, "C0GENERAL", ts, "eyes");
    expect(fake.workspace.messages.get("C0GENERAL", ts).reactions).toBeUndefined();
    expect(fake.callsTo("reactions.remove").map((c) => c.response?.error)).toEqual([
      undefined,
      "no_reaction",
    ]);
  });

  test("other reaction errors still fail", async () => {
    const error = await thrown(() =>
      gatewayWith().addReaction(team, "C0GENERAL", "1.000001", "eyes"),
    );
    expect(error).toMatchObject({ method: "reactions.add", slackError: "message_not_found" });
  });
});

describe("permalink", () => {
  test("builds slack.com/archives/C/p<ts without the dot>, even against a local server", () => {
    expect(gatewayWith().permalink(team, "C123", "1700000000.123456")).toBe(
      "https://slack.com/archives/C123/p1700000000123456",
    );
  });
});

describe("assistant threads and App Home", () => {
  test("status, suggested prompts and title reach the thread", async () => {
    const slack = gatewayWith();
    const { ts } = fake.workspace.postMessage("D0ALICE", { user: "U0ALICE", text: "help" });
    await slack.setAssistantStatus(team, "D0ALICE", ts, "is thinking…");
    await slack.setSuggestedPrompts(
      team,
      "D0ALICE",
      ts,
      [{ title: "Mood", message: "What's the mood?" }],
      "Try:",
    );
    await slack.setAssistantTitle(team, "D0ALICE", ts, "Moods");
    expect(fake.workspace.assistantThreads.get(`D0ALICE:${ts}`)).toMatchObject({
      status: "is thinking…",
      prompts: [{ title: "Mood", message: "What's the mood?" }],
      prompts_title: "Try:",
      title: "Moods",
    });
    await slack.setAssistantStatus(team, "D0ALICE", ts, "");
    expect(fake.workspace.assistantThreads.get(`D0ALICE:${ts}`)?.status).toBe("");
  });

  test("publishHome publishes the view for the user", async () => {
    const view = {
      type: "home",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Hi*" } }],
    };
    await gatewayWith().publishHome(team, "U0ALICE", view);
    expect(fake.workspace.views.get("U0ALICE")).toMatchObject(view);
  });
});
