/**
 * Group commit in real workerd (ADR-010): deliveries that arrive while the edge's requests to
 * core are all in flight travel together in one signed batch, sent from one of the waiting
 * deliveries' own requests. Every delivery is acknowledged only after core accepted it, each
 * keeps its own traceparent, and nothing falls back to the queue while core is merely slow.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { isTraceparent } from "../../../edge/src/forward/traceparent";
import { type FakeCore, startFakeCore } from "./fake-core";
import { appMentionEvent, deliverEvent } from "./slack-requests";
import { type EdgeUnderTest, startEdge, TEST_CORE_SHARED_SECRET } from "./workerd";

let core: FakeCore;
let edge: EdgeUnderTest;

beforeAll(async () => {
  core = await startFakeCore({ secret: TEST_CORE_SHARED_SECRET });
  edge = await startEdge({
    coreUrl: core.url,
    bindings: { FORWARD_CONCURRENCY: "1", FORWARD_BATCH_MAX_ITEMS: "20" },
  });
});

afterAll(async () => {
  await edge?.dispose();
  await core?.stop();
});

describe("group commit of forwards", () => {
  test("60 concurrent events to a slow core: batched, each accepted once, none queued", async () => {
    core.setDelay(40);
    const events = Array.from({ length: 60 }, () => appMentionEvent());
    const results = await Promise.all(events.map((event) => deliverEvent(edge, event)));
    core.setDelay(0);

    expect(results.map((r) => r.status)).toEqual(events.map(() => 200));
    const ids = events.map((e) => String(e.event_id));
    const delivered = core.deliveries.filter((d) => ids.includes(d.payload.id));
    // Acknowledged only after acceptance: all 60 are at core, exactly once each, all 202.
    expect(delivered.map((d) => d.payload.id).sort()).toEqual([...ids].sort());
    expect(delivered.every((d) => d.status === 202)).toBe(true);
    // Batched: with one request in flight at a time, most deliveries shared a request, and no
    // batch was larger than FORWARD_BATCH_MAX_ITEMS.
    const sizes = delivered.map((d) => d.batchSize);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20);
    expect(delivered.filter((d) => d.batchSize > 1).length).toBeGreaterThan(30);
    // Each item keeps its own trace context.
    const traces = delivered.map((d) => d.traceparent);
    expect(traces.every(isTraceparent)).toBe(true);
    expect(new Set(traces).size).toBe(60);
    // Nothing fell back to the queue, and workerd reported no cross-request I/O problem.
    const logText = JSON.stringify(edge.logs);
    expect(logText).not.toContain("payload queued");
    expect(logText).not.toContain("different request");
  });

  test("core accepting some items of a batch and failing others: only the failed are queued", async () => {
    core.setDelay(40);
    const events = Array.from({ length: 12 }, () => appMentionEvent());
    const poisoned = String(events[7]?.event_id);
    core.failIds.add(poisoned);
    try {
      const results = await Promise.all(events.map((event) => deliverEvent(edge, event)));
      expect(results.map((r) => r.status)).toEqual(events.map(() => 200));
      const accepted = core.acceptedIds();
      for (const event of events) {
        expect(accepted.has(String(event.event_id))).toBe(String(event.event_id) !== poisoned);
      }
      const queuedLogs = edge.logs.filter((entry) =>
        JSON.stringify(entry).includes("payload queued"),
      );
      expect(queuedLogs).toHaveLength(1);
      expect(JSON.stringify(queuedLogs[0])).toContain(poisoned);
    } finally {
      core.failIds.delete(poisoned);
      core.setDelay(0);
    }
  });
});
