/**
 * Core answering errors, in real workerd: a payload core refuses is acknowledged, queued and
 * redelivered with backoff until core takes it; one core always refuses ends in the dead-letter
 * queue after max_retries (never dropped); and when the queue itself refuses a payload, the edge
 * answers 5xx so that Slack retries instead of believing it was delivered.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { type FakeCore, startFakeCore } from "./fake-core";
import { appMentionEvent, deliverEvent } from "./slack-requests";
import { type EdgeUnderTest, startEdge, TEST_CORE_SHARED_SECRET } from "./workerd";

const FAST_RETRIES = { FORWARD_RETRY_BASE_SECONDS: "1", FORWARD_RETRY_MAX_SECONDS: "1" };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  behaviour: "up" | "down" | "failing",
  edgeOptions: Parameters<typeof startEdge>[0] = {},
): Promise<{ core: FakeCore; edge: EdgeUnderTest }> {
  const core = await startFakeCore({ secret: TEST_CORE_SHARED_SECRET, behaviour });
  cleanups.push(() => core.stop());
  const edge = await startEdge({ coreUrl: core.url, ...edgeOptions });
  cleanups.push(() => edge.dispose());
  return { core, edge };
}

describe("core failing", () => {
  test("a payload core answers 500 to arrives after retries", async () => {
    const { core, edge } = await setUp("failing", {
      bindings: FAST_RETRIES,
      queues: { maxRetries: 10 },
    });
    const events = Array.from({ length: 5 }, () => appMentionEvent());
    const results = await Promise.all(events.map((event) => deliverEvent(edge, event)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);

    // Let the consumer fail at least once more, then heal core.
    await core.waitFor(
      () => core.deliveries.filter((d) => d.status === 500).length >= events.length * 2,
      "a failed redelivery of every payload",
    );
    await core.setBehaviour("up");
    await core.waitFor(() => core.acceptedIds().size === events.length, "every payload accepted");
    for (const event of events) {
      const statuses = core.deliveries
        .filter((d) => d.payload.id === event.event_id)
        .map((d) => d.status);
      expect(statuses.at(-1)).toBe(202);
      expect(statuses.filter((status) => status === 500).length).toBeGreaterThanOrEqual(2);
    }
    expect(await edge.deadLetters()).toEqual([]);
  }, 30_000);

  test("a payload core always refuses ends in the dead-letter queue after max_retries", async () => {
    const maxRetries = 2;
    const { core, edge } = await setUp("up", {
      // Immediate redeliveries: this payload is hopeless, only the road to the DLQ matters.
      bindings: { FORWARD_RETRY_BASE_SECONDS: "0", FORWARD_MAX_RETRIES: String(maxRetries) },
      queues: { maxRetries },
    });
    const poison = appMentionEvent();
    core.failIds.add(String(poison.event_id));
    const healthy = appMentionEvent();
    expect((await deliverEvent(edge, poison)).status).toBe(200);
    expect((await deliverEvent(edge, healthy)).status).toBe(200);

    let deadLetters: unknown[] = [];
    const deadline = Date.now() + 20_000;
    while (deadLetters.length === 0 && Date.now() < deadline) {
      await Bun.sleep(200);
      deadLetters = await edge.deadLetters();
    }
    expect(deadLetters).toMatchObject([{ payload: { id: poison.event_id } }]);
    // One attempt by the edge itself, then max_retries + 1 by the queue consumer.
    const attempts = core.deliveries.filter((d) => d.payload.id === poison.event_id);
    expect(attempts.map((d) => d.status)).toEqual(Array(maxRetries + 2).fill(500));
    expect(core.acceptedIds()).toEqual(new Set([String(healthy.event_id)]));
    const lastWords = edge.logs.filter(
      (line) =>
        typeof line === "object" && String((line as { msg?: unknown }).msg).includes("dead-letter"),
    );
    expect(lastWords).toMatchObject([{ level: "error", id: poison.event_id, attempts: 3 }]);
  }, 30_000);
});

describe("the fallback queue refusing", () => {
  test("a payload over the queue's 128 KB message limit, core down: 5xx, Slack retries", async () => {
    const { core, edge } = await setUp("down");
    const huge = appMentionEvent({ text: `<@U0PUPBOT> ${"x".repeat(150_000)}` });
    const result = await deliverEvent(edge, huge);
    expect(result.status).toBeGreaterThanOrEqual(500);
    expect(core.deliveries).toEqual([]);
    // The same payload is forwarded normally once core is back (Slack's retry).
    await core.setBehaviour("up");
    const retried = await deliverEvent(edge, huge, { "x-slack-retry-num": "1" });
    expect(retried.status).toBe(200);
    expect(core.acceptedIds()).toEqual(new Set([String(huge.event_id)]));
  });

  test("no queue bound and core down: 5xx rather than an acknowledged loss", async () => {
    const { edge } = await setUp("down", { queues: false });
    const result = await deliverEvent(edge, appMentionEvent());
    expect(result.status).toBeGreaterThanOrEqual(500);
  });
});
