/**
 * Forwarding with core up, in real workerd: the delivery reaches core signed (verified by the
 * fake core with the shared protocol code), with a traceparent and Slack's retry headers, and
 * Slack is acknowledged only after core accepted; connections to core are reused.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeCore, startFakeCore } from "./fake-core";
import { appMentionEvent, deliverEvent } from "./slack-requests";
import { type EdgeUnderTest, startEdge, TEST_CORE_SHARED_SECRET } from "./workerd";

let core: FakeCore;
let edge: EdgeUnderTest;

beforeAll(async () => {
  core = await startFakeCore({ secret: TEST_CORE_SHARED_SECRET });
  edge = await startEdge({ coreUrl: core.url });
});

afterAll(async () => {
  await edge?.dispose();
  await core?.stop();
});

describe("forwarding to a core that is up", () => {
  test("an event reaches core signed and traced before Slack is acknowledged", async () => {
    const event = appMentionEvent();
    const result = await deliverEvent(edge, event);
    expect(result.status).toBe(200);
    // Acknowledged after acceptance: the delivery is already recorded when Slack gets its 200.
    const delivery = core.deliveries.find((d) => d.payload.id === event.event_id);
    expect(delivery).toBeDefined();
    expect(delivery?.status).toBe(202);
    expect(delivery?.payload).toMatchObject({
      version: 1,
      kind: "event",
      teamId: event.team_id,
      retry: { num: 0, reason: null },
      payload: { event_id: event.event_id },
    });
    expect(delivery?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(delivery?.headers["x-slack-retry-num"]).toBeUndefined();
    expect(core.rejected).toEqual([]);
  });

  test("Slack's retry headers are carried, and a retried event is a duplicate at core", async () => {
    const event = appMentionEvent();
    expect((await deliverEvent(edge, event)).status).toBe(200);
    const retried = await deliverEvent(edge, event, {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    expect(retried.status).toBe(200);
    const deliveries = core.deliveries.filter((d) => d.payload.id === event.event_id);
    expect(deliveries.map((d) => d.status)).toEqual([202, 200]);
    expect(deliveries[1]?.headers["x-slack-retry-num"]).toBe("1");
    expect(deliveries[1]?.headers["x-slack-retry-reason"]).toBe("http_timeout");
    expect(deliveries[1]?.payload.retry).toEqual({ num: 1, reason: "http_timeout" });
    expect(deliveries[0]?.headers.traceparent).not.toBe(deliveries[1]?.headers.traceparent);
  });

  test("a core with another secret rejects every delivery, and the edge queues them", async () => {
    const strict = await startFakeCore({ secret: `${TEST_CORE_SHARED_SECRET}-rotated` });
    const misSigned = await startEdge({ coreUrl: strict.url, queues: { retryDelaySeconds: 60 } });
    try {
      const result = await deliverEvent(misSigned, appMentionEvent());
      expect(result.status).toBe(200);
      expect(strict.rejected).toEqual([{ status: 401, reason: "mismatch" }]);
      expect(strict.deliveries).toEqual([]);
    } finally {
      await misSigned.dispose();
      await strict.stop();
    }
  });

  test("sequential deliveries reuse connections to core", async () => {
    const before = core.deliveries.length;
    for (let i = 0; i < 50; i++)
      expect((await deliverEvent(edge, appMentionEvent())).status).toBe(200);
    const ports = new Set(core.deliveries.slice(before).map((d) => d.clientPort));
    console.info(`50 sequential forwards used ${ports.size} connection(s) to core`);
    expect(ports.size).toBeLessThanOrEqual(2);
  });
});
