/**
 * `POST /slack/events` in real workerd, the deliveries pup cares about: each is acknowledged
 * only after the fake core accepted it, arrives signed, traced and exactly as Slack sent it, and
 * the handshake and pup's own echoes never leave the edge.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { isTraceparent } from "../../../edge/src/forward/traceparent";
import * as messages from "../../fixtures/slack/message-events";
import * as others from "../../fixtures/slack/other-events";
import { TEAM_ID } from "../../fixtures/slack/workspace";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

let routes: RoutesUnderTest;
beforeAll(async () => {
  routes = await startRoutes();
});
afterAll(() => routes.stop());

describe("events, happy path (workerd)", () => {
  test("an app_mention is in core, signed and traced, by the time Slack gets its 200", async () => {
    const response = await routes.sendEvent(messages.appMention);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    const delivery = routes.core.deliveries.find((d) => d.payload.id === "Ev0APPMENTION1");
    expect(delivery?.status).toBe(202);
    expect(delivery?.payload).toMatchObject({
      version: 1,
      kind: "event",
      teamId: TEAM_ID,
      retry: { num: 0, reason: null },
      payload: messages.appMention,
    });
    expect(isTraceparent(delivery?.headers.traceparent ?? "")).toBe(true);
  });

  test("DMs, thread replies, edits, deletions, reactions and assistant threads all arrive", async () => {
    const deliveries = [
      messages.directMessage,
      messages.threadReply,
      messages.messageChanged,
      messages.messageDeleted,
      others.reactionAdded,
      others.assistantThreadStarted,
    ];
    for (const delivery of deliveries) {
      expect((await routes.sendEvent(delivery)).status).toBe(200);
    }
    const arrived = routes.coreDeliveries();
    for (const delivery of deliveries) expect(arrived).toContain(delivery.event_id);
  });

  test("a Slack retry carries its headers through to core", async () => {
    const retried = { ...messages.appMention, event_id: "Ev0RETRIEDMSG1" };
    const response = await routes.sendEvent(retried, {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    expect(response.status).toBe(200);
    const delivery = routes.core.deliveries.find((d) => d.payload.id === "Ev0RETRIEDMSG1");
    expect(delivery?.payload.retry).toEqual({ num: 1, reason: "http_timeout" });
    expect(delivery?.headers["x-slack-retry-num"]).toBe("1");
  });

  test("url_verification is answered at the edge; own and bot messages stay there", async () => {
    const before = routes.core.deliveries.length;
    const handshake = await routes.sendEvent(others.urlVerification);
    expect(handshake.status).toBe(200);
    expect(await handshake.json()).toEqual({ challenge: others.urlVerification.challenge });
    for (const echo of [messages.ownMessage, messages.otherBotMessage]) {
      expect((await routes.sendEvent(echo)).status).toBe(200);
    }
    expect(routes.core.deliveries.length).toBe(before);
    expect(await routes.counters()).toMatchObject({ dropped: 2 });
  });

  test("/healthz reports the isolate's counters", async () => {
    const counters = await routes.counters();
    expect(counters.forwarded).toBe(routes.core.deliveries.length);
    expect(counters.rejected).toBe(0);
  });
});
