import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { thrownBy, webClientFor } from "../../test/fakes/slack/web-client";
import { type LocalSlack, type LocalSlackEvent, startLocalSlack } from "./index";

const fake: LocalSlack = startLocalSlack({
  token: "xoxb-right",
  additionalTokens: [{ token: "xoxp-alice", userId: "U0ALICE" }],
  users: [{ id: "U0ALICE", name: "alice" }],
  channels: [{ id: "C0GENERAL", name: "general" }],
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function post(method: string, init: { body: string; headers: Record<string, string> }) {
  return fetch(`${fake.url}${method}`, { method: "POST", ...init });
}

describe("authentication", () => {
  test("no token: not_authed, with HTTP 200 as Slack answers", async () => {
    const thrown = await thrownBy(() => webClientFor(fake, { token: null }).auth.test());
    expect(thrown.code).toBe("slack_webapi_platform_error");
    expect(thrown.data).toMatchObject({ ok: false, error: "not_authed" });
    const raw = await post("auth.test", {
      body: "",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toEqual({ ok: false, error: "not_authed" });
  });

  test("wrong token: invalid_auth, and nothing happens", async () => {
    const thrown = await thrownBy(() =>
      webClientFor(fake, { token: "xoxb-wrong" }).chat.postMessage({
        channel: "C0GENERAL",
        text: "x",
      }),
    );
    expect(thrown.data).toMatchObject({ ok: false, error: "invalid_auth" });
    expect(fake.workspace.messages.all()).toEqual([]);
  });

  test("a token in the form body is accepted too", async () => {
    const raw = await post("auth.test", {
      body: "token=xoxb-right",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(await raw.json()).toMatchObject({
      ok: true,
      user_id: fake.workspace.identity.botUserId,
    });
  });

  test("a user token posts as that user, without bot fields", async () => {
    const result = await webClientFor(fake, { token: "xoxp-alice" }).chat.postMessage({
      channel: "C0GENERAL",
      text: "me",
    });
    expect(result.message).toMatchObject({ user: "U0ALICE", text: "me" });
    expect(result.message?.bot_id).toBeUndefined();
  });
});

describe("request handling", () => {
  test("accepts JSON bodies with structured fields as real JSON", async () => {
    const blocks = [{ type: "divider" }];
    const raw = await post("chat.postMessage", {
      body: JSON.stringify({ channel: "C0GENERAL", text: "json", blocks }),
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        Authorization: "Bearer xoxb-right",
      },
    });
    expect(await raw.json()).toMatchObject({ ok: true, message: { text: "json", blocks } });
    const bad = await post("chat.postMessage", {
      body: "{nope",
      headers: { "Content-Type": "application/json", Authorization: "Bearer xoxb-right" },
    });
    expect(await bad.json()).toEqual({ ok: false, error: "invalid_json" });
  });

  test("unknown_method for anything outside the contract; 404 outside /api/", async () => {
    const thrown = await thrownBy(() => webClientFor(fake).apiCall("files.upload", {}));
    expect(thrown.data).toMatchObject({ ok: false, error: "unknown_method" });
    const outside = await fetch(fake.url.replace("/api/", "/elsewhere"), { method: "POST" });
    expect(outside.status).toBe(404);
  });

  test("records every call with token, parsed args and response", async () => {
    const before = new Date();
    await webClientFor(fake).chat.postMessage({
      channel: "C0GENERAL",
      text: "logged",
      unfurl_links: false,
    });
    await thrownBy(() => webClientFor(fake, { token: "xoxb-wrong" }).auth.test());
    expect(fake.calls.map((c) => c.method)).toEqual(["chat.postMessage", "auth.test"]);
    const [posted] = fake.callsTo("chat.postMessage");
    expect(posted).toMatchObject({
      sequence: 1,
      token: "xoxb-right",
      args: { channel: "C0GENERAL", text: "logged", unfurl_links: "false" },
      httpStatus: 200,
      response: { ok: true, channel: "C0GENERAL" },
      fault: undefined,
    });
    expect(posted!.receivedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(fake.callsTo("auth.test")[0]).toMatchObject({
      token: "xoxb-wrong",
      response: { ok: false, error: "invalid_auth" },
    });
  });

  test("subscribers see workspace changes and calls as they happen; unsubscribe stops them", async () => {
    const seen: LocalSlackEvent[] = [];
    const unsubscribe = fake.subscribe((event) => seen.push(event));
    await webClientFor(fake).chat.postMessage({ channel: "C0GENERAL", text: "live" });
    unsubscribe();
    await webClientFor(fake).chat.postMessage({ channel: "C0GENERAL", text: "unseen" });
    expect(seen.map((e) => e.type)).toEqual(["message_posted", "api_call"]);
    expect(seen[0]).toMatchObject({
      type: "message_posted",
      channel: "C0GENERAL",
      message: { text: "live" },
    });
  });

  test("reset forgets calls and activity but keeps users and channels", async () => {
    await webClientFor(fake).chat.postMessage({ channel: "C0GENERAL", text: "before" });
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(fake.workspace.messages.all()).toEqual([]);
    expect((await webClientFor(fake).auth.test()).ok).toBe(true);
    expect((await webClientFor(fake).users.info({ user: "U0ALICE" })).ok).toBe(true);
  });
});
