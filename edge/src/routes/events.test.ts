import { describe, expect, test } from "bun:test";
import { appUnderTest } from "../../../test/fixtures/edge/app-under-test";
import * as messages from "../../../test/fixtures/slack/message-events";
import * as others from "../../../test/fixtures/slack/other-events";
import {
  signedEvent,
  signedForm,
  signedSlackRequest,
  TEST_TIMESTAMP,
} from "../../../test/fixtures/slack/signed-request";
import { TEAM_ID } from "../../../test/fixtures/slack/workspace";
import { isTraceparent } from "../forward/traceparent";

describe("POST /slack/events: forwarded", () => {
  test("an app_mention reaches the forwarder wrapped for core, then Slack gets an empty 200", async () => {
    const { request, forwarder } = appUnderTest();
    const response = await request("/slack/events", signedEvent(messages.appMention));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(forwarder.calls).toHaveLength(1);
    const [call] = forwarder.calls;
    expect(call?.payload).toEqual({
      version: 1,
      kind: "event",
      id: "Ev0APPMENTION1",
      teamId: TEAM_ID,
      receivedAt: new Date(TEST_TIMESTAMP * 1000).toISOString(),
      retry: { num: 0, reason: null },
      payload: messages.appMention,
    });
    expect(isTraceparent(call?.meta.traceparent ?? "")).toBe(true);
  });

  test("DMs, thread replies, edits, deletions, reactions and assistant threads go to core", async () => {
    const { request, forwarder } = appUnderTest();
    const deliveries = [
      messages.directMessage,
      messages.threadReply,
      messages.messageChanged,
      messages.messageDeleted,
      others.reactionAdded,
      others.assistantThreadStarted,
    ];
    for (const delivery of deliveries) {
      expect((await request("/slack/events", signedEvent(delivery))).status).toBe(200);
    }
    expect(forwarder.calls.map((call) => call.payload.id)).toEqual(
      deliveries.map((delivery) => delivery.event_id),
    );
  });

  test("Slack's retry headers travel with the payload", async () => {
    const { request, forwarder } = appUnderTest();
    const init = signedEvent(messages.appMention, {
      headers: { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" },
    });
    await request("/slack/events", init);
    expect(forwarder.calls[0]?.payload.retry).toEqual({ num: 2, reason: "http_timeout" });
  });

  test("a queued delivery is acknowledged too; a lost one makes Slack retry", async () => {
    const { request, forwarder, logged } = appUnderTest();
    forwarder.answer = "queued";
    expect((await request("/slack/events", signedEvent(messages.appMention))).status).toBe(200);
    forwarder.answer = new Error("queue unavailable");
    const lost = await request("/slack/events", signedEvent(messages.directMessage));
    expect(lost.status).toBe(503);
    expect(logged("forward_failed")).toMatchObject([{ id: "Ev0DIRECTMSG01" }]);
  });
});

describe("POST /slack/events: answered or dropped at the edge", () => {
  test("url_verification is answered with the challenge and not forwarded", async () => {
    const { request, forwarder } = appUnderTest();
    const response = await request("/slack/events", signedEvent(others.urlVerification));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: others.urlVerification.challenge });
    expect(forwarder.calls).toHaveLength(0);
  });

  test("pup's own messages and other bots' messages are acknowledged, not forwarded", async () => {
    const { request, forwarder, logged } = appUnderTest();
    for (const delivery of [messages.ownMessage, messages.otherBotMessage]) {
      const response = await request("/slack/events", signedEvent(delivery));
      expect(response.status).toBe(200);
    }
    expect(forwarder.calls).toHaveLength(0);
    expect(logged("slack_event_dropped").map((entry) => entry.reason)).toEqual([
      "own_event",
      "bot_message",
    ]);
  });

  test("unknown event and envelope types are acknowledged and logged", async () => {
    const { request, forwarder, logged } = appUnderTest();
    const unknownEnvelope = { type: "something_new", team_id: TEAM_ID };
    for (const body of [others.unsubscribedEvent, unknownEnvelope]) {
      expect((await request("/slack/events", signedEvent(body))).status).toBe(200);
    }
    expect(forwarder.calls).toHaveLength(0);
    expect(logged("slack_event_ignored").map((entry) => entry.reason)).toEqual([
      "unknown_event_type",
      "unknown_envelope_type",
    ]);
  });

  test("app_rate_limited is acknowledged with a warning", async () => {
    const { request, forwarder, logged } = appUnderTest();
    expect((await request("/slack/events", signedEvent(others.appRateLimited))).status).toBe(200);
    expect(forwarder.calls).toHaveLength(0);
    expect(logged("slack_app_rate_limited")).toMatchObject([{ level: "warn", teamId: TEAM_ID }]);
  });

  test("a signed ssl_check probe is acknowledged; an unsigned one is refused", async () => {
    const { request, forwarder } = appUnderTest();
    const probe = signedForm({ ssl_check: "1", token: "x" });
    expect((await request("/slack/events", probe)).status).toBe(200);
    const unsigned = await request("/slack/events", {
      method: "POST",
      body: "ssl_check=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(unsigned.status).toBe(401);
    expect(forwarder.calls).toHaveLength(0);
  });
});

describe("POST /slack/events: bad input", () => {
  const malformed = [
    ["broken JSON", '{"type":"event_callback",'],
    ["a JSON array", "[1,2,3]"],
    ["no type", '{"team_id":"T1"}'],
    [
      "an event_callback whose event_id is a number",
      JSON.stringify({ ...messages.appMention, event_id: 7 }),
    ],
    ["a form body that is not ssl_check", "ssl_check=1&event=x"],
  ] as const;
  for (const [name, body] of malformed) {
    test(`${name}: 400 malformed_body, nothing forwarded`, async () => {
      const { request, forwarder } = appUnderTest();
      const contentType = body.startsWith("ssl") ? "application/x-www-form-urlencoded" : undefined;
      const response = await request(
        "/slack/events",
        signedSlackRequest(body, contentType ? { contentType } : {}),
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "malformed_body" });
      expect(forwarder.calls).toHaveLength(0);
    });
  }

  test("a bad signature is 401 before the body is looked at", async () => {
    const { request } = appUnderTest();
    const init = signedSlackRequest("{not json", { secret: "wrong-secret" });
    const response = await request("/slack/events", init);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"error":"invalid_request"}');
  });
});
