/**
 * `POST /slack/events` in real workerd when the input or the world is wrong: malformed bodies
 * are 400, what pup ignores is acknowledged and not forwarded, floods are acknowledged and
 * counted but not forwarded, and a delivery that can be neither forwarded nor queued is a 5xx
 * so that Slack retries it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as messages from "../../fixtures/slack/message-events";
import * as others from "../../fixtures/slack/other-events";
import { signedJsonHeaders } from "./slack-requests";
import { type RoutesUnderTest, startRoutes } from "./slack-routes";

let routes: RoutesUnderTest;
beforeAll(async () => {
  routes = await startRoutes({ rateLimits: { user: { limit: 1, leaseSize: 3 } } });
});
afterAll(() => routes.stop());

describe("events, errors (workerd)", () => {
  test("malformed or mis-shaped bodies are 400 malformed_body, and never forwarded", async () => {
    const bodies = [
      '{"type":"event_callback",',
      "[]",
      '{"team_id":"T0PUPTEAM1"}',
      JSON.stringify({ ...messages.appMention, event: "not an object" }),
    ];
    for (const body of bodies) {
      const response = await routes.edge.fetch("/slack/events", {
        method: "POST",
        body,
        headers: await signedJsonHeaders(body),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "malformed_body" });
    }
    expect(routes.core.deliveries).toHaveLength(0);
  });

  test("unknown event types and Slack's rate-limit notices are acknowledged, not forwarded", async () => {
    for (const delivery of [others.unsubscribedEvent, others.appRateLimited]) {
      expect((await routes.sendEvent(delivery)).status).toBe(200);
    }
    expect(routes.core.deliveries).toHaveLength(0);
    expect(await routes.counters()).toMatchObject({ ignored: 1, malformed: 4 });
  });

  test("one user over the limit: acknowledged, counted, logged, not forwarded", async () => {
    const mentions = Array.from({ length: 6 }, (_, index) => ({
      ...messages.appMention,
      event_id: `Ev0FLOOD00000${index}`,
    }));
    for (const mention of mentions) expect((await routes.sendEvent(mention)).status).toBe(200);
    expect(routes.core.deliveries).toHaveLength(3);
    expect(await routes.counters()).toMatchObject({ forwarded: 3, rate_limited: 3 });
    const limited = routes.edge.logs.filter(
      (line) =>
        typeof line === "object" && line !== null && "msg" in line && line.msg === "rate_limited",
    );
    expect(limited).toHaveLength(3);
    expect(limited[0]).toMatchObject({ scope: "user", teamId: messages.appMention.team_id });
  });
});

describe("events, nowhere to put them (workerd)", () => {
  test("core failing and no queue: 503, so Slack retries instead of losing it", async () => {
    const stranded = await startRoutes({ queues: false });
    try {
      await stranded.core.setBehaviour("failing");
      const response = await stranded.sendEvent(messages.directMessage);
      expect(response.status).toBe(503);
      expect(await stranded.counters()).toMatchObject({ forward_failed: 1, forwarded: 0 });
    } finally {
      await stranded.stop();
    }
  });
});
